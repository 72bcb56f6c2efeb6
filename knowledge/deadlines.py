"""One deadline model for every view (pure): milestones are due dates; seasons and periods are never overdue.

A task's milestones are its `due` time expressions. A `period` (秋冬季, 臭氧高发季节, 5—9月) says when the work
happens, not a date by which it must be done: it is shown as a period and never makes a task overdue. A task with
several milestones is shown once: its next milestone and how many more follow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from knowledge.model import Plan, Task, TimeExpr

PLAN_END_GRACE = timedelta(days=90)  # automatic reminders stop this long after a plan's last deadline


@dataclass(frozen=True)
class Deadlines:
    """A task's deadlines as of one day."""

    milestones: tuple[date, ...]  # every due date, sorted
    periods: tuple[TimeExpr, ...]  # periods, in plan order
    next: date | None  # the first milestone on or after the day
    more: int  # milestones after `next`
    passed: tuple[date, ...]  # milestones before the day

    @property
    def last_passed(self) -> date | None:
        """The latest milestone before the day (what an overdue task is late for)."""
        return self.passed[-1] if self.passed else None

    @property
    def shown(self) -> date | None:
        """The one date a one-line view shows: the next milestone, else the last passed one."""
        return self.next or self.last_passed


def deadlines(task: Task, today: date) -> Deadlines:
    """The task's deadlines as of `today`."""
    milestones = task.due_dates
    upcoming = [d for d in milestones if d >= today]
    periods = tuple(d for d in task.deadlines if d.kind == "period" and d.date)
    return Deadlines(milestones, periods, upcoming[0] if upcoming else None, max(0, len(upcoming) - 1),
                     tuple(d for d in milestones if d < today))


def is_overdue(task: Task, today: date, complete: bool = False) -> bool:
    """A task not complete with a milestone before `today` (periods never count)."""
    return not complete and any(d < today for d in task.due_dates)


def overdue_since(task: Task, today: date) -> date | None:
    """The latest passed milestone of a task, or None."""
    return deadlines(task, today).last_passed


def milestones_within(task: Task, start: date, end: date) -> list[date]:
    """The task's milestones in [start, end]."""
    return [d for d in task.due_dates if start <= d <= end]


def plan_last_deadline(plan: Plan) -> date | None:
    """The plan's last milestone or period end."""
    days = [d for t in plan.tasks for d in t.due_dates]
    days += [e.end for t in plan.tasks for e in t.deadlines if e.kind == "period" and e.end]
    return max(days) if days else None


def plan_ended(plan: Plan, today: date) -> bool:
    """True when the plan's last deadline is more than PLAN_END_GRACE before `today`."""
    last = plan_last_deadline(plan)
    return last is not None and today - last > PLAN_END_GRACE

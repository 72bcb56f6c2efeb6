"""Reminder rules (pure): which task deadlines are reminded to whom on which day.

Before a due date (settings.reminder_days_before, e.g. 7/3/1 days) and on the day; overdue on the first
working day after the due date and then every Monday for OVERDUE_WEEKS weeks (after that, overdue tasks are
only in the office's monthly summary). A complete task gets no more reminders; a lead unit that reported
已完成 gets none for that task while the others still do. A reminder falling on a weekend or public holiday
moves to the previous working day. Recipients are the task's leaders and lead units, and (as a separate,
configurable rule) its responsible units. One task is reminded once a day to a recipient: several milestones
firing the same day collapse into the most pressing one. Only milestones (due dates) are reminded; periods
(seasons) never are (knowledge.deadlines).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any, Literal
from zoneinfo import ZoneInfo

from knowledge.model import Plan, Task
from reminders.workdays import is_workday, next_workday_after, previous_workday

Kind = Literal["before", "due", "overdue"]
Role = Literal["leader", "lead_unit", "unit"]
MONDAY = 0
SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Monday's reminder moves back over at most one holiday block (the longest, 国庆+中秋, is 8-9 days).
_MAX_SHIFT_DAYS = 15
OVERDUE_WEEKS = 4  # weekly overdue reminders after the first; then only the monthly summary


@dataclass(frozen=True)
class RuleConfig:
    """What the rules need from the settings."""

    days_before: tuple[int, ...] = (7, 3, 1)
    send_time: time = time(9, 0)
    tz: tzinfo = SHANGHAI
    remind_responsible_units: bool = True

    @classmethod
    def from_settings(cls, settings: Any) -> RuleConfig:
        """Build from planbot.settings.Settings."""
        return cls(days_before=tuple(settings.reminder_days_before), send_time=settings.reminder_time,
                   tz=settings.tz, remind_responsible_units=settings.remind_responsible_units)


@dataclass(frozen=True)
class Reminder:
    """One deadline of one task to remind one recipient (a ledger name) on one day."""

    task: int
    title: str
    due: date
    kind: Kind
    recipient: str
    role: Role
    send_at: datetime
    days_left: int  # negative when overdue

    @property
    def day(self) -> date:
        """The day it is sent (in the bureau's zone)."""
        return self.send_at.date()

    def to_dict(self) -> dict[str, Any]:
        """JSON form of `planbot reminders --json`."""
        return {"task": self.task, "title": self.title, "due": self.due.isoformat(), "kind": self.kind,
                "recipient": self.recipient, "role": self.role, "send_at": self.send_at.isoformat(),
                "days_left": self.days_left}


def recipients(task: Task, config: RuleConfig) -> list[tuple[str, Role]]:
    """The task's recipients with their role; a name listed twice keeps its first (highest) role."""
    out: dict[str, Role] = {}
    for name in task.leaders:
        out.setdefault(name, "leader")
    for name in task.lead_units:
        out.setdefault(name, "lead_unit")
    if config.remind_responsible_units:
        for name in task.units:
            out.setdefault(name, "unit")
    return list(out.items())


def _before_kind(offset: int) -> Kind:
    return "due" if offset == 0 else "before"


def _fires_on(due: date, day: date, config: RuleConfig, done: bool) -> Kind | None:
    """The kind of reminder for deadline `due` on `day`, if any (direct per-day check)."""
    if done or not is_workday(day):
        return None
    if day <= due:
        # Offsets whose (moved) day is today; the smallest offset wins so "on the day" beats "1 day before".
        hits = [n for n in (*config.days_before, 0) if previous_workday(due - timedelta(days=n)) == day]
        return _before_kind(min(hits)) if hits else None
    first = next_workday_after(due)
    if day == first:
        return "overdue"
    if day < first:
        return None
    last_monday = first + timedelta(weeks=OVERDUE_WEEKS)
    for ahead in range(_MAX_SHIFT_DAYS):
        monday = day + timedelta(days=ahead)
        if monday.weekday() == MONDAY and monday <= last_monday and previous_workday(monday) == day:
            return "overdue"
    return None


def _send_days(due: date, config: RuleConfig, start: date, end: date, done: bool) -> dict[date, Kind]:
    """Every day in [start, end] on which deadline `due` is reminded (computed from the due date once)."""
    days: dict[date, Kind] = {}
    if done:
        return days
    for n in sorted({*config.days_before, 0}, reverse=True):
        # Ascending offsets overwrite, so the smallest offset on a shared day wins.
        day = previous_workday(due - timedelta(days=n))
        if day <= due:
            days[day] = _before_kind(n)
    if end > due:
        first = next_workday_after(due)
        days[first] = "overdue"
        monday = first + timedelta(days=(MONDAY - first.weekday()) % 7 or 7)
        while previous_workday(monday) <= end and monday <= first + timedelta(weeks=OVERDUE_WEEKS):
            moved = previous_workday(monday)
            if moved > first:
                days[moved] = "overdue"
            monday += timedelta(days=7)
    return {d: k for d, k in days.items() if start <= d <= end}


def _make(task: Task, due: date, kind: Kind, day: date, config: RuleConfig) -> list[Reminder]:
    send_at = datetime.combine(day, config.send_time, tzinfo=config.tz)
    return [Reminder(task.number, task.title, due, kind, name, role, send_at, (due - day).days)
            for name, role in recipients(task, config)]


def _pressing(r: Reminder) -> tuple[int, int]:
    """Sort key: an upcoming milestone before an overdue one, the nearest first."""
    return (1, -r.days_left) if r.kind == "overdue" else (0, r.days_left)


def once_per_task(reminders: Iterable[Reminder]) -> list[Reminder]:
    """One reminder per (recipient, task, day): the most pressing milestone."""
    best: dict[tuple[str, int, date], Reminder] = {}
    for r in reminders:
        key = (r.recipient, r.task, r.day)
        if key not in best or _pressing(r) < _pressing(best[key]):
            best[key] = r
    return sorted(best.values(), key=_order)


def reminders_on(plan: Plan, day: date, config: RuleConfig, done: Collection[int] = (),
                 done_pairs: Collection[tuple[int, str]] = ()) -> list[Reminder]:
    """Every reminder sent on `day`, ordered by recipient then task (one per recipient and task).

    `done`: complete tasks (no reminders); `done_pairs`: (task, lead unit) pairs whose unit reported 已完成.
    """
    out: list[Reminder] = []
    for task in plan.tasks:
        for due in task.due_dates:
            kind = _fires_on(due, day, config, task.number in done)
            if kind is not None:
                out.extend(r for r in _make(task, due, kind, day, config) if (r.task, r.recipient) not in done_pairs)
    return once_per_task(out)


def as_of(reminder: Reminder, day: date, config: RuleConfig) -> Reminder:
    """A reminder of a missed day restated for `day`: sent today, its days and kind as of today."""
    left = (reminder.due - day).days
    kind: Kind = "overdue" if left < 0 else "due" if left == 0 else "before"
    return Reminder(reminder.task, reminder.title, reminder.due, kind, reminder.recipient, reminder.role,
                    datetime.combine(day, config.send_time, tzinfo=config.tz), left)


def folded_day(plan: Plan, missed: Iterable[date], today: date, config: RuleConfig, done: Collection[int] = (),
               done_pairs: Collection[tuple[int, str]] = ()) -> list[Reminder]:
    """Today's reminders with those of missed days folded in (restated as of today): one message, today's text."""
    items = [as_of(r, today, config) for day in missed if day < today
             for r in reminders_on(plan, day, config, done, done_pairs)]
    items += reminders_on(plan, today, config, done, done_pairs)
    return once_per_task(items)


def reminders_between(plan: Plan, start: date, end: date, config: RuleConfig, done: Collection[int] = (),
                      done_on: Mapping[int, date] | None = None) -> dict[date, list[Reminder]]:
    """Every reminder sent on each day of [start, end], computed per deadline (not per day).

    `done` tasks get none; a task in `done_on` gets none from the day it was reported done (replays).
    """
    by_day: dict[date, list[Reminder]] = defaultdict(list)
    for task in plan.tasks:
        last = end
        if done_on is not None and task.number in done_on:
            last = min(end, done_on[task.number] - timedelta(days=1))
        for due in task.due_dates:
            for day, kind in _send_days(due, config, start, last, task.number in done).items():
                by_day[day].extend(_make(task, due, kind, day, config))
    return {day: once_per_task(items) for day, items in sorted(by_day.items())}


def _order(r: Reminder) -> tuple[str, int, date]:
    return (r.recipient, r.task, r.due)


def by_recipient(reminders: Iterable[Reminder]) -> Mapping[str, list[Reminder]]:
    """Group one day's reminders so each recipient gets one message listing all of its tasks."""
    out: dict[str, list[Reminder]] = defaultdict(list)
    for r in reminders:
        out[r.recipient].append(r)
    return dict(out)

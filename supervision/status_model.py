"""Who completes a task (pure): lead units report, leaders comment, admins close or reopen.

A task is complete when every lead unit's latest status (since the last reopen) is 已完成, or an admin closed it
with /close. A leader's status is the leader's comment: shown apart, it never completes or reopens a task. A lead
unit whose latest status is 已完成 is done with the task (no more reminders or round questions for it), the
other lead units still are asked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from knowledge.model import Plan, Task
from supervision.rounds import CLOSED, DONE, REOPENED, ROLE_LEAD, ROLE_LEADER, ROLE_UNIT, lead_units_of


class ReplyLike(Protocol):
    """What the model reads of a stored reply."""

    @property
    def task(self) -> int: ...
    @property
    def unit(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def round_key(self) -> str: ...


@dataclass
class TaskState:
    """One task now: each lead unit's latest reply, the leader's latest comment, whether it is complete."""

    task: int
    leads: tuple[str, ...]
    units: dict[str, ReplyLike] = field(default_factory=dict)  # lead unit -> latest reply since the last reopen
    leader: ReplyLike | None = None  # the latest leader comment
    closed: ReplyLike | None = None  # an admin's /close since the last reopen

    @property
    def complete(self) -> bool:
        """Closed by an admin, or every lead unit's latest status is 已完成."""
        if self.closed is not None:
            return True
        return bool(self.leads) and all(
            (r := self.units.get(u)) is not None and r.status == DONE for u in self.leads)

    def unit_done(self, unit: str) -> bool:
        """Whether this lead unit's latest status is 已完成 (or the task is complete)."""
        reply = self.units.get(unit)
        return self.complete or (reply is not None and reply.status == DONE)


def reporting_units(task: Task, groups: Mapping[str, Iterable[str]]) -> tuple[str, ...]:
    """Who reports the task: its lead units (groups expanded); a task without lead units: its responsible units."""
    leads = lead_units_of(task, groups)
    if leads:
        return leads
    out: list[str] = []
    for name in task.units:
        out.extend(tuple(groups.get(name, ())) or (name,))
    return tuple(dict.fromkeys(out))


def task_states(plan: Plan, replies: Iterable[ReplyLike], groups: Mapping[str, Iterable[str]]) -> dict[int, TaskState]:
    """Every task's state from the replies, oldest first."""
    states = {t.number: TaskState(t.number, reporting_units(t, groups)) for t in plan.tasks}
    for r in replies:
        state = states.get(r.task)
        if state is None:
            continue
        if r.status == REOPENED:
            state.units.clear()
            state.closed = None
        elif r.status == CLOSED:
            state.closed = r
        elif r.role == ROLE_LEADER:
            state.leader = r
        elif r.unit in state.leads and r.role in (ROLE_LEAD, ROLE_UNIT, "admin"):
            state.units[r.unit] = r
    return states


def completed(plan: Plan, replies: Iterable[ReplyLike], groups: Mapping[str, Iterable[str]]) -> set[int]:
    """Numbers of the complete tasks."""
    return {n for n, st in task_states(plan, replies, groups).items() if st.complete}


def done_pairs(plan: Plan, replies: Iterable[ReplyLike], groups: Mapping[str, Iterable[str]]) -> set[tuple[int, str]]:
    """(task, lead unit) pairs whose unit is done with the task."""
    out: set[tuple[int, str]] = set()
    for n, st in task_states(plan, replies, groups).items():
        out |= {(n, u) for u in st.leads if st.unit_done(u)}
    return out


def open_assignments(plan: Plan, states: Mapping[int, TaskState]) -> dict[str, list[Task]]:
    """Each lead unit and the tasks it still has to report on (not done by it, not complete), in plan order."""
    out: dict[str, list[Task]] = {}
    for task in plan.tasks:
        state = states.get(task.number)
        if state is None:
            continue
        for unit in state.leads:
            if not state.unit_done(unit):
                out.setdefault(unit, []).append(task)
    return out


def chase_set(plan: Plan, states: Mapping[int, TaskState], round_replies: Iterable[ReplyLike],
              asked: Mapping[str, Iterable[int]]) -> dict[str, list[int]]:
    """Per lead unit, the tasks it was asked about this round, still open for it and not answered this round."""
    answered = {(r.task, r.unit) for r in round_replies if r.status not in (REOPENED, CLOSED)}
    out: dict[str, list[int]] = {}
    for unit, numbers in asked.items():
        missing = [n for n in dict.fromkeys(numbers)
                   if (n, unit) not in answered and n in states and unit in states[n].leads
                   and not states[n].unit_done(unit)]
        if missing:
            out[unit] = missing
    return out

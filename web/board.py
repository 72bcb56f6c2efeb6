"""The board and task page as plain data (pure): built from a report, the plan and the reply history."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from knowledge.deadlines import deadlines
from knowledge.model import Plan, Task
from supervision.records import Reply
from supervision.reports import Report, Row
from supervision.rounds import CLOSED, DONE, LAGGING, NEEDS_HELP, NO_REPLY, ON_TRACK, REOPENED, STATUSES

# CSS class of each status (colours in the base template).
STATUS_CLASS: dict[str, str] = {DONE: "done", ON_TRACK: "ok", LAGGING: "late", NEEDS_HELP: "help", NO_REPLY: "none",
                                REOPENED: "none", CLOSED: "done"}
BOARD_STATUSES: tuple[str, ...] = (*STATUSES, NO_REPLY)


@dataclass(frozen=True)
class Filters:
    """The board's query parameters; empty means all."""

    leader: str = ""
    unit: str = ""
    section: str = ""
    status: str = ""

    @classmethod
    def of(cls, params: Mapping[str, str]) -> Filters:
        """From query parameters (unknown statuses are ignored)."""
        status = params.get("status", "").strip()
        return cls(params.get("leader", "").strip(), params.get("unit", "").strip(),
                   params.get("section", "").strip(), status if status in BOARD_STATUSES else "")

    @property
    def active(self) -> bool:
        """Whether any filter is set."""
        return bool(self.leader or self.unit or self.section or self.status)


@dataclass(frozen=True)
class Cell:
    """One lead unit's status of a task in the round."""

    unit: str
    status: str
    css: str
    note: str
    carried: bool


@dataclass(frozen=True)
class Line:
    """One task on the board: its units' cells and its deadline marks."""

    number: int
    title: str
    section: str
    leaders: tuple[str, ...]
    cells: tuple[Cell, ...]
    due: str  # the next milestone, ISO date; "" without one
    late_since: str  # the missed milestone of an overdue task, ISO date; "" when not overdue
    overdue: bool
    due_soon: bool


@dataclass
class Board:
    """The board of one week: lines, counts, and the choices of each filter."""

    lines: list[Line]
    counts: dict[str, int]
    leaders: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    tasks: int = 0  # tasks shown
    overdue: int = 0
    due_soon: int = 0


def _cell(row: Row) -> Cell:
    note = "；".join(x for x in (row.note, row.reason) if x)
    return Cell(row.unit, row.status, STATUS_CLASS.get(row.status, "none"), note, row.carried)


def _keep(task: Task, cells: list[Cell], filters: Filters) -> bool:
    if filters.leader and filters.leader not in task.leaders:
        return False
    if filters.section and filters.section != task.section:
        return False
    if filters.unit and all(c.unit != filters.unit for c in cells):
        return False
    return not (filters.status and all(c.status != filters.status for c in cells))


def build_board(plan: Plan, report: Report, today: date, filters: Filters, soon_days: int) -> Board:
    """The board of `report`'s week in plan order, filtered; counts are over the cells shown."""
    by_task: dict[int, list[Cell]] = {}
    for row in report.rows:
        by_task.setdefault(row.task, []).append(_cell(row))
    overdue = set(report.overdue)
    lines: list[Line] = []
    counts = dict.fromkeys(BOARD_STATUSES, 0)
    for task in plan.tasks:
        cells = sorted(by_task.get(task.number, []), key=lambda c: _unit_order(task, c.unit))
        if not _keep(task, cells, filters):
            continue
        shown = [c for c in cells if not filters.unit or c.unit == filters.unit]
        for c in shown:
            counts[c.status] = counts.get(c.status, 0) + 1
        dl = deadlines(task, today)
        late = task.number in overdue
        soon = not late and dl.next is not None and (dl.next - today).days <= soon_days
        missed = dl.last_passed.isoformat() if late and dl.last_passed else ""
        lines.append(Line(task.number, task.title, task.section, task.leaders, tuple(shown),
                          dl.next.isoformat() if dl.next else "", missed, late, soon))
    units = sorted({r.unit for r in report.rows})
    return Board(lines, counts, sorted({n for t in plan.tasks for n in t.leaders}), units,
                 list(dict.fromkeys(t.section for t in plan.tasks)), len(lines),
                 sum(ln.overdue for ln in lines), sum(ln.due_soon for ln in lines))


def _unit_order(task: Task, unit: str) -> tuple[int, str]:
    """Lead units in the plan's order first, then the others."""
    return (task.lead_units.index(unit), "") if unit in task.lead_units else (len(task.lead_units), unit)


@dataclass(frozen=True)
class Event:
    """One entry of a task's history."""

    at: str  # local time, YYYY-MM-DD HH:MM
    round_key: str
    unit: str
    role: str
    status: str
    css: str
    note: str
    reporter: str


def history(task: int, replies: Iterable[Reply], tz: tzinfo) -> dict[str, list[Event]]:
    """Each unit's statuses and notes for a task, oldest first (admin reopen/close under "")."""
    out: dict[str, list[Event]] = {}
    for r in replies:
        if r.task != task:
            continue
        note = "；".join(x for x in (r.note, r.reason) if x)
        at: datetime = r.at.astimezone(tz)
        out.setdefault(r.unit, []).append(Event(f"{at:%Y-%m-%d %H:%M}", r.round_key, r.unit, r.role, r.status,
                                                STATUS_CLASS.get(r.status, "none"), note, r.reporter))
    return out

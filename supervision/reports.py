"""Weekly, monthly and quarterly report tables as pure functions of the plan, the replies and the requests."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, tzinfo

from knowledge.deadlines import is_overdue
from knowledge.model import Plan, Task
from supervision import texts as msg
from supervision.records import KIND_REQUEST, Reply, Request
from supervision.rounds import (
    CLOSED,
    DONE,
    NO_REPLY,
    REOPENED,
    ROLE_LEAD,
    ROLE_LEADER,
    STATUS_ORDER,
    STATUSES,
    next_due,
)
from supervision.status_model import reporting_units, task_states

WEEKLY = "weekly"
MONTHLY = "monthly"
QUARTERLY = "quarterly"


@dataclass(frozen=True)
class Period:
    """What a report covers: its kind, a label such as 2023年10月, and the first and last day."""

    kind: str
    key: str  # 2023-W44, 2023-10 or 2023-Q4
    label: str
    start: date
    end: date


@dataclass(frozen=True)
class Row:
    """One task as reported by one unit in the period."""

    task: int
    title: str
    section: str
    leaders: tuple[str, ...]
    unit: str
    role: str
    status: str  # one of STATUSES, or NO_REPLY
    note: str
    reason: str
    reporter: str
    replied_at: datetime | None
    due_dates: tuple[date, ...]
    next_due: date | None
    overdue: bool
    changes: tuple[str, ...] = ()  # the statuses reported in the period, oldest first
    carried: bool = False  # 已完成 reported in an earlier period
    leader_comment: str = ""  # the task's latest leader comment ("刘鲲：需协调；说明"), apart from the units
    closed_note: str = ""  # an admin's /close note


@dataclass(frozen=True)
class UnitSummary:
    """Status counts of one unit."""

    unit: str
    counts: dict[str, int]
    lagging: tuple[int, ...]  # tasks reported 滞后/需协调

    @property
    def total(self) -> int:
        """How many tasks the unit has in the report."""
        return sum(self.counts.values())


@dataclass(frozen=True)
class Unanswered:
    """A round message that got no reply from its unit."""

    round_key: str
    unit: str
    tasks: tuple[int, ...]


@dataclass(frozen=True)
class Report:
    """A finished report, ready for the chat, the workbook or CSV."""

    plan_title: str
    period: Period
    generated_at: datetime
    rows: tuple[Row, ...]
    units: tuple[UnitSummary, ...]
    totals: dict[str, int]
    overdue: tuple[int, ...]
    unanswered: tuple[Unanswered, ...]
    reopened: tuple[int, ...] = field(default=())
    owing: dict[int, tuple[str, ...]] = field(default_factory=dict)  # overdue task -> its reporting units not done


def _local_day(at: datetime, tz: tzinfo) -> date:
    return at.astimezone(tz).date()


def _as_of(period: Period, now: datetime, tz: tzinfo) -> date:
    """The day the report is judged on: the period's end, or today while the period runs."""
    return min(period.end, _local_day(now, tz))


def _is_overdue(task: Task, as_of: date, done: set[int]) -> bool:
    return is_overdue(task, as_of, task.number in done)


def _comment(reply: Reply) -> str:
    text = "；".join(x for x in (reply.status, reply.note, reply.reason) if x)
    return msg.SV_REPLY_COMMENT.plain(unit=reply.unit, text=text)


def _as_closed(row: Row, closed: Reply, tz: tzinfo, start: date) -> Row:
    """A row of a task an admin closed (status_model: complete): 已完成, the close note first, the unit's own kept."""
    own = row.note if row.status == DONE else ""
    note = "；".join(x for x in (msg.SV_CLOSED_ROW.plain(note=closed.note), own) if x)
    if row.status == DONE:
        return replace(row, note=note)
    return replace(row, status=DONE, note=note, reason="", reporter=closed.reporter, replied_at=closed.at,
                   carried=_local_day(closed.at, tz) < start)


def _sort_key(row: Row) -> tuple[int, int, str]:
    return (STATUS_ORDER.get(row.status, 9), row.task, row.unit)


def build_report(plan: Plan, all_replies: Iterable[Reply], all_requests: Iterable[Request], period: Period,
                 now: datetime, tz: tzinfo, groups: Mapping[str, Iterable[str]]) -> Report:
    """The report of `period`: one row per task and unit, lagging first, with counts, overdue and unanswered."""
    history = sorted(all_replies, key=lambda r: r.id)
    as_of = _as_of(period, now, tz)
    end_instant = datetime.combine(period.end + timedelta(days=1), time(0), tzinfo=tz)
    until_end = [r for r in history if r.at < end_instant]
    in_period = [r for r in until_end if _local_day(r.at, tz) >= period.start]
    states = task_states(plan, until_end, groups)
    done = {n for n, st in states.items() if st.complete}
    latest: dict[tuple[int, str], Reply] = {}
    changes: dict[tuple[int, str], list[str]] = {}
    for r in in_period:
        if r.status in (REOPENED, CLOSED) or r.role == ROLE_LEADER:
            continue
        latest[(r.task, r.unit)] = r
        seq = changes.setdefault((r.task, r.unit), [])
        if not seq or seq[-1] != r.status:
            seq.append(r.status)
    earlier: dict[tuple[int, str], Reply] = {}
    for r in until_end:
        if r.status not in (REOPENED, CLOSED) and r.role != ROLE_LEADER and _local_day(r.at, tz) < period.start:
            earlier[(r.task, r.unit)] = r

    rows: list[Row] = []
    for task in plan.tasks:
        units = list(reporting_units(task, groups))
        units += [u for (n, u) in latest if n == task.number and u not in units]
        overdue = _is_overdue(task, as_of, done)
        state = states[task.number]
        comment = _comment(state.leader) if isinstance(state.leader, Reply) else ""
        closed = state.closed.note if isinstance(state.closed, Reply) else ""
        for unit in units:
            reply = latest.get((task.number, unit))
            carried = False
            if reply is None:
                prior = earlier.get((task.number, unit))
                if prior is not None and prior.status == DONE and state.unit_done(unit):
                    reply, carried = prior, True
            row = Row(
                task=task.number, title=task.title, section=task.section, leaders=task.leaders, unit=unit,
                role=reply.role if reply else ROLE_LEAD, status=reply.status if reply else NO_REPLY,
                note=reply.note if reply else "", reason=reply.reason if reply else "",
                reporter=reply.reporter if reply else "", replied_at=reply.at if reply else None,
                due_dates=task.due_dates, next_due=next_due(task, as_of), overdue=overdue,
                changes=tuple(changes.get((task.number, unit), ())), carried=carried,
                leader_comment=comment, closed_note=closed,
            )
            if isinstance(state.closed, Reply):
                row = _as_closed(row, state.closed, tz, period.start)
            rows.append(row)
    rows.sort(key=_sort_key)

    summaries: dict[str, dict[str, int]] = {}
    lagging: dict[str, list[int]] = {}
    for row in rows:
        counts = summaries.setdefault(row.unit, {s: 0 for s in (*STATUSES, NO_REPLY)})
        counts[row.status] = counts.get(row.status, 0) + 1
        if STATUS_ORDER.get(row.status, 9) < STATUS_ORDER[NO_REPLY]:
            lagging.setdefault(row.unit, []).append(row.task)
    unit_summaries = tuple(sorted(
        (UnitSummary(u, c, tuple(lagging.get(u, ()))) for u, c in summaries.items()),
        key=lambda us: (-len(us.lagging), -us.counts.get(NO_REPLY, 0), us.unit),
    ))
    totals = {s: sum(u.counts.get(s, 0) for u in unit_summaries) for s in (*STATUSES, NO_REPLY)}

    answered = {(r.round_key, r.unit) for r in until_end if r.status not in (REOPENED, CLOSED)}
    unanswered = tuple(
        Unanswered(q.round_key, q.unit, q.tasks)
        for q in all_requests
        if q.kind == KIND_REQUEST and q.sent_at is not None and (q.round_key, q.unit) not in answered
        and period.start <= _local_day(q.created_at, tz) <= period.end
    )
    unanswered = tuple({(u.round_key, u.unit): u for u in unanswered}.values())
    reopened = tuple(sorted({r.task for r in in_period if r.status == REOPENED}))
    late = tuple(t.number for t in plan.tasks if _is_overdue(t, as_of, done))
    owing = {n: tuple(u for u in states[n].leads if not states[n].unit_done(u)) for n in late}
    return Report(
        plan_title=plan.title, period=period, generated_at=now, rows=tuple(rows), units=unit_summaries, totals=totals,
        overdue=late, unanswered=unanswered, reopened=reopened, owing=owing,
    )

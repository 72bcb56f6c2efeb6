"""The round's use cases over the database (sync; the bot runs them in a thread): submit, dispatch, chase, report.

Admins may report on behalf: when an admin is not bound to a unit responsible for the task, the reply is
recorded for every lead unit of the task (reporter = the admin), so one admin 已完成 closes the task.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from html import escape

from sqlalchemy.orm import Session

from indexer.ledger import plan_key
from knowledge.model import Plan, Task
from planbot import messages as msg
from planbot import people
from planbot.db import Database
from planbot.errors import StatusError
from planbot.settings import Settings
from reminders.directory import group_members
from supervision import store
from supervision.periods import current_period
from supervision.render import round_text
from supervision.reports import WEEKLY, Period, Report, build_report
from supervision.rounds import (
    CODE_OF,
    ROLE_LEAD,
    STATUS_ORDER,
    STATUSES,
    RoundPeriod,
    assignments,
    lead_units_of,
    non_responders,
    responsibility,
    round_for,
    tasks_of,
)

TASKS_PER_MESSAGE = 24  # 4 buttons a task: 96, under Telegram's 100-button keyboard limit
Keyboard = list[list[tuple[str, str]]]  # rows of (label, callback data)


@dataclass(frozen=True)
class Outgoing:
    """A message to send for a recorded request; mark it sent afterwards."""

    request_id: int
    telegram_id: int
    unit: str
    parts: tuple[tuple[str, Keyboard], ...]


@dataclass
class Dispatch:
    """What a dispatch or chase prepared: messages to send, and what could not be sent."""

    round: RoundPeriod
    outgoing: list[Outgoing] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    already: int = 0
    unreachable: list[str] = field(default_factory=list)


def plan_key_of(plan: Plan) -> str:
    """The ledger's stable key of a plan family (replies survive a re-index of a changed document)."""
    return plan_key(plan)


def groups_for(s: Session, plan: Plan, settings: Settings) -> dict[str, tuple[str, ...]]:
    """Group names of the plan (各分局 …) with their member units from the directory and settings."""
    names = {n for t in plan.tasks for n in (*t.leaders, *t.lead_units, *t.units)}
    out: dict[str, tuple[str, ...]] = {}
    for name in sorted(names):
        members = group_members(s, name, settings.group_aliases)
        if members:
            out[name] = tuple(members)
    return out


def status_keyboard(task: int) -> list[tuple[str, str]]:
    """One row of the four status buttons of a task."""
    return [(msg.SV_BUTTON.format(number=task, status=st), f"status:{task}:{CODE_OF[st]}") for st in STATUSES]


def last_statuses(s: Session, plan_key: str) -> dict[tuple[int, str], str]:
    """The last status each unit reported on each task (any round)."""
    return {k: r.status for k, r in store.latest_by_unit(store.replies(s, plan_key)).items()}


def _unit_parts(rnd: RoundPeriod, unit: str, tasks: list[Task], last: dict[tuple[int, str], str],
                now: datetime, settings: Settings) -> tuple[tuple[str, Keyboard], ...]:
    today = now.astimezone(settings.tz).date()
    chunks = [tasks[i:i + TASKS_PER_MESSAGE] for i in range(0, len(tasks), TASKS_PER_MESSAGE)]
    own = {t.number: last[(t.number, unit)] for t in tasks if (t.number, unit) in last}
    return tuple(
        (round_text(rnd, unit, chunk, own, today, i + 1, len(chunks)), [status_keyboard(t.number) for t in chunk])
        for i, chunk in enumerate(chunks)
    )


def prepare_round(s: Session, plan: Plan, settings: Settings, now: datetime, *, kind: str = store.KIND_REQUEST,
                  only: Iterable[str] | None = None) -> Dispatch:
    """Record this round's messages to each lead unit's bound users (skipping those already sent)."""
    key = plan_key_of(plan)
    rnd = round_for(now, settings.tz)
    row = store.ensure_round(s, key, rnd, now)
    groups = groups_for(s, plan, settings)
    plan_assignments = assignments(plan, store.completed_tasks(s, key), groups)
    last = last_statuses(s, key)
    wanted = set(only) if only is not None else None
    out = Dispatch(rnd)
    for unit, tasks in plan_assignments.items():
        if wanted is not None and unit not in wanted:
            continue
        ids = people.ids_of(s, unit)
        if not ids:
            out.unreachable.append(unit)
            continue
        out.units.append(unit)
        parts = _unit_parts(rnd, unit, tasks, last, now, settings)
        if kind == store.KIND_CHASE:
            header = msg.SV_CHASE.format(unit=_esc(unit), round_label=_esc(rnd.label))
            parts = ((header + "\n\n" + parts[0][0], parts[0][1]), *parts[1:])
        for tid in ids:
            req = store.record_request(s, row, kind=kind, unit=unit, telegram_id=tid,
                                       tasks=[t.number for t in tasks], now=now)
            if req is None:
                out.already += 1
                continue
            out.outgoing.append(Outgoing(req.id, tid, unit, parts))
    return out


def _esc(text: str) -> str:
    return escape(text)


def prepare_chase(s: Session, plan: Plan, settings: Settings, now: datetime) -> Dispatch:
    """Record the non-responder reminder for units asked this round that have not replied on any task."""
    key = plan_key_of(plan)
    rnd = round_for(now, settings.tz)
    asked = [q.unit for q in store.requests(s, key, round_key=rnd.key, kind=store.KIND_REQUEST) if q.sent_at]
    replied = {r.unit for r in store.replies(s, key, round_key=rnd.key)}
    return prepare_round(s, plan, settings, now, kind=store.KIND_CHASE, only=non_responders(asked, replied))


@dataclass(frozen=True)
class Submitted:
    """Replies stored for one status report, and how to confirm it."""

    replies: tuple[store.Reply, ...]
    task: Task
    on_behalf: bool
    round: RoundPeriod


def submit(s: Session, plan: Plan, settings: Settings, now: datetime, *, telegram_id: int, reporter: str,
           task_number: int, status: str, note: str = "", reason: str = "") -> Submitted:
    """Validate and store a status reply; StatusError (nothing stored) when the user may not report it."""
    task = plan.task(task_number)
    numbers = [t.number for t in plan.tasks]
    if task is None:
        raise StatusError(msg.SV_NO_TASK.format(number=task_number, first=min(numbers, default=0),
                                                last=max(numbers, default=0)))
    if status not in STATUSES:
        raise StatusError(msg.SV_UNKNOWN_STATUS.format(status=status, number=task_number))
    groups = groups_for(s, plan, settings)
    names = people.names_of(s, telegram_id)
    resp = responsibility(task, names, groups)
    is_admin = telegram_id in settings.admins
    if resp is not None:
        targets = [(resp.name, resp.role)]
    elif is_admin:
        targets = [(u, ROLE_LEAD) for u in lead_units_of(task, groups)]
        if not targets:
            raise StatusError(msg.SV_NO_LEAD.format(number=task_number))
    elif not names:
        raise StatusError(msg.SV_NOT_BOUND)
    else:
        mine = tasks_of(plan, names, groups)
        raise StatusError(msg.SV_NOT_YOURS.format(number=task_number, names="、".join(names),
                                                  tasks="、".join(map(str, mine)) or msg.SV_NONE))
    key = plan_key_of(plan)
    rnd = round_for(now, settings.tz)
    store.ensure_round(s, key, rnd, now)
    replies = tuple(
        store.add_reply(s, plan_key=key, round_key=rnd.key, task=task.number, unit=unit, role=role, status=status,
                        telegram_id=telegram_id, now=now, note=note, reason=reason, reporter=reporter)
        for unit, role in targets
    )
    return Submitted(replies, task, resp is None, rnd)


def reopen_task(s: Session, plan: Plan, settings: Settings, now: datetime, *, telegram_id: int, reporter: str,
                task_number: int) -> None:
    """An admin reopens a task reported 已完成; StatusError when it is not done or does not exist."""
    numbers = [t.number for t in plan.tasks]
    if plan.task(task_number) is None:
        raise StatusError(msg.SV_NO_TASK.format(number=task_number, first=min(numbers, default=0),
                                                last=max(numbers, default=0)))
    key = plan_key_of(plan)
    if task_number not in store.completed_tasks(s, key):
        raise StatusError(msg.SV_REOPEN_NOT_DONE.format(number=task_number))
    rnd = round_for(now, settings.tz)
    store.reopen(s, plan_key=key, round_key=rnd.key, task=task_number, telegram_id=telegram_id, now=now,
                 reporter=reporter)


def make_report(s: Session, plan: Plan, settings: Settings, now: datetime, period: Period | None = None) -> Report:
    """The report of a period (this week by default) from the stored replies and requests."""
    key = plan_key_of(plan)
    period = period or current_period(WEEKLY, now, settings.tz)
    return build_report(plan, store.replies(s, key), store.requests(s, key), period, now, settings.tz,
                        groups_for(s, plan, settings))


def round_state(s: Session, plan: Plan, settings: Settings, now: datetime) -> tuple[list[str], list[str]]:
    """(units that replied, units asked that did not) in this round."""
    key = plan_key_of(plan)
    rnd = round_for(now, settings.tz)
    asked = [q.unit for q in store.requests(s, key, round_key=rnd.key, kind=store.KIND_REQUEST) if q.sent_at]
    replied = list(dict.fromkeys(r.unit for r in store.replies(s, key, round_key=rnd.key) if r.unit))
    return replied, non_responders(asked, replied)


def statuses_now(report: Report) -> dict[int, str]:
    """One status per task for the timeline: the most urgent status any of its units reported."""
    out: dict[int, str] = {}
    for row in report.rows:
        current = out.get(row.task)
        if current is None or STATUS_ORDER.get(row.status, 9) < STATUS_ORDER.get(current, 9):
            out[row.task] = row.status
    return out


def build_export(db: Database, settings: Settings, plan: Plan, period: Period, now: datetime,
                 as_csv: bool = False) -> tuple[Report, bytes, str]:
    """A period's report as workbook (with the timeline picture) or CSV bytes, and a file name for it."""
    # Imported on use (openpyxl, matplotlib): only exports need them, and they are slow to import.
    from supervision.export import to_csv, to_xlsx
    from supervision.timeline import timeline_png

    report = db.run(lambda s: make_report(s, plan, settings, now, period))
    base = f"{plan.year}-{period.kind}-{period.key}".replace(":", "-")
    if as_csv:
        return report, to_csv(report, settings.tz), f"{base}.csv"
    picture = timeline_png(plan, statuses_now(report), period.label)
    return report, to_xlsx(report, settings.tz, picture), f"{base}.xlsx"


def timeline_for(db: Database, settings: Settings, plan: Plan, now: datetime) -> tuple[Report, bytes]:
    """This week's timeline picture."""
    from supervision.timeline import timeline_png  # on use, as in build_export

    report = db.run(lambda s: make_report(s, plan, settings, now))
    return report, timeline_png(plan, statuses_now(report), report.period.label)

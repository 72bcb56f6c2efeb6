"""The round's use cases over the database (sync; the bot runs them in a thread): submit, dispatch, chase, report.

Who completes a task: supervision.status_model. Admins may report on behalf: when an admin is not bound to a unit
responsible for the task, the reply is recorded for every lead unit of the task (reporter = the admin).
Chases are recorded per day (kind c<YYYYMMDD>): a unit is chased at most once a day, whatever happened before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from indexer import texts as idx_msg
from indexer.ledger import plan_key
from knowledge.model import Plan, Task
from planbot import people
from planbot.db import Database
from planbot.errors import LeadUnitChoice, StatusError
from planbot.render import Html, join, join_lines
from planbot.settings import Settings
from reminders.directory import group_members
from reminders.ports import Completion
from supervision import status_model, store
from supervision import texts as msg
from supervision.periods import current_period
from supervision.render import round_text
from supervision.reports import WEEKLY, Period, Report, build_report
from supervision.rounds import (
    CODE_OF,
    ROLE_LEAD,
    ROLE_LEADER,
    STATUS_ORDER,
    STATUSES,
    RoundPeriod,
    lead_units_of,
    responsibility,
    round_for,
    tasks_of,
)

TASKS_PER_MESSAGE = 10  # 4 buttons a task: 40 a page, well under Telegram's 100-button keyboard limit
Keyboard = list[list[tuple[str, str]]]  # rows of (label, callback data)
# A line (rendered HTML) added to a unit's round message: its web fill-in link. Wired by the
# composition root when the web desk is on.
RoundLink = Callable[[Session, str, RoundPeriod], Html]


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
    tasks: dict[str, list[int]] = field(default_factory=dict)  # per unit asked (or chased), its task numbers
    unbound: dict[str, list[int]] = field(default_factory=dict)  # a chase: units without a binding still owing


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
    return [(msg.SV_BUTTON.plain(number=task, status=st), f"status:{task}:{CODE_OF[st]}") for st in STATUSES]


def completion(s: Session, plan: Plan, settings: Settings) -> tuple[set[int], set[tuple[int, str]],
                                                                   dict[int, status_model.TaskState]]:
    """(complete tasks, (task, lead unit) pairs done, every task's state) from the stored replies."""
    states = status_model.task_states(plan, store.replies(s, plan_key_of(plan)), groups_for(s, plan, settings))
    done = {n for n, st in states.items() if st.complete}
    pairs = {(n, u) for n, st in states.items() for u in st.leads if st.unit_done(u)}
    return done, pairs, states


def done_work(s: Session, plan: Plan, settings: Settings) -> Completion:
    """What reminders skip (wired by the composition root as reminders.ports.CompletedTasks)."""
    done, pairs, _ = completion(s, plan, settings)
    return Completion(done, pairs)


def chase_kind(now: datetime, settings: Settings) -> str:
    """The request kind of a chase sent on `now`'s day (fits the 10-character column)."""
    return f"c{now.astimezone(settings.tz):%Y%m%d}"


def is_chase(kind: str) -> bool:
    """Whether a stored request kind is a chase (chase_kind's cYYYYMMDD, or the generic KIND_CHASE)."""
    return kind == store.KIND_CHASE or (len(kind) == 9 and kind[0] == "c" and kind[1:].isdigit())


def _round_answers(s: Session, key: str, rnd: RoundPeriod) -> dict[tuple[int, str], str]:
    """(task, unit) -> the status reported this round (the last one)."""
    return {k: r.status for k, r in store.latest_by_unit(store.replies(s, key, round_key=rnd.key)).items()}


def _unit_parts(rnd: RoundPeriod, unit: str, tasks: list[Task], answers: dict[tuple[int, str], str],
                states: dict[int, status_model.TaskState], now: datetime, settings: Settings,
                ) -> tuple[tuple[str, Keyboard], ...]:
    chunks = [tasks[i:i + TASKS_PER_MESSAGE] for i in range(0, len(tasks), TASKS_PER_MESSAGE)]
    return tuple(page_of(rnd, unit, chunk, answers, states, now, settings, i + 1, len(chunks))
                 for i, chunk in enumerate(chunks))


def page_of(rnd: RoundPeriod, unit: str, tasks: list[Task], answers: dict[tuple[int, str], str],
            states: dict[int, status_model.TaskState], now: datetime, settings: Settings, part: int = 1,
            parts: int = 1) -> tuple[str, Keyboard]:
    """One page of a unit's round message: answered tasks show their status, the others their buttons."""
    today = now.astimezone(settings.tz).date()
    answered = {t.number: answers[(t.number, unit)] for t in tasks if (t.number, unit) in answers}
    last = {}
    for t in tasks:
        reply = states[t.number].units.get(unit) if t.number in states else None
        if reply is not None:
            last[t.number] = reply.status
    text = round_text(rnd, unit, tasks, last, today, part, parts, answered)
    return text, [status_keyboard(t.number) for t in tasks if t.number not in answered]


def prepare_round(s: Session, plan: Plan, settings: Settings, now: datetime, *, kind: str = store.KIND_REQUEST,
                  only: dict[str, list[int]] | None = None, late: bool = False,
                  link: RoundLink | None = None) -> Dispatch:
    """Record this round's messages to each lead unit's bound users (skipping those already sent).

    `only`: a chase: the units and the tasks to chase them for. `late`: the round goes out after the chase was
    due (the bot was down), so it carries the chase's header instead of a second message. `link`: a line added
    to each unit's message.
    """
    key = plan_key_of(plan)
    rnd = round_for(now, settings.tz)
    row = store.ensure_round(s, key, rnd, now)
    _, _, states = completion(s, plan, settings)
    plan_assignments = status_model.open_assignments(plan, states)
    answers = _round_answers(s, key, rnd)
    out = Dispatch(rnd)
    for unit, tasks in plan_assignments.items():
        if only is not None:
            if unit not in only:
                continue
            tasks = [t for t in tasks if t.number in only[unit]]
            if not tasks:
                continue
        out.tasks[unit] = [t.number for t in tasks]
        ids = people.ids_of(s, unit)
        if not ids:
            out.unreachable.append(unit)
            continue
        out.units.append(unit)
        parts = _unit_parts(rnd, unit, tasks, answers, states, now, settings)
        if only is not None or late:
            header = msg.SV_CHASE.render(unit=unit, round_label=rnd.label)
            parts = ((header + "\n\n" + parts[0][0], parts[0][1]), *parts[1:])
        extra = link(s, unit, rnd) if link is not None else None
        if extra:
            parts = ((join_lines([parts[0][0], extra]), parts[0][1]), *parts[1:])
        for tid in ids:
            req = store.record_request(s, row, kind=kind, unit=unit, telegram_id=tid,
                                       tasks=[t.number for t in tasks], now=now)
            if req is None:
                out.already += 1
                continue
            out.outgoing.append(Outgoing(req.id, tid, unit, parts))
    return out


def chase_targets(s: Session, plan: Plan, settings: Settings, now: datetime, *, asked_before: datetime | None = None,
                  delivered_only: bool = True) -> dict[str, list[int]]:
    """Per lead unit, the tasks it was asked about this round and has not answered (and is not done with).

    `asked_before`: only requests delivered before then (a round sent late on the chase day is not chased);
    `delivered_only=False`: units the round never reached count too (they are still 未报送)."""
    key = plan_key_of(plan)
    rnd = round_for(now, settings.tz)
    asked: dict[str, list[int]] = {}
    for q in store.requests(s, key, round_key=rnd.key, kind=store.KIND_REQUEST):
        if not delivered_only or (q.sent_at and (asked_before is None or q.sent_at < asked_before)):
            asked.setdefault(q.unit, []).extend(q.tasks)
    _, _, states = completion(s, plan, settings)
    return status_model.chase_set(plan, states, store.replies(s, key, round_key=rnd.key), asked)


def prepare_chase(s: Session, plan: Plan, settings: Settings, now: datetime,
                  asked_before: datetime | None = None, link: RoundLink | None = None) -> Dispatch:
    """Record today's reminder to each lead unit for the tasks of this round it has not answered."""
    out = prepare_round(s, plan, settings, now, kind=chase_kind(now, settings),
                        only=chase_targets(s, plan, settings, now, asked_before=asked_before), link=link)
    out.unbound = unbound_owing(s, plan, settings, now)
    return out


def unbound_owing(s: Session, plan: Plan, settings: Settings, now: datetime) -> dict[str, list[int]]:
    """Lead units no Telegram user is bound to, with their open tasks not answered this round (never chased)."""
    rnd = round_for(now, settings.tz)
    answers = _round_answers(s, plan_key_of(plan), rnd)
    _, _, states = completion(s, plan, settings)
    out: dict[str, list[int]] = {}
    for unit, tasks in status_model.open_assignments(plan, states).items():
        missing = [t.number for t in tasks if (t.number, unit) not in answers]
        if missing and not people.ids_of(s, unit):
            out[unit] = missing
    return out


def round_page(s: Session, plan: Plan, settings: Settings, now: datetime, telegram_id: int,
               task_number: int) -> tuple[str, Keyboard] | None:
    """The page of this user's round message holding `task_number`, as it reads now (None: no such message)."""
    key = plan_key_of(plan)
    rnd = round_for(now, settings.tz)
    task = plan.task(task_number)
    if task is None:
        return None
    resp = responsibility(task, people.names_of(s, telegram_id), groups_for(s, plan, settings))
    units = [resp.name] if resp is not None else list(lead_units_of(task, groups_for(s, plan, settings)))
    for q in store.requests(s, key, round_key=rnd.key, kind=store.KIND_REQUEST):
        if q.telegram_id != telegram_id or q.unit not in units or task_number not in q.tasks:
            continue
        numbers = list(q.tasks)
        start = numbers.index(task_number) // TASKS_PER_MESSAGE * TASKS_PER_MESSAGE
        page = [t for n in numbers[start:start + TASKS_PER_MESSAGE] if (t := plan.task(n)) is not None]
        pages = -(-len(numbers) // TASKS_PER_MESSAGE)
        _, _, states = completion(s, plan, settings)
        return page_of(rnd, q.unit, page, _round_answers(s, key, rnd), states, now, settings,
                       start // TASKS_PER_MESSAGE + 1, pages)
    return None


@dataclass(frozen=True)
class Submitted:
    """Replies stored for one status report, and how to confirm it."""

    replies: tuple[store.Reply, ...]
    task: Task
    on_behalf: bool
    round: RoundPeriod
    leader: bool = False  # a leader's comment: never completes or reopens the task


def submit(s: Session, plan: Plan, settings: Settings, now: datetime, *, telegram_id: int, reporter: str,
           task_number: int, status: str, note: str = "", reason: str = "", unit: str = "",
           names: Sequence[str] | None = None) -> Submitted:
    """Validate and store a status reply; StatusError (nothing stored) when the user may not report it.

    An admin not responsible for the task reports on behalf of its lead unit: `unit` names which one (exactly, or a
    part of one name); with several lead units and no `unit`, LeadUnitChoice lists them to choose from.
    `names`: report as these names instead of the user's bindings (a unit's web fill-in link: the link names the
    unit, and the same rules apply as to a user bound to it; never an admin's on-behalf report).
    """
    task = plan.task(task_number)
    numbers = [t.number for t in plan.tasks]
    if task is None:
        raise StatusError(msg.SV_NO_TASK.plain(number=task_number, first=min(numbers, default=0),
                                                last=max(numbers, default=0)))
    if status not in STATUSES:
        raise StatusError(msg.SV_UNKNOWN_STATUS.plain(status=status, number=task_number))
    groups = groups_for(s, plan, settings)
    as_named = names is not None
    names = list(names) if names is not None else people.names_of(s, telegram_id)
    resp = responsibility(task, names, groups)
    is_admin = telegram_id in settings.admins and not as_named
    if resp is not None:
        targets = [(resp.name, resp.role)]
    elif is_admin:
        targets = [(u, ROLE_LEAD) for u in _chosen_lead(task, groups, unit)]
    elif not names:
        raise StatusError(msg.SV_NOT_BOUND)
    else:
        mine = tasks_of(plan, names, groups)
        raise StatusError(msg.SV_NOT_YOURS.plain(number=task_number, names=names,
                                                  tasks=mine or idx_msg.NONE_TEXT))
    key = plan_key_of(plan)
    rnd = round_for(now, settings.tz)
    store.ensure_round(s, key, rnd, now)
    replies = tuple(
        store.add_reply(s, plan_key=key, round_key=rnd.key, task=task.number, unit=name, role=role, status=status,
                        telegram_id=telegram_id, now=now, note=note, reason=reason, reporter=reporter)
        for name, role in targets
    )
    return Submitted(replies, task, resp is None, rnd, resp is not None and resp.role == ROLE_LEADER)


def _chosen_lead(task: Task, groups: dict[str, tuple[str, ...]], unit: str) -> tuple[str, ...]:
    """The lead unit an admin reports for: the only one, or the one `unit` names; else LeadUnitChoice."""
    leads = lead_units_of(task, groups)
    if not leads:
        raise StatusError(msg.SV_NO_LEAD.plain(number=task.number))
    wanted = unit.strip().lstrip("@＠")
    if wanted:
        found = [u for u in leads if u == wanted] or [u for u in leads if wanted in u]
        if len(found) == 1:
            return (found[0],)
        raise LeadUnitChoice(msg.SV_WHICH_LEAD_UNKNOWN.plain(unit=wanted, number=task.number, units=leads), leads)
    if len(leads) > 1:
        raise LeadUnitChoice(msg.SV_WHICH_LEAD.plain(number=task.number, title=task.title, units=leads), leads)
    return leads


def lead_unit_at(s: Session, plan: Plan, settings: Settings, task_number: int, index: int) -> str | None:
    """The lead unit at `index` of a task's lead units (as the choice buttons list them); None when stale."""
    task = plan.task(task_number)
    if task is None:
        return None
    leads = lead_units_of(task, groups_for(s, plan, settings))
    return leads[index] if 0 <= index < len(leads) else None


def reopen_task(s: Session, plan: Plan, settings: Settings, now: datetime, *, telegram_id: int, reporter: str,
                task_number: int) -> None:
    """An admin reopens a task reported 已完成; StatusError when it is not done or does not exist."""
    numbers = [t.number for t in plan.tasks]
    if plan.task(task_number) is None:
        raise StatusError(msg.SV_NO_TASK.plain(number=task_number, first=min(numbers, default=0),
                                                last=max(numbers, default=0)))
    key = plan_key_of(plan)
    if task_number not in completion(s, plan, settings)[0]:
        raise StatusError(msg.SV_REOPEN_NOT_DONE.plain(number=task_number))
    rnd = round_for(now, settings.tz)
    store.reopen(s, plan_key=key, round_key=rnd.key, task=task_number, telegram_id=telegram_id, now=now,
                 reporter=reporter)


def close_task(s: Session, plan: Plan, settings: Settings, now: datetime, *, telegram_id: int, reporter: str,
               task_number: int, note: str) -> None:
    """An admin closes a task (/close N 说明); StatusError when it does not exist or is complete already."""
    numbers = [t.number for t in plan.tasks]
    if plan.task(task_number) is None:
        raise StatusError(msg.SV_NO_TASK.plain(number=task_number, first=min(numbers, default=0),
                                                last=max(numbers, default=0)))
    if task_number in completion(s, plan, settings)[0]:
        raise StatusError(msg.SV_CLOSE_ALREADY.plain(number=task_number))
    rnd = round_for(now, settings.tz)
    store.ensure_round(s, plan_key_of(plan), rnd, now)
    store.close(s, plan_key=plan_key_of(plan), round_key=rnd.key, task=task_number, telegram_id=telegram_id,
                now=now, reporter=reporter, note=note)


def make_report(s: Session, plan: Plan, settings: Settings, now: datetime, period: Period | None = None) -> Report:
    """The report of a period (this week by default) from the stored replies and requests."""
    key = plan_key_of(plan)
    period = period or current_period(WEEKLY, now, settings.tz)
    return build_report(plan, store.replies(s, key), store.requests(s, key), period, now, settings.tz,
                        groups_for(s, plan, settings))


def round_state(s: Session, plan: Plan, settings: Settings, now: datetime) -> tuple[list[str], list[str]]:
    """(units that replied this round, units with tasks of this round still unanswered)."""
    key = plan_key_of(plan)
    rnd = round_for(now, settings.tz)
    replied = list(dict.fromkeys(r.unit for r in store.replies(s, key, round_key=rnd.key)
                                 if r.unit and r.role != "leader"))
    # Every unit asked counts, delivered or not: a unit the round never reached is still 未报送.
    return replied, list(chase_targets(s, plan, settings, now, delivered_only=False))


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


def task_status_lines(s: Session, plan: Plan, settings: Settings, task_number: int) -> list[str]:
    """Plain lines for a task card: each lead unit's latest status, the leader's comment, and whether complete."""
    _, _, states = completion(s, plan, settings)
    state = states.get(task_number)
    if state is None:
        return []
    lines = [msg.SV_CARD_UNIT.plain(unit=u, status=(r.status if (r := state.units.get(u)) else msg.SV_NO_STATUS))
             for u in state.leads]
    if state.leader is not None:
        leader = state.leader
        note = getattr(leader, "note", "") or getattr(leader, "reason", "")
        lines.append(msg.SV_CARD_LEADER.plain(leader=leader.unit, status=leader.status,
                                              note=msg.SV_NOTE_SUFFIX.plain(note=note) if note else ""))
    if state.closed is not None:
        lines.append(msg.SV_CARD_CLOSED.plain(note=getattr(state.closed, "note", "")))
    elif state.complete:
        lines.append(msg.SV_CARD_COMPLETE)
    return lines


KIND_LEADER = "leader"  # the Friday round summary to a leader


def leader_summaries(s: Session, plan: Plan, settings: Settings, now: datetime) -> list[Outgoing]:
    """Record this round's summary to each bound leader: their open tasks and each lead unit's status this round."""
    key = plan_key_of(plan)
    rnd = round_for(now, settings.tz)
    row = store.ensure_round(s, key, rnd, now)
    done, _, states = completion(s, plan, settings)
    answers = _round_answers(s, key, rnd)
    out: list[Outgoing] = []
    for leader in plan.leaders:
        ids = people.ids_of(s, leader)
        mine = [t for t in plan.tasks if leader in t.leaders]
        open_tasks = [t for t in mine if t.number not in done]
        if not ids or not mine:
            continue
        lines = [msg.SV_LEADER_DIGEST_HEADER.render(round_label=rnd.label, leader=leader,
                                                    total=len(mine), done=len(mine) - len(open_tasks))]
        for t in open_tasks:
            units = join((msg.SV_LEADER_DIGEST_UNIT.render(unit=u, status=answers.get((t.number, u), msg.SV_NO_STATUS))
                          for u in states[t.number].leads), "；")
            lines.append(msg.SV_LEADER_DIGEST_LINE.render(number=t.number, title=t.title, units=units))
        text = join_lines(lines)
        for tid in ids:
            req = store.record_request(s, row, kind=KIND_LEADER, unit=leader, telegram_id=tid,
                                       tasks=[t.number for t in open_tasks], now=now)
            if req is not None:
                out.append(Outgoing(req.id, tid, leader, ((text, []),)))
    return out

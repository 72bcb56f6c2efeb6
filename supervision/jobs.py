"""Scheduled jobs of the round: Monday dispatch, Wednesday chase, Friday digest, monthly summary on the 1st.

Each is an `async def job(application) -> None` (the scheduler runs it at its time and catches a missed run up)
and can be called directly in tests; `now` always comes from services.clock. Requests are recorded and their
messages queued in the one outbox (reminders.queue) with idempotency keys; the dispatcher sends them and marks
each request delivered, so a restart or a second process never sends one twice, and a failure is retried while
the round runs.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from indexer import texts as idx_msg
from knowledge.deadlines import PLAN_END_GRACE, plan_ended, plan_last_deadline
from knowledge.model import Plan
from planbot.render import join_lines, split_html
from reminders.directory import chat_of
from reminders.queue import Outgoing, queue, states
from reminders.scheduler import JobServices, services_of
from reminders.store import CHASE, MONTHLY, PENDING, ROUND, ROUND_DIGEST, SENT
from supervision import service, store
from supervision import texts as msg
from supervision.periods import month_period
from supervision.render import report_text
from supervision.reports import Period
from supervision.rounds import RoundPeriod, previous_month, round_for, week_schedule

log = logging.getLogger(__name__)


def keyboard(rows: service.Keyboard) -> InlineKeyboardMarkup | None:
    """Inline keyboard from (label, data) rows."""
    if not rows:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d) for t, d in row] for row in rows])


def round_link(services: JobServices) -> service.RoundLink | None:
    """The fill-in link line the composition root wired (bot.services.Services.round_link), if any."""
    link: service.RoundLink | None = getattr(services, "round_link", None)
    return link


def _services(application: Any) -> JobServices:
    return services_of(application)


async def _plan(services: JobServices) -> Plan:
    return await services.plans.current()


def _chat(s: Any, telegram_id: int) -> int:
    return chat_of(s, telegram_id)


def _parts(text: str, rows: service.Keyboard | None) -> list[tuple[str, service.Keyboard | None]]:
    """HTML text split at Telegram's limit; the keyboard goes on the last part."""
    parts = split_html(text)
    return [(part, rows if i == len(parts) - 1 else None) for i, part in enumerate(parts)]


def round_closes(rnd: RoundPeriod, tz: Any) -> datetime:
    """Midnight after the round's last day: until then its messages are worth delivering."""
    return datetime.combine(rnd.end + timedelta(days=1), time(0, 0), tzinfo=tz)


@dataclass(frozen=True)
class Sent:
    """How a dispatch went."""

    round: RoundPeriod
    sent: int
    units: int
    already: int
    unreachable: tuple[str, ...]
    failed: tuple[str, ...]
    tasks: tuple[tuple[str, tuple[int, ...]], ...] = ()  # (unit, its task numbers) of every unit asked or chased
    unbound: tuple[tuple[str, tuple[int, ...]], ...] = ()  # a chase: units without a binding still owing


def _queue_prepared(s: Any, prepared: service.Dispatch, kind: str, now: datetime, expires: datetime
                    ) -> dict[int, list[str]]:
    """Queue each prepared request's parts in the outbox; returns request id -> its outbox keys."""
    items: list[Outgoing] = []
    keys: dict[int, list[str]] = {}
    for out in prepared.outgoing:
        chat = _chat(s, out.telegram_id)
        for i, (text, rows) in enumerate(out.parts):
            for j, (part, markup) in enumerate(_parts(text, rows)):
                key = f"sv:{kind}:{out.request_id}:{i}.{j}"
                keys.setdefault(out.request_id, []).append(key)
                items.append(Outgoing(key, kind, chat, part, markup, ref_id=out.request_id))
    queue(s, items, now, expires, day=prepared.round.start)
    return keys


async def deliver(application: Any, prepare: Callable[[Any, datetime], service.Dispatch], kind: str) -> Sent:
    """Record the requests and queue their messages in one transaction (a crash leaves both or neither),
    send what is due now, and say how it went."""
    services = _services(application)
    now = services.clock()
    expires = round_closes(round_for(now, services.settings.tz), services.settings.tz)

    def record(s: Any) -> tuple[service.Dispatch, dict[int, list[str]]]:
        prepared = prepare(s, now)
        return prepared, _queue_prepared(s, prepared, kind, now, expires)

    prepared, keys = await services.db.arun(record)
    await services.scheduler.deliver_now()
    all_keys = [k for ks in keys.values() for k in ks]
    state = await services.db.arun(lambda s: states(s, all_keys))
    sent, failed = 0, []
    for out in prepared.outgoing:
        got = [state.get(k) for k in keys.get(out.request_id, [])]
        if got and all(st == SENT for st in got):
            sent += 1
        elif any(st not in (SENT, PENDING) for st in got):
            failed.append(out.unit)
    return Sent(prepared.round, sent, len(prepared.units), prepared.already, tuple(prepared.unreachable),
                tuple(dict.fromkeys(failed)), tuple((u, tuple(n)) for u, n in prepared.tasks.items()),
                tuple((u, tuple(n)) for u, n in prepared.unbound.items()))


async def dispatch_round(application: Any, *, late: bool = False) -> Sent:
    """Send this week's round to every reachable lead unit (those already sent are skipped)."""
    services = _services(application)
    plan = await _plan(services)
    link = round_link(services)
    return await deliver(application, lambda s, now: service.prepare_round(s, plan, services.settings, now,
                                                                          late=late, link=link), ROUND)


async def chase(application: Any, *, asked_before: datetime | None = None) -> Sent:
    """Remind the units that have not replied this round."""
    services = _services(application)
    plan = await _plan(services)
    link = round_link(services)
    return await deliver(application, lambda s, now: service.prepare_chase(s, plan, services.settings, now,
                                                                          asked_before, link), CHASE)


async def _to_admins(application: Any, kind: str, period: RoundPeriod, text: str, document: bytes | None = None,
                     filename: str | None = None, expires: datetime | None = None) -> None:
    """Queue something once per admin per period (recorded like a request, so a restart does not repeat it)."""
    services = _services(application)
    plan = await _plan(services)
    now = services.clock()
    key = service.plan_key_of(plan)
    outbox_kind = MONTHLY if document is not None else ROUND_DIGEST

    def record(s: Any) -> None:
        row = store.ensure_round(s, key, period, now)
        items = []
        for admin in sorted(services.settings.admins):
            req = store.record_request(s, row, kind=kind, unit="", telegram_id=admin, tasks=[], now=now)
            if req is None:
                continue
            parts = [(text, None)] if document is not None else _parts(text, None)
            for j, (part, _) in enumerate(parts):
                items.append(Outgoing(f"sv:{kind}:{req.id}:0.{j}", outbox_kind, _chat(s, admin), part,
                                      document=document, filename=filename, ref_id=req.id))
        queue(s, items, now, expires or round_closes(period, services.settings.tz), day=period.start)

    await services.db.arun(record)
    await services.scheduler.deliver_now()


def _today(application: Any) -> date:
    services = _services(application)
    return services.clock().astimezone(services.settings.tz).date()


def _day_of(application: Any, job: str) -> date | None:
    """The day the weekly `job` runs this week (moved off holidays), None if the week has none."""
    return week_schedule(_today(application), _services(application).settings).get(job)


async def _chased_this_round(application: Any) -> bool:
    services = _services(application)
    plan = await _plan(services)
    key = service.plan_key_of(plan)
    rnd = round_for(services.clock(), services.settings.tz)
    kinds = await services.db.arun(lambda s: {q.kind for q in store.requests(s, key, round_key=rnd.key)})
    return any(k == store.KIND_CHASE or (k.startswith("c") and k[1:].isdigit()) for k in kinds)


def _due(application: Any, job: str) -> date | None:
    """This week's day of `job` if it is today or has passed (a run missed while down is made up within
    the week; the job records what it sent, so running again sends nothing twice); else None."""
    day = _day_of(application, job)
    if day is not None and day <= _today(application):
        return day
    log.debug("%s is not due on %s (its day this week: %s)", job, _today(application), day)
    return None


async def _plan_running(application: Any, job: str) -> bool:
    """False once the plan has ended (as for reminders): the automatic round and chase stop; /weekly 确认 forces."""
    services = _services(application)
    plan = await _plan(services)
    if plan_ended(plan, services.clock().astimezone(services.settings.tz).date()):
        log.info("%s skipped: the plan %s has ended", job, plan.title)
        return False
    return True


async def weekly_dispatch(application: Any) -> None:
    """Monday (or the first working day after it; caught up later in the week after downtime): the weekly round
    to every lead unit — after the chase's day, with the chase's header instead of a second message."""
    due = _due(application, "dispatch")
    if due is None or not await _plan_running(application, "dispatch"):
        return
    chase_day = _day_of(application, "chase")
    result = await dispatch_round(application, late=chase_day is not None and _today(application) >= chase_day)
    log.info("weekly round %s: sent %d, already %d, unreachable %s", result.round.key, result.sent, result.already,
             result.unreachable)


async def chase_nonresponders(application: Any) -> None:
    """Wednesday (holidays moved; caught up later in the week): remind each lead unit of the tasks it has not
    answered — only units asked before the chase's day (a round sent late already carries the chase)."""
    due = _due(application, "chase")
    if due is None or (due < _today(application) and await _chased_this_round(application)):
        return  # a chase missed while down is made up once, not every later day of the week
    if not await _plan_running(application, "chase"):
        return
    tz = _services(application).settings.tz
    result = await chase(application, asked_before=datetime.combine(due, time(0, 0), tzinfo=tz))
    log.info("round %s chase: sent %d", result.round.key, result.sent)


async def friday_digest(application: Any) -> None:
    """Friday (holidays moved): the state of the round to the admins (who replied, who did not, lagging first)."""
    if _due(application, "digest") is None:
        return
    services = _services(application)
    plan = await _plan(services)
    now = services.clock()
    settings = services.settings

    def build(s: Any) -> tuple[list[str], list[str], str]:
        replied, missing = service.round_state(s, plan, settings, now)
        return replied, missing, report_text(service.make_report(s, plan, settings, now))

    replied, missing, body = await services.db.arun(build)
    rnd = round_for(now, settings.tz)
    at = now.astimezone(settings.tz).strftime("%m-%d %H:%M")
    head = join_lines([
        msg.SV_DIGEST_HEADER.render(round_label=rnd.label, at=at),
        msg.SV_DIGEST_REPLIED.render(count=len(replied), units=replied or idx_msg.NONE_TEXT),
        msg.SV_DIGEST_MISSING.render(count=len(missing), units=missing or idx_msg.NONE_TEXT),
    ])
    await _to_admins(application, "digest", rnd, head + "\n\n" + body)
    # Leaders get the round summary of their own tasks (recorded per leader, sent once).
    await deliver(application, lambda s, now: _leader_dispatch(s, plan, settings, now, rnd), ROUND_DIGEST)


async def monthly_summary(application: Any) -> None:
    """The 1st: last month's summary (status changes, overdue, unanswered) and workbook to the admins."""
    services = _services(application)
    now = services.clock()
    year, month = previous_month(now.astimezone(services.settings.tz).date())
    await send_period_export(application, month_period(year, month), kind="monthly")


async def send_period_export(application: Any, period: Period, *, kind: str) -> None:
    """Build a period's workbook and send it with a summary line to every admin, once."""
    services = _services(application)
    plan = await _plan(services)
    now = services.clock()
    report, data, name = await asyncio.to_thread(service.build_export, services.db, services.settings, plan,
                                                   period, now)
    changes = sum(1 for r in report.rows if len(r.changes) > 1)
    caption = msg.SV_MONTHLY_READY.render(label=period.label, changes=changes, overdue=len(report.overdue),
                                          unanswered=len(report.unanswered))
    # Worth sending for a month after the period: the summary is read, and filed, well after the 1st.
    rnd = RoundPeriod(f"{kind}:{period.key}", period.start, period.end)
    expires = datetime.combine(max(period.end, now.date()) + timedelta(days=30), time(0, 0),
                               tzinfo=services.settings.tz)
    await _to_admins(application, kind, rnd, caption, document=data, filename=name, expires=expires)


def _leader_dispatch(s: Any, plan: Plan, settings: Any, now: datetime, rnd: RoundPeriod) -> service.Dispatch:
    prepared = service.Dispatch(rnd)
    prepared.outgoing = service.leader_summaries(s, plan, settings, now)
    return prepared


async def tell_plan_ended(application: Any, plan: Plan) -> None:
    """Tell every admin once that the plan's deadlines are long past and automatic reminders stopped."""
    last = plan_last_deadline(plan)
    if last is None:
        return
    text = msg.SV_PLAN_ENDED.render(title=plan.title, last=last.isoformat(), days=PLAN_END_GRACE.days)
    marker = RoundPeriod("ended", last, last)  # one record per plan: told once, across restarts
    expires = _services(application).clock() + timedelta(days=7)
    await _to_admins(application, "ended", marker, text, expires=expires)

"""Scheduled jobs of the round: Monday dispatch, Wednesday chase, Friday digest, monthly summary on the 1st.

Each is a module-level `async def job(application) -> None` (the scheduler persists a reference to it) and can be
called directly in tests; `now` always comes from services.clock. Requests are written before sending and marked
after, so a restart resends only what was not delivered.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from functools import partial
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import TelegramError

from indexer import texts as idx_msg
from knowledge.deadlines import PLAN_END_GRACE, plan_ended, plan_last_deadline
from knowledge.model import Plan
from planbot.render import join_lines, split_html
from reminders.directory import chat_of
from reminders.scheduler import JobServices, services_of
from supervision import service, store
from supervision import texts as msg
from supervision.periods import month_period
from supervision.render import report_text
from supervision.reports import Period
from supervision.rounds import RoundPeriod, previous_month, round_for, runs_on

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


async def send_text(application: Any, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Send HTML text, split at Telegram's limit (the keyboard goes on the last part)."""
    parts = split_html(text)
    for i, part in enumerate(parts):
        await application.bot.send_message(chat_id, part, parse_mode=ParseMode.HTML,
                                           reply_markup=markup if i == len(parts) - 1 else None)


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


async def deliver(application: Any, prepared: service.Dispatch) -> Sent:
    """Send the prepared messages and mark each request sent (or keep its error for the next run)."""
    services = _services(application)
    sent, failed = 0, []
    for out in prepared.outgoing:
        chat = await services.db.arun(partial(_chat, telegram_id=out.telegram_id))
        error: str | None = None
        try:
            for text, rows in out.parts:
                await send_text(application, chat, text, keyboard(rows))
        except TelegramError as exc:  # blocked bot, unknown chat …: report it, retry next time
            error = str(exc)
            failed.append(out.unit)
            log.warning("round message to %s (%s) failed: %s", out.unit, out.telegram_id, exc)
        await services.db.arun(partial(store.mark_sent, request_id=out.request_id, now=services.clock(), error=error))
        sent += error is None
    return Sent(prepared.round, sent, len(prepared.units), prepared.already, tuple(prepared.unreachable),
                tuple(dict.fromkeys(failed)), tuple((u, tuple(n)) for u, n in prepared.tasks.items()),
                tuple((u, tuple(n)) for u, n in prepared.unbound.items()))


async def dispatch_round(application: Any) -> Sent:
    """Send this week's round to every reachable lead unit (those already sent are skipped)."""
    services = _services(application)
    plan = await _plan(services)
    now = services.clock()
    link = round_link(services)
    prepared = await services.db.arun(lambda s: service.prepare_round(s, plan, services.settings, now, link=link))
    return await deliver(application, prepared)


async def chase(application: Any) -> Sent:
    """Remind the units that have not replied this round."""
    services = _services(application)
    plan = await _plan(services)
    now = services.clock()
    link = round_link(services)
    prepared = await services.db.arun(lambda s: service.prepare_chase(s, plan, services.settings, now, link))
    return await deliver(application, prepared)


async def _to_admins(application: Any, kind: str, period: RoundPeriod, send: Any) -> None:
    """Send something once per admin per period (recorded like a request, so a restart does not repeat it)."""
    services = _services(application)
    plan = await _plan(services)
    now = services.clock()
    key = service.plan_key_of(plan)

    def record(s: Any) -> list[tuple[int, int]]:
        row = store.ensure_round(s, key, period, now)
        out = []
        for admin in sorted(services.settings.admins):
            req = store.record_request(s, row, kind=kind, unit="", telegram_id=admin, tasks=[], now=now)
            if req is not None:
                out.append((req.id, _chat(s, admin)))
        return out

    for request_id, chat in await services.db.arun(record):
        error: str | None = None
        try:
            await send(chat)
        except TelegramError as exc:
            error = str(exc)
            log.warning("%s to admin chat %s failed: %s", kind, chat, exc)
        await services.db.arun(partial(store.mark_sent, request_id=request_id, now=services.clock(), error=error))


def _runs_today(application: Any, job: str) -> bool:
    services = _services(application)
    today = services.clock().astimezone(services.settings.tz).date()
    if runs_on(job, today, services.settings):
        return True
    log.debug("%s does not run on %s (not its day, or moved off a holiday)", job, today)
    return False


async def _plan_running(application: Any, job: str) -> bool:
    """False once the plan has ended (as for reminders): the automatic round and chase stop; /weekly 确认 forces."""
    services = _services(application)
    plan = await _plan(services)
    if plan_ended(plan, services.clock().astimezone(services.settings.tz).date()):
        log.info("%s skipped: the plan %s has ended", job, plan.title)
        return False
    return True


async def weekly_dispatch(application: Any) -> None:
    """Monday (or the first working day after it): the weekly round to every lead unit."""
    if not _runs_today(application, "dispatch") or not await _plan_running(application, "dispatch"):
        return
    result = await dispatch_round(application)
    log.info("weekly round %s: sent %d, already %d, unreachable %s", result.round.key, result.sent, result.already,
             result.unreachable)


async def chase_nonresponders(application: Any) -> None:
    """Wednesday (holidays moved): remind each lead unit of the tasks it has not answered this round."""
    if not _runs_today(application, "chase") or not await _plan_running(application, "chase"):
        return
    result = await chase(application)
    log.info("round %s chase: sent %d", result.round.key, result.sent)


async def friday_digest(application: Any) -> None:
    """Friday (holidays moved): the state of the round to the admins (who replied, who did not, lagging first)."""
    if not _runs_today(application, "digest"):
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
    await _to_admins(application, "digest", rnd, lambda chat: send_text(application, chat, head + "\n\n" + body))
    # Leaders get the round summary of their own tasks (recorded per leader, sent once).
    prepared = service.Dispatch(rnd)
    prepared.outgoing = await services.db.arun(lambda s: service.leader_summaries(s, plan, settings, now))
    await deliver(application, prepared)


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
    rnd = RoundPeriod(f"{kind}:{period.key}", period.start, period.end)

    async def send(chat: int) -> None:
        await application.bot.send_document(chat, document=data, filename=name, caption=caption,
                                            parse_mode=ParseMode.HTML)

    await _to_admins(application, kind, rnd, send)


async def resume_unsent(application: Any) -> None:
    """At start-up: send this round's messages that were recorded but not delivered (crash, Telegram outage)."""
    services = _services(application)
    plan = await _plan(services)
    now = services.clock()
    key = service.plan_key_of(plan)
    rnd = round_for(now, services.settings.tz)
    unsent = await services.db.arun(lambda s: {q.kind for q in store.requests(s, key, round_key=rnd.key)
                                            if q.sent_at is None})
    if store.KIND_REQUEST in unsent:
        await dispatch_round(application)
    if service.chase_kind(now, services.settings) in unsent:
        await chase(application)


async def tell_plan_ended(application: Any, plan: Plan) -> None:
    """Tell every admin once that the plan's deadlines are long past and automatic reminders stopped."""
    last = plan_last_deadline(plan)
    if last is None:
        return
    text = msg.SV_PLAN_ENDED.render(title=plan.title, last=last.isoformat(), days=PLAN_END_GRACE.days)
    marker = RoundPeriod("ended", last, last)  # one record per plan: told once, across restarts
    await _to_admins(application, "ended", marker, lambda chat: send_text(application, chat, text))

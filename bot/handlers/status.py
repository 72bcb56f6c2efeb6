"""Status-round handlers: /status and its buttons and notes, admin /weekly /report /export /reopen, /timeline."""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.services import Services
from knowledge.model import Plan
from planbot import messages as msg
from planbot import people
from planbot.errors import PlanbotError
from supervision import jobs, service
from supervision.periods import KIND_WORDS, parse_period
from supervision.render import report_text
from supervision.reports import WEEKLY
from supervision.rounds import NEEDS_REASON, STATUS_CODES, parse_status

log = logging.getLogger(__name__)
PENDING = "supervision.pending"  # user_data key: the reply waiting for its note
NOTE_GROUP = -1  # before the Q&A text handler, so a note is not taken for a question
MAX_NOTE = 1000
RESUME = "supervision:resume"  # services.extras key of the start-up resend task


def register(application: Application) -> None:  # type: ignore[type-arg]
    """Add the status-round handlers."""
    application.add_handler(CommandHandler("status", status_command))
    application.add_handler(CommandHandler("skip", skip_command))
    application.add_handler(CommandHandler("weekly", weekly_command))
    application.add_handler(CommandHandler("chase", chase_command))
    application.add_handler(CommandHandler("report", report_command))
    application.add_handler(CommandHandler("export", export_command))
    application.add_handler(CommandHandler("timeline", timeline_command))
    application.add_handler(CommandHandler("reopen", reopen_command))
    application.add_handler(CallbackQueryHandler(status_button, pattern=r"^status:"))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, note_text), group=NOTE_GROUP)


async def startup(application: Application) -> None:  # type: ignore[type-arg]
    """Install the weekly dispatch, chase, digest and monthly jobs (times from settings)."""
    from reminders.scheduler import add_cron_job, start_scheduler

    settings = application.bot_data["services"].settings
    at, month_at = settings.weekly_time, settings.monthly_time
    add_cron_job(application, "supervision:dispatch", jobs.weekly_dispatch, day_of_week=settings.weekly_day,
                 hour=at.hour, minute=at.minute)
    add_cron_job(application, "supervision:chase", jobs.chase_nonresponders, day_of_week=settings.chase_day,
                 hour=at.hour, minute=at.minute)
    add_cron_job(application, "supervision:digest", jobs.friday_digest, day_of_week=settings.digest_day,
                 hour=at.hour, minute=at.minute)
    add_cron_job(application, "supervision:monthly", jobs.monthly_summary, day=1, hour=month_at.hour,
                 minute=month_at.minute)
    await start_scheduler(application)  # idempotent; the reminders module normally started it already
    # In the background: resending must not delay the bot answering users.
    services = application.bot_data["services"]
    services.extras[RESUME] = asyncio.get_running_loop().create_task(_resume(application))


async def _resume(application: Application) -> None:  # type: ignore[type-arg]
    try:
        await jobs.resume_unsent(application)
    except Exception:
        log.exception("resending this round's undelivered messages failed; the next dispatch retries")


async def shutdown(application: Application) -> None:  # type: ignore[type-arg]
    """Stop the resend task; undelivered requests stay recorded for the next start."""
    task = application.bot_data["services"].extras.pop(RESUME, None)
    if task is not None and not task.done():
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task


def _services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return context.application.bot_data["services"]  # type: ignore[no-any-return]


async def _plan(services: Services) -> Plan:
    from bot.context import current_plan

    return await current_plan(services)


async def _db(services: Services, work: Any) -> Any:
    return await asyncio.to_thread(services.db.run, work)


async def _reply(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    from bot.render import split_html

    parts = split_html(text)
    for i, part in enumerate(parts):
        await chat.send_message(part, parse_mode=ParseMode.HTML, reply_markup=markup if i == len(parts) - 1 else None)


async def _admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """True for an admin; everyone else is told the command is for admins."""
    user = update.effective_user
    if user is not None and user.id in _services(context).settings.admins:
        return True
    await _reply(update, html.escape(msg.SV_ADMIN_ONLY))
    return False


def _skip_markup() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(msg.SV_SKIP_BUTTON, callback_data="status:skip")]])


async def _record(update: Update, context: ContextTypes.DEFAULT_TYPE, number: int, status: str, note: str) -> None:
    """Store a status reply and confirm it; ask for the note (and reason) that is still missing."""
    user = update.effective_user
    if user is None:
        return
    services = _services(context)
    try:
        plan = await _plan(services)
        now = services.clock()
        done: service.Submitted = await _db(services, lambda s: service.submit(
            s, plan, services.settings, now, telegram_id=user.id, reporter=user.full_name, task_number=number,
            status=status, note=note[:MAX_NOTE]))
    except PlanbotError as err:
        await _reply(update, html.escape(str(err)))
        return
    first = done.replies[0]
    template = msg.SV_SAVED_ON_BEHALF if done.on_behalf else msg.SV_SAVED
    units = "、".join(r.unit for r in done.replies)
    text = template.format(number=number, title=html.escape(done.task.title), status=status,
                           unit=html.escape(units), round_label=html.escape(done.round.label))
    user_data = context.user_data if context.user_data is not None else {}
    ids = [r.id for r in done.replies]
    if not note:
        user_data[PENDING] = {"ids": ids, "step": "note", "status": first.status}
        await _reply(update, text + "\n" + msg.SV_ASK_NOTE, _skip_markup())
    elif status in NEEDS_REASON:
        user_data[PENDING] = {"ids": ids, "step": "reason", "status": first.status}
        await _reply(update, text + "\n" + msg.SV_ASK_REASON, _skip_markup())
    else:
        user_data.pop(PENDING, None)
        await _reply(update, text)


async def status_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/status 任务编号 状态 [说明]: report a task's progress by text."""
    args = list(context.args or [])
    if len(args) < 2:
        await _reply(update, html.escape(msg.SV_USAGE))
        return
    services = _services(context)
    if not args[0].isdigit():
        try:
            plan = await _plan(services)
        except PlanbotError as err:
            await _reply(update, html.escape(str(err)))
            return
        numbers = [t.number for t in plan.tasks] or [0]
        await _reply(update, html.escape(msg.SV_BAD_NUMBER.format(first=min(numbers), last=max(numbers))))
        return
    number = int(args[0])
    status = parse_status(args[1])
    if status is None:
        await _reply(update, html.escape(msg.SV_UNKNOWN_STATUS.format(status=args[1], number=number)))
        return
    await _record(update, context, number, status, " ".join(args[2:]).strip())


async def status_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A status button: status:<task> shows the choices, status:<task>:<code> records, status:skip skips."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    await query.answer()
    parts = query.data.split(":")
    if parts[1:] == ["skip"]:
        await _skip(update, context)
        return
    if len(parts) < 2 or not parts[1].isdigit():
        await _reply(update, html.escape(msg.SV_STALE_BUTTON))
        return
    number = int(parts[1])
    if len(parts) == 2:
        plan = await _plan(_services(context))
        task = plan.task(number)
        if task is None:
            await _reply(update, html.escape(msg.SV_STALE_BUTTON))
            return
        rows = service.status_keyboard(number)
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d) for t, d in rows]])
        await _reply(update, msg.SV_CHOOSE.format(number=number, title=html.escape(task.title)), markup)
        return
    status = STATUS_CODES.get(parts[2])
    if status is None:
        await _reply(update, html.escape(msg.SV_STALE_BUTTON))
        return
    await _record(update, context, number, status, "")


async def _skip(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user_data = context.user_data if context.user_data is not None else {}
    pending = user_data.pop(PENDING, None)
    if pending is None:
        await _reply(update, html.escape(msg.SV_NOTHING_TO_SKIP))
        return
    if pending["step"] == "note" and pending["status"] in NEEDS_REASON:
        user_data[PENDING] = {**pending, "step": "reason"}
        await _reply(update, msg.SV_ASK_REASON, _skip_markup())
        return
    await _reply(update, msg.SV_NOTE_SKIPPED)


async def skip_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/skip: do not add a note to the status just reported."""
    await _skip(update, context)


async def note_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Text right after a status: taken as its note (or reason); otherwise left to the other handlers."""
    user_data = context.user_data
    message = update.effective_message
    if user_data is None or message is None or not message.text or PENDING not in user_data:
        return
    pending = user_data.pop(PENDING)
    text = message.text.strip()[:MAX_NOTE]
    services = _services(context)
    step = pending["step"]
    from supervision.store import set_note

    def save(s: Any) -> None:
        for rid in pending["ids"]:
            set_note(s, rid, **{step: text})

    await _db(services, save)
    if step == "note" and pending["status"] in NEEDS_REASON:
        user_data[PENDING] = {**pending, "step": "reason"}
        await _reply(update, msg.SV_ASK_REASON, _skip_markup())
    else:
        await _reply(update, msg.SV_NOTE_SAVED)
    raise ApplicationHandlerStop  # the note is not a question for the Q&A


async def weekly_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/weekly (admins): send this week's round now to every reachable lead unit."""
    if not await _admin(update, context):
        return
    try:
        result = await jobs.dispatch_round(context.application)
    except PlanbotError as err:
        await _reply(update, html.escape(str(err)))
        return
    lines = [msg.SV_WEEKLY_SENT.format(round_label=html.escape(result.round.label), sent=result.sent,
                                       units=result.units)]
    if result.already:
        lines[0] += msg.SV_WEEKLY_ALREADY.format(already=result.already)
    if result.unreachable:
        lines.append(msg.SV_WEEKLY_UNREACHABLE.format(units=html.escape("、".join(result.unreachable))))
    if result.failed:
        lines.append(msg.SV_WEEKLY_FAILED.format(count=len(result.failed), units=html.escape("、".join(result.failed))))
    await _reply(update, "\n".join(lines))


async def chase_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/chase (admins): remind now the lead units that have not replied this round."""
    if not await _admin(update, context):
        return
    try:
        result = await jobs.chase(context.application)
    except PlanbotError as err:
        await _reply(update, html.escape(str(err)))
        return
    await _reply(update, msg.SV_CHASE_SENT.format(round_label=html.escape(result.round.label), sent=result.sent,
                                                  units=result.units))


async def report_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/report [周|月|季] [期间] (admins): this week's (or a named period's) table in the chat."""
    if not await _admin(update, context):
        return
    services = _services(context)
    args = list(context.args or [])
    kind = KIND_WORDS.get(args[0].lower(), "") if args else ""
    if kind:  # /report 周 (the default), /report 月, /report 季 2023-Q4
        args = args[1:]
    try:
        plan = await _plan(services)
        now = services.clock()
        period = parse_period(kind or WEEKLY, " ".join(args), now, services.settings.tz)
        report = await _db(services, lambda s: service.make_report(s, plan, services.settings, now, period))
    except PlanbotError as err:
        await _reply(update, html.escape(f"{err}\n{msg.SV_REPORT_USAGE}"))
        return
    await _reply(update, report_text(report))


async def export_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/export [周|月|季] [期间] (admins): the period's workbook as a document."""
    if not await _admin(update, context) or update.effective_chat is None:
        return
    services = _services(context)
    args = list(context.args or [])
    kind = KIND_WORDS.get(args[0].lower(), "") if args else WEEKLY
    if not kind:
        await _reply(update, html.escape(msg.SV_EXPORT_USAGE))
        return
    try:
        plan = await _plan(services)
        now = services.clock()
        period = parse_period(kind, " ".join(args[1:]), now, services.settings.tz)
        report, data, name = await asyncio.to_thread(service.build_export, services.db, services.settings, plan,
                                                     period, now)
    except PlanbotError as err:
        await _reply(update, html.escape(f"{err}\n{msg.SV_EXPORT_USAGE}"))
        return
    caption = msg.SV_EXPORT_CAPTION.format(title=html.escape(plan.title), label=html.escape(period.label),
                                           rows=len(report.rows))
    await update.effective_chat.send_document(document=data, filename=name, caption=caption,
                                              parse_mode=ParseMode.HTML)


async def timeline_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/timeline: the deadlines by month with this week's status colours, as a picture."""
    user = update.effective_user
    if user is None or update.effective_chat is None:
        return
    services = _services(context)
    allowed = user.id in services.settings.admins or user.id in services.settings.allowed_users or await _db(
        services, lambda s: people.is_approved(s, user.id))
    if not allowed:
        await _reply(update, html.escape(msg.SV_NOT_BOUND))
        return
    try:
        plan = await _plan(services)
        report, png = await asyncio.to_thread(service.timeline_for, services.db, services.settings, plan,
                                              services.clock())
    except PlanbotError as err:
        await _reply(update, html.escape(str(err)))
        return
    caption = msg.SV_TIMELINE_CAPTION.format(title=html.escape(plan.title), label=html.escape(report.period.label))
    await update.effective_chat.send_photo(photo=png, caption=caption, parse_mode=ParseMode.HTML)


async def reopen_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reopen 任务编号 (admins): reopen a task reported 已完成."""
    if not await _admin(update, context) or update.effective_user is None:
        return
    args = list(context.args or [])
    if len(args) != 1 or not args[0].isdigit():
        await _reply(update, html.escape(msg.SV_REOPEN_USAGE))
        return
    number, user = int(args[0]), update.effective_user
    services = _services(context)
    try:
        plan = await _plan(services)
        now = services.clock()
        await _db(services, lambda s: service.reopen_task(s, plan, services.settings, now, telegram_id=user.id,
                                                          reporter=user.full_name, task_number=number))
    except PlanbotError as err:
        await _reply(update, html.escape(str(err)))
        return
    await _reply(update, msg.SV_REOPENED.format(number=number))

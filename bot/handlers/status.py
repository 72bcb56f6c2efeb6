"""Status-round handlers: /status, its buttons and notes, /skip; the jobs at start-up (admin commands: status_admin)."""

from __future__ import annotations

import html
import logging
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.commands import command
from bot.context import current_plan, services_of, start_background, stop_background
from bot.handlers import status_admin
from bot.handlers.status_admin import reply
from planbot import messages as msg
from planbot.errors import PlanbotError
from supervision import jobs, service
from supervision.rounds import NEEDS_REASON, STATUS_CODES, parse_status
from supervision.store import set_note

log = logging.getLogger(__name__)
PENDING = "supervision.pending"  # user_data key: the reply waiting for its note
NOTE_GROUP = -1  # before the Q&A text handler, so a note is not taken for a question
MAX_NOTE = 1000
RESUME = "supervision:resume"  # name of the start-up resend task in services.background


def register(application: Application) -> None:  # type: ignore[type-arg]
    """Add the status-round handlers."""
    application.add_handler(command("status", status_command))
    application.add_handler(command("skip", skip_command))
    status_admin.register(application)
    application.add_handler(CallbackQueryHandler(status_button, pattern=r"^status:"))
    # Any text starting with a slash is kept out of notes (also "/中文", which Telegram marks as no command).
    application.add_handler(MessageHandler(filters.TEXT & ~filters.Regex(r"^/"), note_text), group=NOTE_GROUP)


async def startup(application: Application) -> None:  # type: ignore[type-arg]
    """Install the weekly dispatch, chase, digest and monthly jobs (times from settings)."""
    services = services_of(application)
    settings, scheduler = services.settings, services.scheduler
    at, month_at = settings.weekly_time, settings.monthly_time
    scheduler.add_cron_job("supervision:dispatch", jobs.weekly_dispatch, day_of_week=settings.weekly_day,
                           hour=at.hour, minute=at.minute)
    scheduler.add_cron_job("supervision:chase", jobs.chase_nonresponders, day_of_week=settings.chase_day,
                           hour=at.hour, minute=at.minute)
    scheduler.add_cron_job("supervision:digest", jobs.friday_digest, day_of_week=settings.digest_day,
                           hour=at.hour, minute=at.minute)
    scheduler.add_cron_job("supervision:monthly", jobs.monthly_summary, day=1, hour=month_at.hour,
                           minute=month_at.minute)
    scheduler.start()  # idempotent; the reminders module normally started it already
    # In the background: resending must not delay the bot answering users.
    start_background(services, RESUME, jobs.resume_unsent(application),
                     "resending this round's undelivered messages failed; the next dispatch retries")


async def shutdown(application: Application) -> None:  # type: ignore[type-arg]
    """Stop the resend task; undelivered requests stay recorded for the next start."""
    await stop_background(services_of(application), RESUME)


def _skip_markup() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(msg.SV_SKIP_BUTTON, callback_data="status:skip")]])


async def _record(update: Update, context: ContextTypes.DEFAULT_TYPE, number: int, status: str, note: str) -> None:
    """Store a status reply and confirm it; ask for the note (and reason) that is still missing."""
    user = update.effective_user
    if user is None:
        return
    services = services_of(context)
    try:
        plan = await current_plan(services)
        now = services.clock()
        done: service.Submitted = await services.db.arun(lambda s: service.submit(
            s, plan, services.settings, now, telegram_id=user.id, reporter=user.full_name, task_number=number,
            status=status, note=note[:MAX_NOTE]))
    except PlanbotError as err:
        await reply(update, html.escape(str(err)))
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
        await reply(update, text + "\n" + msg.SV_ASK_NOTE, _skip_markup())
    elif status in NEEDS_REASON:
        user_data[PENDING] = {"ids": ids, "step": "reason", "status": first.status}
        await reply(update, text + "\n" + msg.SV_ASK_REASON, _skip_markup())
    else:
        user_data.pop(PENDING, None)
        await reply(update, text)


async def status_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/status 任务编号 状态 [说明]: report a task's progress by text."""
    args = list(context.args or [])
    if len(args) < 2:
        await reply(update, html.escape(msg.SV_USAGE))
        return
    services = services_of(context)
    if not args[0].isdigit():
        try:
            plan = await current_plan(services)
        except PlanbotError as err:
            await reply(update, html.escape(str(err)))
            return
        numbers = [t.number for t in plan.tasks] or [0]
        await reply(update, html.escape(msg.SV_BAD_NUMBER.format(first=min(numbers), last=max(numbers))))
        return
    number = int(args[0])
    status = parse_status(args[1])
    if status is None:
        await reply(update, html.escape(msg.SV_UNKNOWN_STATUS.format(status=args[1], number=number)))
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
        await reply(update, html.escape(msg.SV_STALE_BUTTON))
        return
    number = int(parts[1])
    if len(parts) == 2:
        plan = await current_plan(services_of(context))
        task = plan.task(number)
        if task is None:
            await reply(update, html.escape(msg.SV_STALE_BUTTON))
            return
        rows = service.status_keyboard(number)
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d) for t, d in rows]])
        await reply(update, msg.SV_CHOOSE.format(number=number, title=html.escape(task.title)), markup)
        return
    status = STATUS_CODES.get(parts[2])
    if status is None:
        await reply(update, html.escape(msg.SV_STALE_BUTTON))
        return
    await _record(update, context, number, status, "")


async def _skip(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user_data = context.user_data if context.user_data is not None else {}
    pending = user_data.pop(PENDING, None)
    if pending is None:
        await reply(update, html.escape(msg.SV_NOTHING_TO_SKIP))
        return
    if pending["step"] == "note" and pending["status"] in NEEDS_REASON:
        user_data[PENDING] = {**pending, "step": "reason"}
        await reply(update, msg.SV_ASK_REASON, _skip_markup())
        return
    await reply(update, msg.SV_NOTE_SKIPPED)


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
    services = services_of(context)
    step = pending["step"]

    def save(s: Any) -> None:
        for rid in pending["ids"]:
            set_note(s, rid, **{step: text})

    await services.db.arun(save)
    if step == "note" and pending["status"] in NEEDS_REASON:
        user_data[PENDING] = {**pending, "step": "reason"}
        await reply(update, msg.SV_ASK_REASON, _skip_markup())
    else:
        await reply(update, msg.SV_NOTE_SAVED)
    raise ApplicationHandlerStop  # the note is not a question for the Q&A

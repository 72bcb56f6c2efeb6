"""Status-round handlers: /status, its buttons and notes, /skip; the jobs at start-up (admin commands: status_admin)."""

from __future__ import annotations

import logging
import re
from typing import Any

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import texts as msg
from bot.commands import command
from bot.context import current_plan, services_of
from bot.handlers import status_admin
from bot.handlers.status_admin import reply
from planbot.errors import LeadUnitChoice, PlanbotError
from supervision import jobs, service, store
from supervision import texts as sv_msg
from supervision.rounds import CODE_OF, NEEDS_REASON, STATUS_CODES, parse_status_args

log = logging.getLogger(__name__)
NOTE_GROUP = -1  # before the Q&A text handler, so a reply to a note prompt is not taken for a question
MAX_NOTE = 1000
# status:<task>[:<code>[:u<i>]]: u<i> is an admin's choice of the task's i-th lead unit (service.lead_unit_at).
STATUS_DATA = re.compile(r"^status:(\d{1,4})(?::(done|ok|late|help)(?::u(\d{1,2}))?)?$")
PENDING_NOTE = "status:pending-note"  # user_data: {task: note} typed with a /status that asked for a lead unit
SKIP_DATA = re.compile(r"^status:skip(?::(\d{1,12}))?$")


def register(application: Application) -> None:  # type: ignore[type-arg]
    """Add the status-round handlers."""
    application.add_handler(command("status", status_command))
    application.add_handler(command("skip", skip_command))
    status_admin.register(application)
    application.add_handler(CallbackQueryHandler(status_button, pattern=r"^status:"))
    # Only a reply can be a note (to a stored prompt: note_text checks). Any text starting with a slash is kept
    # out of notes (also "/中文", which Telegram marks as no command).
    application.add_handler(MessageHandler(filters.TEXT & filters.REPLY & ~filters.Regex(r"^/"), note_text),
                            group=NOTE_GROUP)


async def startup(application: Application) -> None:  # type: ignore[type-arg]
    """Add the weekly dispatch, chase, digest and monthly jobs (times from settings); missed runs are caught up."""
    services = services_of(application)
    settings, scheduler = services.settings, services.scheduler
    at, month_at = settings.weekly_time, settings.monthly_time
    # Daily triggers: each job decides whether its (holiday-moved) day this week has come (supervision.jobs._due);
    # a day missed while down is made up by the next day's run within the week, never replayed after it.
    scheduler.add_cron_job("supervision:dispatch", jobs.weekly_dispatch, hour=at.hour, minute=at.minute,
                           period="day")
    scheduler.add_cron_job("supervision:chase", jobs.chase_nonresponders, hour=at.hour, minute=at.minute,
                           period="day")
    scheduler.add_cron_job("supervision:digest", jobs.friday_digest, hour=at.hour, minute=at.minute,
                           period="day")
    scheduler.add_cron_job("supervision:monthly", jobs.monthly_summary, day=1, hour=month_at.hour,
                           minute=month_at.minute, period="month")
    scheduler.start()  # idempotent; the reminders module normally started it already


def _skip_markup(reply_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(msg.SV_SKIP_BUTTON, callback_data=f"status:skip:{reply_id}")]])


async def _refresh_round_page(update: Update, context: ContextTypes.DEFAULT_TYPE, number: int) -> None:
    """Edit the pressed round message: the answered task shows its status instead of its buttons."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None or query.message is None:
        return
    services = services_of(context)
    plan = await current_plan(services)
    page = await services.db.arun(lambda s: service.round_page(s, plan, services.settings, services.clock(),
                                                                user.id, number))
    if page is None:
        return
    text, rows = page
    try:
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=jobs.keyboard(rows))
    except BadRequest as exc:  # "message is not modified" (pressed twice), or not a round message
        log.info("round message not edited: %s", exc)


def _lead_choice(number: int, status: str, units: tuple[str, ...]) -> InlineKeyboardMarkup:
    """One button per lead unit, for an admin reporting on behalf of one of them."""
    code = CODE_OF[status]
    return InlineKeyboardMarkup([[InlineKeyboardButton(u, callback_data=f"status:{number}:{code}:u{i}")]
                                 for i, u in enumerate(units)])


async def _record(update: Update, context: ContextTypes.DEFAULT_TYPE, number: int, status: str, note: str,
                  unit: str = "") -> None:
    """Store a status reply and confirm it; in a private chat, ask for the missing note with a ForceReply prompt."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    services = services_of(context)
    if len(note) > MAX_NOTE:
        await reply(update, msg.SV_NOTE_TOO_LONG.render(length=len(note), limit=MAX_NOTE))
        return
    # A note typed with 滞后/需协调 is the reason (the workbook's 原因/需协调事项), as a reply to the prompt is.
    given = {"reason": note} if status in NEEDS_REASON else {"note": note}
    try:
        plan = await current_plan(services)
        now = services.clock()
        done: service.Submitted = await services.db.arun(lambda s: service.submit(
            s, plan, services.settings, now, telegram_id=user.id, reporter=user.full_name, task_number=number,
            status=status, unit=unit, **given))
    except LeadUnitChoice as err:
        if unit:
            await reply(update, msg.BOT_ERROR.render(error=err))
            return
        pending = context.user_data.setdefault(PENDING_NOTE, {}) if context.user_data is not None else {}
        pending[number] = note
        await reply(update, msg.BOT_ERROR.render(error=err), _lead_choice(number, status, err.units))
        return
    except PlanbotError as err:
        await reply(update, msg.BOT_ERROR.render(error=err))
        return
    if update.callback_query is not None:
        await _refresh_round_page(update, context, number)
    template = msg.SV_SAVED_LEADER if done.leader else msg.SV_SAVED_ON_BEHALF if done.on_behalf else msg.SV_SAVED
    units = [r.unit for r in done.replies]
    text = template.render(number=number, title=done.task.title, status=status,
                           unit=units, round_label=done.round.label)
    step = "reason" if status in NEEDS_REASON else "note"
    if chat.type != "private" or note:  # given already: no prompt
        await reply(update, text)
        return
    ids = [r.id for r in done.replies]
    await reply(update, text + "\n" + (msg.SV_ASK_REASON if step == "reason" else msg.SV_ASK_NOTE),
                _skip_markup(ids[0]))
    ask = msg.SV_ASK_REASON_PROMPT if step == "reason" else msg.SV_ASK_NOTE_PROMPT
    prompt = await chat.send_message(ask.format(number=number, limit=MAX_NOTE),
                                     reply_markup=ForceReply(input_field_placeholder=msg.SV_NOTE_PLACEHOLDER))
    await services.db.arun(lambda s: store.open_prompt(s, chat_id=chat.id, message_id=prompt.message_id,
                                                       telegram_id=user.id, reply_ids=ids, step=step,
                                                       now=services.clock()))


async def status_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/status 任务编号 状态 [说明]: report a task's progress by text (2已完成, 二 完成了 also understood)."""
    args = list(context.args or [])
    if not args:
        await reply(update, msg.SV_USAGE)
        return
    unit = next((a for a in args if a.startswith(("@", "＠")) and len(a) > 1), "")  # /status 6 已完成 @大气办
    if unit:
        args.remove(unit)
    number, status, note, word = parse_status_args(args)
    if number is None:
        try:
            plan = await current_plan(services_of(context))
        except PlanbotError as err:
            await reply(update, msg.BOT_ERROR.render(error=err))
            return
        numbers = [t.number for t in plan.tasks] or [0]
        await reply(update, msg.SV_BAD_NUMBER.render(first=min(numbers), last=max(numbers)))
        return
    if status is None:
        if not word:
            await reply(update, msg.SV_USAGE)
            return
        await reply(update, sv_msg.SV_UNKNOWN_STATUS.render(status=word, number=number))
        return
    await _record(update, context, number, status, note, unit)


async def status_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A status button: status:<task> shows the choices, status:<task>:<code> records, status:skip:<id> skips."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    data = query.data
    skip = SKIP_DATA.match(data)
    if skip is not None:
        await query.answer()
        await _skip(update, context, int(skip.group(1)) if skip.group(1) else None)
        return
    found = STATUS_DATA.match(data)
    services = services_of(context)
    plan = await current_plan(services)
    if found is None or plan.task(int(found.group(1))) is None:
        await query.answer(msg.SV_STALE_ALERT, show_alert=True)  # forged or stale: nothing is stored
        return
    number, code = int(found.group(1)), found.group(2)
    if found.group(3) is not None:  # an admin chose the lead unit to report for
        index = int(found.group(3))
        unit = await services.db.arun(lambda s: service.lead_unit_at(s, plan, services.settings, number, index))
        if unit is None:
            await query.answer(msg.SV_STALE_ALERT, show_alert=True)
            return
        await query.answer()
        pending = (context.user_data or {}).get(PENDING_NOTE, {})
        await _record(update, context, number, STATUS_CODES[code], pending.pop(number, ""), unit)
        return
    await query.answer()
    if code is None:
        task = plan.task(number)
        assert task is not None
        rows = service.status_keyboard(number)
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d) for t, d in rows]])
        await reply(update, msg.SV_CHOOSE.render(number=number, title=task.title), markup)
        return
    await _record(update, context, number, STATUS_CODES[code], "")


async def _skip(update: Update, context: ContextTypes.DEFAULT_TYPE, reply_id: int | None) -> None:
    user = update.effective_user
    if user is None:
        return
    services = services_of(context)

    def close(s: Any) -> bool:
        prompt = store.latest_prompt(s, user.id, reply_id)
        if prompt is None:
            return False
        store.close_prompt(s, prompt, services.clock())
        return True

    if not await services.db.arun(close):
        await reply(update, msg.SV_NOTHING_TO_SKIP)
        return
    await reply(update, msg.SV_NOTE_SKIPPED)


async def skip_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/skip: do not add a note to the status just reported."""
    await _skip(update, context, None)


async def note_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A reply to a note prompt is the note; any other message is left to the other handlers."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or not message.text or message.reply_to_message is None:
        return
    services = services_of(context)
    chat_id, prompt_id = message.chat_id, message.reply_to_message.message_id
    prompt = await services.db.arun(lambda s: store.find_prompt(s, chat_id, prompt_id))
    if prompt is None or prompt.telegram_id != user.id:
        return
    text = message.text.strip()
    if len(text) > MAX_NOTE:  # refused whole, the prompt stays open: never a silently cut note
        await reply(update, msg.SV_NOTE_TOO_LONG.render(length=len(text), limit=MAX_NOTE))
        raise ApplicationHandlerStop

    def save(s: Any) -> None:
        for rid in prompt.reply_ids:
            store.set_note(s, rid, **{prompt.step: text})
        store.close_prompt(s, prompt, services.clock())

    await services.db.arun(save)
    await reply(update, msg.SV_NOTE_SAVED)
    raise ApplicationHandlerStop  # the note is not a question for the Q&A

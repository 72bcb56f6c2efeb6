"""Everyday commands: /start /help /ask (and plain text) /task /tasks /due /overdue /mine /whoami, and errors."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from typing import Any

from sqlalchemy.orm import Session
from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Conflict, TelegramError
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot import keyboards, views
from bot import texts as msg
from bot.commands import command, command_of, known_commands
from bot.context import (
    current_plan,
    qa_engine,
    services_of,
    start_engine_loading,
)
from bot.handlers import learning
from bot.handlers.access import role_of
from bot.polling import poll_conflict
from bot.services import Services
from knowledge.model import Plan
from knowledge.textclean import parse_task_number
from planbot import people
from planbot.errors import PlanbotError
from planbot.render import join, join_lines, split_html
from reminders.invites import redeem_invite
from supervision.service import task_status_lines

log = logging.getLogger(__name__)

DEFAULT_DUE_DAYS = 14
MAX_DUE_DAYS = 366


# --- sending ---------------------------------------------------------------------------------------
async def reply_html(message: Message, html: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Reply with an HTML text split at line boundaries; buttons go under the last part."""
    parts = split_html(html)
    for i, part in enumerate(parts):
        await message.reply_text(part, parse_mode=ParseMode.HTML, do_quote=message.chat.type != "private",
                                 reply_markup=markup if i == len(parts) - 1 else None)


async def _edit_html(update: Update, html: str, markup: InlineKeyboardMarkup | None) -> None:
    """Show `html` in the pressed message (extra parts of a long text follow as new messages)."""
    query = update.callback_query
    assert query is not None
    first, *rest = split_html(html) or [html]
    try:
        await query.edit_message_text(first, parse_mode=ParseMode.HTML, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():  # pressing the shown view again is fine
            raise
    if rest and isinstance(query.message, Message):
        for part in rest:
            await query.message.reply_text(part, parse_mode=ParseMode.HTML, do_quote=False)


def _today(services: Services) -> Any:
    return services.clock().astimezone(services.settings.tz).date()


# --- /start /help /whoami -----------------------------------------------------------------------------
async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start [邀请码]: welcome; redeem an invite; say who the user is bound to or how to get access."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    services = services_of(context)
    lines: list[str] = []
    if context.args:
        token = context.args[0]
        name = await services.db.arun(lambda s: redeem_invite(s, token, user.id, services.clock()))
        lines.append(msg.BOT_INVITE_OK.render(name=name) if name else msg.BOT_INVITE_BAD)
    try:
        plan: Plan | None = await current_plan(services)
    except PlanbotError:
        plan = None
    role = await role_of(services, user.id)
    if plan is not None and role in ("admin", "staff"):
        welcome = msg.BOT_WELCOME.render(name=user.first_name, title=plan.title)
    elif role in ("admin", "staff"):
        welcome = msg.BOT_WELCOME_NO_PLAN.render(name=user.first_name)
    else:  # a stranger is told how to register, not sent to /help first
        welcome = msg.BOT_WELCOME_STRANGER.render(name=user.first_name)
    lines.insert(0, welcome)
    if role in ("admin", "staff") and user.id == services.settings.console_user_id:
        # The console chat (planbot chat) is a local stand-in, not a person: never stored in the real database.
        names = await services.db.arun(lambda s: people.names_of(s, user.id))
        lines.append(msg.BOT_BOUND_TO.render(names=names) if names else msg.BOT_NOT_BOUND)
    elif role in ("admin", "staff"):
        names = await services.db.arun(lambda s: _remember(s, user.id, user.full_name))
        lines.append(msg.BOT_BOUND_TO.render(names=names) if names else msg.BOT_NOT_BOUND)
    elif role == "pending":
        lines.append(msg.BOT_REGISTER_PENDING.render(name=user.full_name))
    else:
        lines.append(msg.BOT_HELP_STRANGER)
    await reply_html(message, join(lines, "\n\n"))


def _remember(s: Session, user_id: int, display_name: str) -> list[str]:
    """Store a user with access (so reminders can reach them) and return their bindings."""
    known = people.get_user(s, user_id)
    people.upsert_user(s, user_id, display_name=display_name, chat_id=user_id,
                       status=None if known else people.STATUS_APPROVED)
    return people.names_of(s, user_id)


async def help_cmd(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/help: the commands this user may use."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    role = await role_of(services_of(context), user.id)
    if role == "pending":
        await reply_html(message, msg.BOT_REGISTER_PENDING.render(name=user.full_name))
        return
    if role not in ("admin", "staff"):
        await message.reply_text(msg.BOT_HELP_STRANGER)
        return
    text = msg.BOT_HELP.render(days=DEFAULT_DUE_DAYS)
    if role == "admin":
        text += msg.BOT_HELP_ADMIN
    if message.chat.type != "private":
        text += msg.BOT_HELP_GROUP.render(username=context.bot.username or "")
    await reply_html(message, text)


async def whoami(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/whoami: id, role and bindings."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    services = services_of(context)
    role = await role_of(services, user.id)
    names = await services.db.arun(lambda s: people.names_of(s, user.id))
    await reply_html(message, msg.BOT_WHOAMI.render(
        user_id=user.id, role=msg.BOT_ROLE_LABELS[role],
        names=names if names else msg.BOT_USERS_EMPTY))


# --- questions ---------------------------------------------------------------------------------------
async def answer(message: Message, context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
    """Answer a question from the plan, citing tasks with buttons."""
    services = services_of(context)
    with contextlib.suppress(TelegramError):  # only a courtesy
        await message.chat.send_action("typing")
    try:
        engine = await qa_engine(services)
    except PlanbotError:
        raise
    except Exception as exc:
        log.exception("loading the Q&A engine failed")
        await reply_html(message, msg.BOT_QA_LOADING_FAILED.render(detail=type(exc).__name__))
        return
    result = await asyncio.to_thread(engine.ask, question, services.clock())
    tasks = list(result.tasks)  # a refusal's tasks are its pointer ("方案没有写明频次…第16项"): a card worth a tap
    # Recorded before the reply, so whoever sees the answer can already find the question in /unanswered.
    await learning.record(services, message.from_user.id if message.from_user else None, question, result)
    await reply_html(message, msg.BOT_ANSWER.render(answer=result.text), keyboards.cited_buttons(tasks))


async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ask 问题."""
    message = update.effective_message
    assert message is not None
    question = " ".join(context.args or []).strip()
    if not question:
        await message.reply_text(msg.BOT_ASK_USAGE)
        return
    await answer(message, context, question)


async def text_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Plain text (in groups: mentioning the bot) is a question."""
    message = update.effective_message
    assert message is not None and message.text is not None
    question = re.sub(f"@{re.escape(context.bot.username or '')}\\b", " ", message.text, flags=re.I).strip()
    if not question:
        await help_cmd(update, context)
        return
    await answer(message, context, question)


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command no feature handles: say so and point to /help."""
    message = update.effective_message
    if message is None or not message.text:
        return
    found = command_of(message, context.bot.username)
    # Telegram marks only Latin command names; "/中文" comes without an entity and is still no question.
    name, ours = found if found is not None else (message.text.split()[0][1:].lower(), True)
    if not name or not ours or name in known_commands(context.application):
        return  # another bot's command, or one a feature handles in another group
    await message.reply_text(msg.BOT_UNKNOWN_COMMAND.plain(command=name))


# --- tasks ---------------------------------------------------------------------------------------------
def _range(plan: Plan) -> dict[str, int]:
    numbers = sorted(t.number for t in plan.tasks) or [0]
    return {"count": len(plan.tasks), "first": numbers[0], "last": numbers[-1]}


async def task(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/task N: the task card with 原文 / 时限 / 责任 buttons."""
    message = update.effective_message
    assert message is not None
    services = services_of(context)
    plan = await current_plan(services)
    raw = " ".join(context.args or []).strip()
    number, _ = parse_task_number(raw.removeprefix("第"))
    if number is None:
        signed = re.match(r"^[-+]?\d+", raw)  # /task -1: a number, but no such task
        if signed is None:
            await message.reply_text(msg.BOT_TASK_USAGE.plain(**_range(plan)))
            return
        await message.reply_text(msg.BOT_TASK_NUMBER_BAD.plain(raw=signed.group(), **_range(plan)))
        return
    item = plan.task(number)
    if item is None:
        await message.reply_text(msg.BOT_TASK_NOT_FOUND.plain(number=number, **_range(plan)))
        return
    status = await services.db.arun(lambda s: task_status_lines(s, plan, services.settings, number))
    text = views.task_view(item, today=_today(services))
    if status:
        text = join_lines([text, msg.SV_CARD_HEADER, *status])
    await reply_html(message, text, keyboards.task_buttons(number))


async def task_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A 原文 / 时限 / 责任 / 第N项 button."""
    query = update.callback_query
    assert query is not None and query.data is not None
    _, raw_number, view = keyboards.parse(query.data)
    services = services_of(context)
    plan = await current_plan(services)
    item = plan.task(int(raw_number))
    if item is None:
        await query.answer(msg.BOT_TASK_NOT_FOUND.plain(number=raw_number, **_range(plan)), show_alert=True)
        return
    await query.answer()
    if view == "card" and isinstance(query.message, Message):
        # A citation button under an answer opens the card as a new message; the answer stays.
        await reply_html(query.message, views.task_view(item, today=_today(services)),
                         keyboards.task_buttons(item.number))
        return
    await _edit_html(update, views.task_view(item, view, _today(services)), keyboards.task_buttons(item.number))


async def tasks(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/tasks [页码]: a page of the task list with ◀ ▶."""
    message = update.effective_message
    assert message is not None
    services = services_of(context)
    plan = await current_plan(services)
    found = re.search(r"\d+", " ".join(context.args or []))
    text, page, pages = views.tasks_page(plan, int(found.group()) if found else 1, today=_today(services))
    await reply_html(message, text, keyboards.page_buttons(page, pages))


async def tasks_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """◀ / ▶ under /tasks."""
    query = update.callback_query
    assert query is not None and query.data is not None
    services = services_of(context)
    plan = await current_plan(services)
    text, page, pages = views.tasks_page(plan, int(keyboards.parse(query.data)[1]), today=_today(services))
    await query.answer()
    await _edit_html(update, text, keyboards.page_buttons(page, pages))


async def due(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/due [天数]: deadlines from today on."""
    message = update.effective_message
    assert message is not None
    args = context.args or []
    days = DEFAULT_DUE_DAYS
    if args:
        raw = args[0].removesuffix("天")
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_DUE_DAYS:
            await message.reply_text(msg.BOT_DUE_USAGE.plain(days=DEFAULT_DUE_DAYS))
            return
        days = int(raw)
    services = services_of(context)
    plan = await current_plan(services)
    await reply_html(message, views.due_list(plan, _today(services), days))


async def overdue(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/overdue: passed deadlines of tasks not reported done."""
    message = update.effective_message
    assert message is not None
    services = services_of(context)
    plan = await current_plan(services)
    done = await services.db.arun(lambda s: services.completed_tasks(s, plan, services.settings).tasks)
    await reply_html(message, views.overdue_list(plan, _today(services), done))


async def mine(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/mine: tasks of the leader or unit the user is bound to."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    services = services_of(context)
    names = await services.db.arun(lambda s: people.names_of(s, user.id))
    if not names:
        await message.reply_text(msg.BOT_MINE_UNBOUND.plain(user_id=user.id))
        return
    plan = await current_plan(services)
    await reply_html(message, views.mine_list(plan, names, services.settings.group_aliases, _today(services)))


# --- errors ----------------------------------------------------------------------------------------------
async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log any failure; tell the user (a domain error's own message, else a short apology)."""
    error = context.error
    if isinstance(error, Conflict) and update is None:  # getUpdates: another process polls with this token
        poll_conflict(context.application)
        return
    if isinstance(error, PlanbotError):
        log.info("update refused: %s", error)
        text = str(error)
    else:
        log.error("handling an update failed", exc_info=error)
        text = msg.GENERIC_ERROR
    if not isinstance(update, Update):
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer()
        if update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, text)
    except TelegramError as exc:
        log.warning("could not send the error reply: %s", exc)


# --- wiring -----------------------------------------------------------------------------------------------
def register(application: Application) -> None:  # type: ignore[type-arg]
    """Commands, buttons and the error handler (the plain-text question handler comes last: register_fallbacks)."""
    for name, callback in (("start", start), ("help", help_cmd), ("whoami", whoami), ("ask", ask),
                           ("task", task), ("tasks", tasks), ("due", due), ("overdue", overdue), ("mine", mine)):
        application.add_handler(command(name, callback))
    application.add_handler(CallbackQueryHandler(task_button, pattern=keyboards.TASK_PATTERN))
    application.add_handler(CallbackQueryHandler(tasks_button, pattern=keyboards.PAGE_PATTERN))
    application.add_error_handler(on_error)


async def stale_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button no handler recognises (old keyboard, forged data): answered, nothing done."""
    if update.callback_query is not None:
        await update.callback_query.answer(msg.BOT_STALE_BUTTON, show_alert=True)


def register_fallbacks(application: Application) -> None:  # type: ignore[type-arg]
    """Plain text is a question: registered after every feature so their own text handlers match first."""
    application.add_handler(CallbackQueryHandler(stale_button))  # last: every callback gets an answer
    slash = filters.Regex(r"^/")
    application.add_handler(MessageHandler(filters.TEXT & ~slash & filters.UpdateType.MESSAGE, text_question))
    application.add_handler(MessageHandler(filters.TEXT & slash & filters.UpdateType.MESSAGE, unknown_command))


async def startup(application: Application) -> None:  # type: ignore[type-arg]
    """Publish the command menu (Chinese descriptions) and start loading the Q&A engine in a thread."""
    services = services_of(application)
    public = [BotCommand(k, v) for k, v in msg.BOT_COMMANDS.items()]
    admin = public + [BotCommand(k, v) for k, v in msg.BOT_ADMIN_COMMANDS.items()]
    try:
        await application.bot.set_my_commands(public, scope=BotCommandScopeDefault())
    except TelegramError as exc:
        log.warning("setMyCommands failed: %s", exc)
    for admin_id in sorted(services.settings.admins):
        try:
            await application.bot.set_my_commands(admin, scope=BotCommandScopeChat(admin_id))
        except TelegramError as exc:  # an admin who never opened the bot has no chat yet
            log.info("admin command menu for %s not set: %s", admin_id, exc)
    if services.qa.preload and services.qa.engine is None:
        start_engine_loading(services)


async def shutdown(application: Application) -> None:  # type: ignore[type-arg]
    """Let a Q&A engine load still running finish first, skipping its optional warm-up."""
    # Its thread cannot be stopped; left behind the event loop it fails noisily while the interpreter exits
    # (which waits for it anyway).
    services = services_of(application)
    services.stopping = True
    loading = services.qa.loading
    if loading is not None and not loading.done():
        with contextlib.suppress(Exception):
            await loading

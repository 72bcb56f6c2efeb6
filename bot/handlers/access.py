"""Access and roles: the default-deny gate, /register with admin approval, /bind, /unbind, /users."""

from __future__ import annotations

import difflib
import logging
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session
from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    ContextTypes,
    TypeHandler,
)

from bot import keyboards
from bot import texts as msg
from bot.commands import command, command_of
from bot.context import current_plan, services_of
from bot.services import Services
from bot.views import ledger_names
from planbot import people
from planbot.errors import PlanbotError
from planbot.render import Html, join, join_lines, split_html

log = logging.getLogger(__name__)

Role = Literal["admin", "staff", "pending", "stranger"]
GATE_GROUP = -100  # runs before every feature's handlers
PUBLIC_COMMANDS = frozenset({"start", "help", "register", "whoami"})


async def role_of(services: Services, user_id: int) -> Role:
    """admin (PLANBOT_ADMINS), staff (PLANBOT_ALLOWED_USERS, approved or bound), pending, or stranger."""
    settings = services.settings
    if user_id in settings.admins:
        return "admin"
    if user_id in settings.allowed_users:
        return "staff"

    def work(s: Session) -> Role:
        if people.is_approved(s, user_id):
            return "staff"
        row = people.get_user(s, user_id)
        return "pending" if row is not None and row.status == people.STATUS_PENDING else "stranger"

    return await services.db.arun(work)


def addressed(message: Message, bot_username: str | None, bot_id: int) -> tuple[bool, str | None]:
    """Whether a message is for this bot (always in private chats), and its command name if it is one."""
    text = message.text or message.caption or ""
    found = command_of(message, bot_username)
    if found is not None:
        name, ours = found
        return (True, name) if ours else (False, None)  # /name@other_bot is another bot's
    if message.chat.type == "private":
        return True, None
    if bot_username and f"@{bot_username.lower()}" in text.lower():
        return True, None
    reply = message.reply_to_message
    return bool(reply and reply.from_user and reply.from_user.id == bot_id), None


async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Drop what is not for the bot; refuse strangers everything but /start, /help, /register, /whoami."""
    user = update.effective_user
    if user is None or update.edited_message is not None or update.edited_channel_post is not None:
        raise ApplicationHandlerStop
    command_name: str | None = None
    if update.callback_query is None:
        message = update.message
        if message is None:
            raise ApplicationHandlerStop  # membership changes, channel posts, …: nothing to answer
        is_for_us, command_name = addressed(message, context.bot.username, context.bot.id)
        if not is_for_us:
            raise ApplicationHandlerStop
    role = await role_of(services_of(context), user.id)
    if role in ("admin", "staff") or command_name in PUBLIC_COMMANDS:
        return
    if update.callback_query is not None:
        await update.callback_query.answer(msg.BOT_HELP_STRANGER, show_alert=True)
    elif update.message is not None:
        await update.message.reply_text(msg.BOT_NO_ACCESS, do_quote=update.message.chat.type != "private")
    raise ApplicationHandlerStop


def bindable_name(registered: str, names: list[str]) -> str | None:
    """The ledger name a registration names: the whole text, one of its words (/register 大气办 张三), or the
    longest ledger name it contains; None when it names none."""
    if registered in names:
        return registered
    for word in registered.replace("，", " ").replace(",", " ").split():
        if word in names:
            return word
    inside = [n for n in names if len(n) >= 2 and n in registered]
    return max(inside, key=len) if inside else None


async def _reply(message: Message, html: str) -> None:
    for part in split_html(html):
        await message.reply_text(part, parse_mode=ParseMode.HTML, do_quote=message.chat.type != "private")


async def _plan_names(services: Services) -> list[str]:
    """The bindable names of the current plan (empty when no plan is indexed)."""
    try:
        plan = await current_plan(services)
    except PlanbotError:
        return []
    return ledger_names(plan, services.settings.group_aliases)


async def register_cmd(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/register 姓名或单位: store a pending request and ask every admin to decide."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    services = services_of(context)
    role = await role_of(services, user.id)
    if role in ("admin", "staff"):
        await message.reply_text(msg.BOT_REGISTER_ALREADY)
        return
    name = " ".join(context.args or []).strip()[:100]
    if not name:
        await message.reply_text(msg.BOT_REGISTER_USAGE)
        return

    def store(s: Session) -> bool:
        row = people.get_user(s, user.id)
        unchanged = row is not None and row.status == people.STATUS_PENDING and row.registered_as == name
        people.upsert_user(s, user.id, status=people.STATUS_PENDING, display_name=user.full_name,
                           registered_as=name, chat_id=user.id)
        return unchanged

    if await services.db.arun(store):
        await _reply(message, msg.BOT_REGISTER_PENDING.render(name=name))
        return
    admins = sorted(services.settings.admins)
    if not admins:
        await _reply(message, msg.BOT_REGISTER_NO_ADMIN.render(name=name))
        return
    bind_name = bindable_name(name, await _plan_names(services))
    notice = msg.BOT_REGISTER_NOTICE.render(user=user.full_name, user_id=user.id, name=name)
    for admin in admins:
        try:
            await context.bot.send_message(admin, notice, parse_mode=ParseMode.HTML,
                                           reply_markup=keyboards.approval_buttons(user.id, bind_name))
        except TelegramError as exc:  # an admin who never opened the bot cannot be messaged
            log.warning("could not notify admin %s of a registration: %s", admin, exc)
    await _reply(message, msg.BOT_REGISTER_SENT.render(name=name))


async def decide(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An admin pressed 批准 / 批准并绑定 / 拒绝 under a registration."""
    query = update.callback_query
    assert query is not None and query.data is not None
    services = services_of(context)
    if await role_of(services, query.from_user.id) != "admin":
        await query.answer(msg.BOT_ADMIN_ONLY, show_alert=True)
        return
    _, action, raw_id = keyboards.parse(query.data)
    user_id = int(raw_id)
    names = await _plan_names(services) if action == "bind" else []

    def work(s: Session) -> tuple[str, str, str | None] | None:
        row = people.get_user(s, user_id)
        if row is None or row.status != people.STATUS_PENDING:
            return None
        bound = bindable_name(row.registered_as, names) if action == "bind" else None
        row.status = people.STATUS_REJECTED if action == "no" else people.STATUS_APPROVED
        if bound:
            people.bind(s, user_id, bound, source="bind")
        return row.display_name, row.registered_as, bound

    outcome = await services.db.arun(work)
    if outcome is None:
        await query.answer(msg.BOT_REQUEST_GONE, show_alert=True)
        return
    await query.answer()
    display, registered, bound = outcome
    fields = {"admin": query.from_user.full_name, "user": display, "user_id": user_id,
              "name": bound or registered}
    if action == "no":
        admin_text, user_text = msg.BOT_REJECTED_ADMIN, msg.BOT_REJECTED_USER
    elif bound:
        admin_text, user_text = msg.BOT_APPROVED_BOUND_ADMIN, msg.BOT_APPROVED_BOUND_USER
    else:
        admin_text, user_text = msg.BOT_APPROVED_ADMIN, msg.BOT_APPROVED_USER
    await query.edit_message_text(admin_text.render(**fields), parse_mode=ParseMode.HTML)
    try:
        await context.bot.send_message(user_id, user_text.render(**fields), parse_mode=ParseMode.HTML)
    except TelegramError as exc:
        log.warning("could not tell user %s about the decision: %s", user_id, exc)


async def require_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """True for admins; tells anyone else the command is for admins (every feature's admin commands use this)."""
    user, message = update.effective_user, update.effective_message
    if user is None or message is None:
        return False
    if await role_of(services_of(context), user.id) == "admin":
        return True
    await message.reply_text(msg.BOT_ADMIN_ONLY)
    return False


def _user_id(raw: str) -> int | None:
    raw = raw.strip()
    return int(raw) if raw.lstrip("-").isdigit() else None


async def bind(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/bind 用户ID 名称 (admins): link a user to a leader or unit of the ledger."""
    message = update.effective_message
    assert message is not None
    if not await require_admin(update, context):
        return
    args = context.args or []
    if len(args) < 2:
        await message.reply_text(msg.BOT_BIND_USAGE)
        return
    user_id, name = _user_id(args[0]), " ".join(args[1:]).strip()
    if user_id is None:
        await _reply(message, msg.BOT_USER_ID_BAD.render(value=args[0]))
        return
    services = services_of(context)
    plan = await current_plan(services)  # PlanNotFound tells the admin to index a plan first
    names = ledger_names(plan, services.settings.group_aliases)
    if name not in names:
        close = [n for n in names if name in n or n in name] or difflib.get_close_matches(name, names, n=3, cutoff=0.4)
        hint = msg.BOT_BIND_HINT.render(close=close[:5]) if close else ""
        await _reply(message, msg.BOT_BIND_UNKNOWN.render(
            name=name, hint=hint, names=names))
        return
    created = await services.db.arun(lambda s: people.bind(s, user_id, name, source="bind"))
    text = msg.BOT_BIND_OK if created else msg.BOT_BIND_EXISTS
    await _reply(message, text.render(user_id=user_id, name=name))
    if created:
        try:
            await context.bot.send_message(user_id, msg.BOT_BIND_NOTICE.render(name=name),
                                           parse_mode=ParseMode.HTML)
        except TelegramError as exc:
            log.info("bound user %s has not opened the bot yet: %s", user_id, exc)


async def unbind(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/unbind 用户ID [名称] (admins): remove one or all of a user's bindings."""
    message = update.effective_message
    assert message is not None
    if not await require_admin(update, context):
        return
    args = context.args or []
    user_id = _user_id(args[0]) if args else None
    if user_id is None:
        await message.reply_text(msg.BOT_UNBIND_USAGE)
        return
    name = " ".join(args[1:]).strip() or None
    count = await services_of(context).db.arun(lambda s: people.unbind(s, user_id, name))
    if count:
        await _reply(message, msg.BOT_UNBIND_OK.render(user_id=user_id, count=count))
    else:
        what = msg.BOT_UNBIND_WHAT.render(name=name) if name else ""
        await _reply(message, msg.BOT_UNBIND_NONE.render(user_id=user_id, what=what))


async def users(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/users (admins): admins, pre-approved ids, registrations by status, bindings."""
    message = update.effective_message
    assert message is not None
    if not await require_admin(update, context):
        return
    services = services_of(context)
    settings = services.settings

    def read(s: Session) -> tuple[list[people.UserRow], list[people.Binding]]:
        return list(s.scalars(select(people.UserRow).order_by(people.UserRow.telegram_id))), \
            people.all_bindings(s)

    rows, bindings = await services.db.arun(read)
    bound: dict[int, list[str]] = {}
    for b in bindings:
        bound.setdefault(b.telegram_id, []).append(b.name)

    def ids(values: frozenset[int]) -> Html:
        return join(msg.BOT_CODE.render(value=i) for i in sorted(values)) or msg.BOT_USERS_EMPTY.render()

    lines = [msg.BOT_USERS_HEADER, msg.BOT_USERS_ADMINS.render(ids=ids(settings.admins)),
             msg.BOT_USERS_ALLOWED.render(ids=ids(settings.allowed_users))]
    for status in (people.STATUS_PENDING, people.STATUS_APPROVED, people.STATUS_REJECTED):
        group = [r for r in rows if r.status == status]
        lines.append(msg.BOT_USERS_SECTION.render(label=msg.BOT_STATUS_LABELS[status], count=len(group)))
        for r in group:
            lines.append(msg.BOT_USERS_LINE.render(
                user_id=r.telegram_id, name=r.display_name,
                registered=msg.BOT_USERS_REGISTERED.render(name=r.registered_as) if r.registered_as else "",
                bound=msg.BOT_USERS_BOUND.render(names=bound[r.telegram_id]) if r.telegram_id in bound else ""))
    lines.append(msg.BOT_USERS_BINDINGS.render(count=len(bindings)))
    lines += [msg.BOT_USERS_BINDING_LINE.render(name=b.name, user_id=b.telegram_id) for b in bindings]
    await _reply(message, join_lines(lines))


def register(application: Application) -> None:  # type: ignore[type-arg]
    """The gate (before everything) and the access commands."""
    application.add_handler(TypeHandler(Update, gate), group=GATE_GROUP)
    application.add_handler(command("register", register_cmd))
    application.add_handler(command("bind", bind))
    application.add_handler(command("unbind", unbind))
    application.add_handler(command("users", users))
    application.add_handler(CallbackQueryHandler(decide, pattern=keyboards.ACCESS_PATTERN))


"""Learning from use: refused and low-confidence questions are recorded; admins review them (/unanswered),
map one to a task or teach an everyday word (/alias, or a reply to the 添加别名 prompt); the engine learns at once."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot import texts as msg
from bot import texts_learning as T
from bot.commands import command
from bot.context import current_plan, services_of, teach
from bot.handlers.access import require_admin, role_of
from bot.services import Services
from indexer import learning as store
from indexer.ledger import plan_key
from knowledge.model import Plan
from knowledge.qa.learning import ALIAS_MAX, check_alias, group_misses, plan_corpus, question_key, week_start
from planbot.render import Html, join, join_lines, split_html

log = logging.getLogger(__name__)

SHOWN = 10  # groups listed by /unanswered (each with its buttons)
MAP_DATA = re.compile(r"^un:map:(\d{1,12}):(\d{1,6})$")  # un:map:<miss id>:<task number>
ALIAS_DATA = re.compile(r"^un:alias:(\d{1,12})$")  # un:alias:<miss id>


# --- recording (called by the Q&A path) ------------------------------------------------------------------
async def record(services: Services, user_id: int | None, question: str, result: Any) -> None:
    """Store a refused or low-confidence answer's question; anything else, or a failure, records nothing."""
    decision = "refuse" if result.refused else "caveat" if result.low_confidence else None
    if decision is None or not question_key(question):
        return
    try:
        key = plan_key(await current_plan(services))
        now = services.clock()
        await services.db.arun(lambda s: store.record_miss(s, key, question, user_id, decision, result.pointer, now))
    except Exception:  # the answer was sent; losing a statistic must not look like a failed question
        log.warning("recording an unanswered question failed", exc_info=True)


# --- /unanswered -------------------------------------------------------------------------------------------
async def unanswered(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/unanswered (admins): the last seven days' refused or low-confidence questions, most frequent first."""
    message = update.effective_message
    assert message is not None
    if not await require_admin(update, context):
        return
    services = services_of(context)
    plan = await current_plan(services)
    key, now = plan_key(plan), services.clock().astimezone(services.settings.tz)
    since = week_start(now)
    misses, mapped = await services.db.arun(
        lambda s: (store.misses_since(s, key, since), store.mappings(s, key)))
    groups = group_misses(misses, (question_key(q) for q in mapped))
    if not groups:
        await message.reply_text(T.UNANSWERED_NONE.plain())
        return
    lines = [T.UNANSWERED_HEADER.render(since=since.strftime("%m-%d %H:%M"),
                    total=sum(g.count for g in groups))]
    rows: list[list[InlineKeyboardButton]] = []
    for index, group in enumerate(groups[:SHOWN], start=1):
        line = T.UNANSWERED_LINE.render(index=index, question=group.question, count=group.count,
                      decision=T.DECISION_LABELS.get(group.decision, group.decision),
                      at=group.last_at.astimezone(services.settings.tz).strftime("%m-%d %H:%M"))
        task = plan.task(group.pointer) if group.pointer is not None else None
        row = []
        if task is not None:
            line += T.UNANSWERED_POINTER.render(number=task.number, title=task.title)
            row.append(InlineKeyboardButton(T.BUTTON_MAP.plain(index=index, number=task.number),
                                            callback_data=f"un:map:{group.last_id}:{task.number}"))
        row.append(InlineKeyboardButton(T.BUTTON_ALIAS.plain(index=index), callback_data=f"un:alias:{group.last_id}"))
        lines.append(line)
        rows.append(row)
    if len(groups) > SHOWN:
        lines.append(T.UNANSWERED_MORE.render(more=len(groups) - SHOWN))
    lines.append(T.UNANSWERED_FOOTER.render())
    await _reply(message, join_lines(lines), InlineKeyboardMarkup(rows))


async def unanswered_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """对应第N项 / 添加别名 under /unanswered: checked against the stored record, else 按钮已失效."""
    query = update.callback_query
    assert query is not None and query.data is not None
    services = services_of(context)
    if await role_of(services, query.from_user.id) != "admin":
        await query.answer(msg.BOT_ADMIN_ONLY.plain(), show_alert=True)
        return
    mapped, alias = MAP_DATA.match(query.data), ALIAS_DATA.match(query.data)
    found = mapped or alias
    plan = await current_plan(services)
    key = plan_key(plan)
    record_ = await services.db.arun(lambda s: store.miss(s, int(found.group(1)))) if found else None
    number = int(mapped.group(2)) if mapped else None
    if (record_ is None or (mapped and (record_.pointer != number or plan.task(number or 0) is None))
            or not isinstance(query.message, Message)):
        await query.answer(T.STALE.plain(), show_alert=True)
        return
    if mapped and number is not None:
        now = services.clock()
        await services.db.arun(lambda s: store.save_mapping(s, key, record_.question, number, query.from_user.id, now))
        if services.qa.engine is not None:
            await teach(services, services.qa.engine, mappings={record_.question: number})
        await query.answer()
        await _reply(query.message, T.MAPPED.render(question=record_.question, number=number))
        return
    await query.answer()
    await query.message.reply_text(T.ALIAS_PROMPT.render(question=record_.question), parse_mode=ParseMode.HTML,
                                   reply_markup=ForceReply(selective=True, input_field_placeholder=T.ALIAS_PLACEHOLDER))


# --- /alias and the reply to the 添加别名 prompt ---------------------------------------------------------------
async def alias(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/alias 俗称 方案用语 (admins): teach the Q&A an everyday word, stored and applied at once."""
    message = update.effective_message
    assert message is not None
    if not await require_admin(update, context):
        return
    await _add_alias(update, context, context.args or [])


class _AliasPromptReply(filters.MessageFilter):
    """A reply to the bot's 添加别名 prompt (recognised by the prompt's own text, so it survives a restart)."""

    def filter(self, message: Message) -> bool:
        reply = message.reply_to_message
        return bool(reply and reply.from_user and reply.from_user.is_bot and reply.text
                    and reply.text.startswith(T.ALIAS_PROMPT_MARK))


async def alias_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A reply "俗称 方案用语" to the 添加别名 prompt (admins)."""
    message = update.effective_message
    assert message is not None and message.text is not None
    if not await require_admin(update, context):
        return
    await _add_alias(update, context, message.text.split())


async def _add_alias(update: Update, context: ContextTypes.DEFAULT_TYPE, args: list[str]) -> None:
    """Validate "俗称 方案用语" against the current plan, store it, and teach the running engine."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    if len(args) != 2:
        await message.reply_text(T.ALIAS_USAGE.plain())
        return
    said, meant = args
    services = services_of(context)
    plan = await current_plan(services)
    problem = check_alias(said, meant, await _corpus(plan))
    if problem is not None:
        await _reply(message, _problem_text(problem.kind, said, meant, problem.suggestions))
        return
    now = services.clock()
    before = await services.db.arun(lambda s: store.save_alias(s, said, meant, user.id, now))
    if services.qa.engine is not None:
        await teach(services, services.qa.engine, aliases={said: meant})
    text = T.ALIAS_CHANGED if before not in (None, meant) else T.ALIAS_OK
    await _reply(message, text.render(said=said, meant=meant, before=before or ""))


_last_corpus: list[tuple[Plan, str]] = []  # the latest plan object and its text (plan access parses once a version)


async def _corpus(plan: Plan) -> str:
    """The plan's text as the engine reads it (built off the event loop, once per plan object)."""
    if not _last_corpus or _last_corpus[0][0] is not plan:
        _last_corpus[:] = [(plan, await asyncio.to_thread(plan_corpus, plan))]
    return _last_corpus[0][1]


def _problem_text(kind: str, said: str, meant: str, suggestions: tuple[str, ...]) -> Html:
    if kind == "too_long":
        return T.ALIAS_TOO_LONG.render(limit=ALIAS_MAX)
    if kind == "same":
        return T.ALIAS_SAME.render(said=said)
    if kind == "said_in_plan":
        return T.ALIAS_SAID_IN_PLAN.render(said=said)
    if kind == "meant_missing" and suggestions:
        examples = join((T.ALIAS_EXAMPLE.render(said=said, term=term) for term in suggestions), T.ALIAS_EXAMPLE_JOIN)
        return T.ALIAS_MEANT_MISSING.render(meant=meant, examples=examples)
    if kind == "meant_missing":
        return T.ALIAS_MEANT_MISSING_NO_EXAMPLE.render(meant=meant)
    return T.ALIAS_USAGE.render()


async def _reply(message: Message, html: str | Html, markup: InlineKeyboardMarkup | None = None) -> None:
    parts = split_html(html)
    for i, part in enumerate(parts):
        await message.reply_text(part, parse_mode=ParseMode.HTML, do_quote=message.chat.type != "private",
                                 reply_markup=markup if i == len(parts) - 1 else None)


def register(application: Application) -> None:  # type: ignore[type-arg]
    """The admin commands, their buttons, and the reply to the 添加别名 prompt (before the Q&A text handler)."""
    application.add_handler(command("unanswered", unanswered))
    application.add_handler(command("alias", alias))
    application.add_handler(CallbackQueryHandler(unanswered_button, pattern=r"^un:"))
    application.add_handler(MessageHandler(
        filters.TEXT & filters.UpdateType.MESSAGE & ~filters.Regex(r"^/") & _AliasPromptReply(), alias_reply))

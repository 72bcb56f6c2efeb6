"""Admin commands of the status round (/weekly /chase /report /export /reopen /close), /timeline, shared helpers."""

from __future__ import annotations

import asyncio
import logging

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import Application, ContextTypes

from bot import texts as msg
from bot.commands import command
from bot.context import current_plan, services_of
from bot.handlers.access import require_admin, role_of
from knowledge.deadlines import plan_ended, plan_last_deadline
from knowledge.textclean import parse_task_number
from planbot.errors import PlanbotError
from planbot.render import join_lines, split_html
from supervision import jobs, service
from supervision import texts as sv_msg
from supervision.periods import KIND_WORDS, parse_period
from supervision.render import chase_summary, report_text
from supervision.reports import WEEKLY

log = logging.getLogger(__name__)


def register(application: Application) -> None:  # type: ignore[type-arg]
    """Add the admin commands and /timeline (called by bot.handlers.status.register)."""
    for name, callback in (("weekly", weekly_command), ("chase", chase_command), ("report", report_command),
                           ("export", export_command), ("timeline", timeline_command),
                           ("reopen", reopen_command), ("close", close_command)):
        application.add_handler(command(name, callback))


async def reply(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Send HTML to the update's chat, split at Telegram's limit (the keyboard goes on the last part)."""
    chat = update.effective_chat
    if chat is None:
        return
    parts = split_html(text)
    for i, part in enumerate(parts):
        await chat.send_message(part, parse_mode=ParseMode.HTML, reply_markup=markup if i == len(parts) - 1 else None)


async def weekly_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/weekly (admins): send this week's round now; for an ended plan it is sent too, with a note saying so."""
    if not await require_admin(update, context):
        return
    services = services_of(context)
    try:
        plan = await current_plan(services)
    except PlanbotError as err:
        await reply(update, msg.BOT_ERROR.render(error=err))
        return
    today = services.clock().astimezone(services.settings.tz).date()
    last = plan_last_deadline(plan)
    try:
        result = await jobs.dispatch_round(context.application)
    except PlanbotError as err:
        await reply(update, msg.BOT_ERROR.render(error=err))
        return
    lines = [msg.SV_WEEKLY_SENT.render(round_label=result.round.label, sent=result.sent,
                                       units=result.units)]
    if result.already:
        lines[0] += msg.SV_WEEKLY_ALREADY.render(already=result.already)
    if result.unreachable:
        lines.append(msg.SV_WEEKLY_UNREACHABLE.render(units=result.unreachable))
    if result.failed:
        lines.append(msg.SV_WEEKLY_FAILED.render(count=len(result.failed), units=result.failed))
    # An admin's explicit /weekly is honoured even after the plan ended (automatic rounds stop); say so.
    if last is not None and plan_ended(plan, today):
        lines.append(msg.SV_WEEKLY_PLAN_ENDED.render(title=plan.title, last=last.isoformat(), days=(today - last).days))
    await reply(update, join_lines(lines))


async def chase_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/chase (admins): remind now the lead units that have not replied this round."""
    if not await require_admin(update, context):
        return
    try:
        result = await jobs.chase(context.application)
    except PlanbotError as err:
        await reply(update, msg.BOT_ERROR.render(error=err))
        return
    if not result.tasks and not result.unbound:
        await reply(update, msg.SV_CHASE_NONE.render(round_label=result.round.label))
        return
    await reply(update, chase_summary(result.round.label, result.sent, result.tasks, result.unreachable,
                                      result.unbound))


async def report_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/report [周|月|季] [期间] (admins): this week's (or a named period's) table in the chat."""
    if not await require_admin(update, context):
        return
    services = services_of(context)
    args = list(context.args or [])
    kind = KIND_WORDS.get(args[0].lower(), "") if args else ""
    if kind:  # /report 周 (the default), /report 月, /report 季 2023-Q4
        args = args[1:]
    try:
        plan = await current_plan(services)
        now = services.clock()
        period = parse_period(kind or WEEKLY, " ".join(args), now, services.settings.tz)
        report = await services.db.arun(lambda s: service.make_report(s, plan, services.settings, now, period))
    except PlanbotError as err:
        await reply(update, msg.BOT_ERROR_USAGE.render(error=err, usage=msg.SV_REPORT_USAGE))
        return
    await reply(update, report_text(report))


async def export_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/export [周|月|季] [期间] (admins): the period's workbook as a document."""
    if not await require_admin(update, context) or update.effective_chat is None:
        return
    services = services_of(context)
    args = list(context.args or [])
    kind = KIND_WORDS.get(args[0].lower(), "") if args else WEEKLY
    if not kind:
        await reply(update, msg.SV_EXPORT_USAGE)
        return
    try:
        plan = await current_plan(services)
        now = services.clock()
        period = parse_period(kind, " ".join(args[1:]), now, services.settings.tz)
        report, data, name = await asyncio.to_thread(service.build_export, services.db, services.settings, plan,
                                                     period, now)
    except PlanbotError as err:
        await reply(update, msg.BOT_ERROR_USAGE.render(error=err, usage=msg.SV_EXPORT_USAGE))
        return
    caption = msg.SV_EXPORT_CAPTION.render(title=plan.title, label=period.label,
                                           rows=len(report.rows))
    await update.effective_chat.send_document(document=data, filename=name, caption=caption,
                                              parse_mode=ParseMode.HTML)


async def timeline_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/timeline: the deadlines by month with this week's status colours, as a picture."""
    user = update.effective_user
    if user is None or update.effective_chat is None:
        return
    services = services_of(context)
    if await role_of(services, user.id) not in ("admin", "staff"):
        await reply(update, sv_msg.SV_NOT_BOUND)
        return
    try:
        plan = await current_plan(services)
        report, png = await asyncio.to_thread(service.timeline_for, services.db, services.settings, plan,
                                              services.clock())
    except PlanbotError as err:
        await reply(update, msg.BOT_ERROR.render(error=err))
        return
    caption = msg.SV_TIMELINE_CAPTION.render(title=plan.title, label=report.period.label)
    name = f"{plan.year}-timeline-{report.period.key}.png"
    try:
        await update.effective_chat.send_photo(photo=png, caption=caption, parse_mode=ParseMode.HTML, filename=name)
    except BadRequest as exc:  # Telegram refuses pictures of some sizes and ratios as photos
        log.warning("sending the timeline as a photo failed (%s); sending it as a file", exc)
        await update.effective_chat.send_document(document=png, caption=caption, parse_mode=ParseMode.HTML,
                                                  filename=name)


async def reopen_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reopen 任务编号 (admins): reopen a task reported 已完成."""
    if not await require_admin(update, context) or update.effective_user is None:
        return
    args = list(context.args or [])
    if len(args) != 1 or not args[0].isdigit():
        await reply(update, msg.SV_REOPEN_USAGE)
        return
    number, user = int(args[0]), update.effective_user
    services = services_of(context)
    try:
        plan = await current_plan(services)
        now = services.clock()
        await services.db.arun(lambda s: service.reopen_task(s, plan, services.settings, now, telegram_id=user.id,
                                                          reporter=user.full_name, task_number=number))
    except PlanbotError as err:
        await reply(update, msg.BOT_ERROR.render(error=err))
        return
    await reply(update, msg.SV_REOPENED.render(number=number))


async def close_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/close 任务编号 说明 (admins): close a task as complete, whatever its lead units reported."""
    if not await require_admin(update, context) or update.effective_user is None:
        return
    number, note = parse_task_number(" ".join(context.args or []))
    if number is None or not note:
        await reply(update, msg.SV_CLOSE_USAGE)
        return
    user, services = update.effective_user, services_of(context)
    try:
        plan = await current_plan(services)
        now = services.clock()
        await services.db.arun(lambda s: service.close_task(s, plan, services.settings, now, telegram_id=user.id,
                                                         reporter=user.full_name, task_number=number, note=note))
    except PlanbotError as err:
        await reply(update, msg.BOT_ERROR.render(error=err))
        return
    await reply(update, msg.SV_CLOSED.render(number=number, note=note))

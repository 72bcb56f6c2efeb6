"""Reminder handlers: the scheduler at start-up, /reminders, admin views of unreachable/undelivered people.

The buttons under a reminder are handled elsewhere: 查看任务 (t:<n>:card) by bot/handlers/core.py and
报送进展 (status:<n>) by bot/handlers/status.py.
"""

from __future__ import annotations

import logging
from datetime import datetime

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application, ContextTypes

from bot.commands import command
from bot.context import services_of, start_background, stop_background
from bot.handlers.access import require_admin
from planbot.render import join_lines, split_html
from reminders import jobs
from reminders import texts as rem_msg
from reminders.directory import resolve_ids, unreachable
from reminders.outbox import digest_text
from reminders.rules import RuleConfig, reminders_on
from reminders.views import format_unreachable, recipient_names

log = logging.getLogger(__name__)
DISPATCH_EVERY_SECONDS = 60  # retries (RetryAfter, network errors) and rows left by a crashed dispatcher
_CATCH_UP = "reminders:catch_up"


def register(application: Application) -> None:  # type: ignore[type-arg]
    """Add the reminder handlers."""
    application.add_handler(command("unreachable", unreachable_command))
    application.add_handler(command("undelivered", undelivered_command))
    application.add_handler(command("reminders", reminders_command))


async def startup(application: Application) -> None:  # type: ignore[type-arg]
    """Start the scheduler, (re)install the reminder jobs and catch up on anything missed while down."""
    services = services_of(application)
    scheduler = services.scheduler
    scheduler.start()
    at = services.settings.reminder_time
    scheduler.add_cron_job("reminders:daily", jobs.daily_reminders, hour=at.hour, minute=at.minute)
    digest_at = (datetime.combine(datetime.min, at) + jobs.DIGEST_DELAY).time()
    scheduler.add_cron_job("reminders:digest", jobs.admin_digest, hour=digest_at.hour, minute=digest_at.minute)
    scheduler.add_interval_job("reminders:dispatch", jobs.dispatch_pending, seconds=DISPATCH_EVERY_SECONDS)
    # In the background: sending a backlog must not delay the bot answering users.
    start_background(services, _CATCH_UP, jobs.catch_up(application),
                     "reminder catch-up failed; the dispatch job retries every minute")


async def shutdown(application: Application) -> None:  # type: ignore[type-arg]
    """Stop the catch-up and the scheduler; unsent outbox rows stay for the next start."""
    services = services_of(application)
    await stop_background(services, _CATCH_UP)
    services.scheduler.stop()


async def unreachable_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/unreachable (admins): recipient names nobody can be reached for yet."""
    if update.effective_message is None:
        return
    if not await require_admin(update, context):
        return
    services = services_of(context)
    plan = await services.plans.current()
    names = recipient_names(plan, services.settings)
    missing = await services.db.arun(lambda s: unreachable(s, names, services.settings.group_aliases))
    await update.effective_message.reply_text(format_unreachable(missing))


async def undelivered_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/undelivered (admins): today's digest of reminders that reached nobody."""
    if update.effective_message is None:
        return
    if not await require_admin(update, context):
        return
    services = services_of(context)
    day = services.clock().astimezone(services.settings.tz).date()
    text = await services.db.arun(lambda s: digest_text(s, day))
    await update.effective_message.reply_text(text, parse_mode=ParseMode.HTML)


async def reminders_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reminders: the caller's reminders of today (by the names they are bound to)."""
    if update.effective_message is None or update.effective_user is None:
        return
    services = services_of(context)
    now = services.clock().astimezone(services.settings.tz)
    plan = await services.plans.current()
    user_id = update.effective_user.id
    done, pairs = await services.db.arun(lambda s: services.completed_tasks(s, plan, services.settings))
    today = reminders_on(plan, now.date(), RuleConfig.from_settings(services.settings), done, pairs)
    aliases = services.settings.group_aliases
    # Group names (各分局) count for a user bound to one of the group's member units.
    names = await services.db.arun(
        lambda s: {n for n in {r.recipient for r in today} if user_id in resolve_ids(s, n, aliases)})
    mine = [r for r in today if r.recipient in names or user_id in services.settings.admins]
    if not mine:
        await update.effective_message.reply_text(rem_msg.REMINDER_NONE_TODAY.plain(day=now.date().isoformat()))
        return
    lines = [rem_msg.REMINDER_TODAY_HEADER.render(day=now.date().isoformat(), count=len(mine))]
    lines += [rem_msg.REMINDER_TODAY_LINE.render(recipient=r.recipient, task=r.task, due=r.due.isoformat(),
                                             kind=rem_msg.REMINDER_KIND_NAMES[r.kind]) for r in mine]
    for part in split_html(join_lines(lines)):
        await update.effective_message.reply_text(part, parse_mode=ParseMode.HTML)


"""Scheduled reminder jobs: write the day's reminders to the outbox, dispatch, admin digest, catch-up."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from knowledge.model import Plan
from planbot.db import Database
from planbot.settings import Settings
from reminders.directory import chat_of, resolve_ids
from reminders.dispatcher import DispatchStats, dispatch
from reminders.outbox import EnqueueStats, digest_text, enqueue, enqueue_digest
from reminders.rules import RuleConfig, reminders_on

log = logging.getLogger(__name__)
DIGEST_DELAY = timedelta(hours=2)  # give retries time before telling the admins


def done_tasks(s: Session, plan_key: str) -> set[int]:
    """Tasks reported 已完成 (status round); every task is open until that feature is installed."""
    try:
        from supervision.store import completed_tasks
    except ImportError:
        return set()
    return set(completed_tasks(s, plan_key))


def current_plan(db: Database) -> tuple[Plan, str]:
    """The newest plan of the ledger and its key."""
    from indexer.ledger import current_plan_key, load_plan

    return load_plan(db), current_plan_key(db)


def chats_for(s: Session, settings: Settings) -> Any:
    """name -> private chats of every Telegram user standing for it (groups expanded)."""
    return lambda name: list(dict.fromkeys(chat_of(s, i) for i in resolve_ids(s, name, settings.group_aliases)))


def enqueue_day(db: Database, settings: Settings, day: date, now: datetime,
                plan: Plan | None = None, plan_key: str | None = None) -> EnqueueStats:
    """Write `day`'s reminders (from the ledger, minus done tasks) to the outbox; idempotent."""
    if plan is None or plan_key is None:
        plan, plan_key = current_plan(db)
    config = RuleConfig.from_settings(settings)

    def work(s: Session) -> EnqueueStats:
        assert plan is not None and plan_key is not None
        items = reminders_on(plan, day, config, done_tasks(s, plan_key))
        return enqueue(s, plan_key, items, now, chats_for(s, settings))

    stats = db.run(work)
    if stats.unreachable:
        log.warning("reminders for %s: no Telegram user for %s", day, "、".join(stats.unreachable))
    return stats


def _services(application: Any) -> Any:
    return application.bot_data["services"]


async def dispatch_pending(application: Any) -> None:
    """Send every due outbox message (retries included)."""
    services = _services(application)
    stats: DispatchStats = await dispatch(services.db, application.bot, services.clock)
    if stats.claimed:
        log.info("dispatched reminders: %s", stats)


async def daily_reminders(application: Any) -> None:
    """The 09:00 job: today's reminders into the outbox, then send them."""
    services = _services(application)
    now = services.clock()
    enqueue_day(services.db, services.settings, now.astimezone(services.settings.tz).date(), now)
    await dispatch_pending(application)


async def admin_digest(application: Any) -> None:
    """Tell the admins about today's reminders that reached nobody (only when there are any)."""
    services = _services(application)
    now = services.clock()
    day = now.astimezone(services.settings.tz).date()
    text = services.db.run(lambda s: digest_text(s, day))
    if text.startswith("✅") or not services.settings.admins:
        return
    services.db.run(lambda s: enqueue_digest(s, day, services.settings.admins, now))
    await dispatch_pending(application)


async def catch_up(application: Any) -> None:
    """At start-up: if today's reminder time has passed (bot was down), write today's reminders; send all due."""
    services = _services(application)
    settings: Settings = services.settings
    now = services.clock().astimezone(settings.tz)
    if now.time() >= settings.reminder_time:
        try:
            enqueue_day(services.db, settings, now.date(), now)
        except Exception:  # e.g. no plan indexed yet: the bot must still start
            log.exception("reminder catch-up for %s failed", now.date())
    await dispatch_pending(application)

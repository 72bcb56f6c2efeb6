"""Scheduled reminder jobs: write the day's reminders to the outbox, dispatch, admin digest, catch-up."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.model import Plan
from planbot.db import Database
from planbot.settings import Settings
from reminders.directory import chat_of, resolve_ids
from reminders.outbox import EnqueueStats, enqueue, enqueue_digest, undelivered_lines
from reminders.rules import Reminder, RuleConfig, reminders_on
from reminders.store import ReminderRunRow, utcnow_naive

log = logging.getLogger(__name__)
DIGEST_DELAY = timedelta(hours=2)  # give retries time before telling the admins
CATCH_UP_DAYS = 62  # after an outage, missed days folded into today's reminders (older deadlines recur as overdue)


def done_tasks(s: Session, plan_key: str) -> set[int]:
    """Tasks reported 已完成 (status round); every task is open until that feature is installed."""
    try:
        from supervision.store import completed_tasks
    except ImportError:
        return set()
    return set(completed_tasks(s, plan_key))


def current_plan(db: Database, selector: str | None = None) -> tuple[Plan, str]:
    """The plan the bot serves (settings.plan_selector; the newest when None) and its key."""
    from indexer.ledger import current_plan_key, load_plan

    return load_plan(db, selector), current_plan_key(db, selector)


def chats_for(s: Session, settings: Settings) -> Any:
    """name -> private chats of every Telegram user standing for it (groups expanded)."""
    return lambda name: list(dict.fromkeys(chat_of(s, i) for i in resolve_ids(s, name, settings.group_aliases)))


def end_of_day(day: date, tz: Any) -> datetime:
    """Midnight after `day` in the bureau's zone: until then a reminder of `day` is still current."""
    return datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=tz)


def fold(plan: Plan, today: date, missed: list[date], config: RuleConfig, done: set[int]) -> list[Reminder]:
    """Today's reminders plus those of the missed days, each restated as of today (never a past day's text)."""
    out: dict[tuple[int, date, str], Reminder] = {}
    for r in reminders_on(plan, today, config, done):
        out[(r.task, r.due, r.recipient)] = r
    for day in missed:
        for r in reminders_on(plan, day, config, done):
            if (r.task, r.due, r.recipient) in out:
                continue
            left = (r.due - today).days
            kind: Any = "overdue" if left < 0 else "due" if left == 0 else "before"
            out[(r.task, r.due, r.recipient)] = replace(r, kind=kind, days_left=left, send_at=datetime.combine(
                today, config.send_time, tzinfo=config.tz))
    return sorted(out.values(), key=lambda r: (r.task, r.due, r.recipient))


def enqueue_day(db: Database, settings: Settings, day: date, now: datetime,
                plan: Plan | None = None, plan_key: str | None = None, missed: list[date] | None = None
                ) -> EnqueueStats:
    """Write `day`'s reminders (from the ledger, minus done tasks; `missed` days folded in) to the outbox."""
    if plan is None or plan_key is None:
        plan, plan_key = current_plan(db, settings.plan_selector)
    config = RuleConfig.from_settings(settings)
    folded = list(missed or [])

    def work_and_record(s: Session) -> EnqueueStats:
        assert plan is not None and plan_key is not None
        done = done_tasks(s, plan_key)
        items = fold(plan, day, folded, config, done) if folded else reminders_on(plan, day, config, done)
        stats = enqueue(s, plan_key, items, now, chats_for(s, settings), end_of_day(day, settings.tz))
        for d in [*folded, day]:
            if s.get(ReminderRunRow, (plan_key, d)) is None:
                s.add(ReminderRunRow(plan_key=plan_key, day=d, done_at=utcnow_naive(now)))
        return stats

    stats = db.run(work_and_record)
    if stats.unreachable:
        log.warning("reminders for %s: no Telegram user for %s", day, "、".join(stats.unreachable))
    return stats


def _services(application: Any) -> Any:
    return application.bot_data["services"]


async def dispatch_pending(application: Any) -> None:
    """Send every due outbox message (retries included)."""
    from reminders.scheduler import deliver_now

    await deliver_now(application)


def missed_days(db: Database, plan_key: str, now: datetime, reminder_time: Any) -> list[date]:
    """Days since the last written day (at most CATCH_UP_DAYS back) never written; a fresh install has none."""
    today = now.date()
    last = db.run(lambda s: s.scalar(select(ReminderRunRow.day).where(
        ReminderRunRow.plan_key == plan_key, ReminderRunRow.day < today).order_by(ReminderRunRow.day.desc()).limit(1)))
    if last is None:
        return []
    first = max(last + timedelta(days=1), today - timedelta(days=CATCH_UP_DAYS))
    return [first + timedelta(days=n) for n in range((today - first).days)]


async def daily_reminders(application: Any) -> None:
    """The daily job: today's reminders (with the days missed while down folded in) into the outbox; send."""
    services = _services(application)
    settings: Settings = services.settings
    now = services.clock().astimezone(settings.tz)
    today = now.date()

    def write() -> None:
        plan, key = current_plan(services.db, settings.plan_selector)
        enqueue_day(services.db, settings, today, now, plan, key,
                    missed_days(services.db, key, now, settings.reminder_time))

    await asyncio.to_thread(write)
    await dispatch_pending(application)


async def admin_digest(application: Any) -> None:
    """Tell the admins about today's reminders that reached nobody (only when there are any)."""
    services = _services(application)
    now = services.clock()
    day = now.astimezone(services.settings.tz).date()
    if not services.settings.admins or not await services.db.arun(lambda s: undelivered_lines(s, day)):
        return
    until = end_of_day(day, services.settings.tz)
    await services.db.arun(lambda s: enqueue_digest(s, day, services.settings.admins, now, until))
    await dispatch_pending(application)


async def report_failures(application: Any) -> None:
    """Tell the admins, once, about messages that could not be delivered (with the cause and what to do)."""
    from reminders.queue import queue_failure_report

    services = _services(application)
    if not services.settings.admins:
        return
    now = services.clock()
    until = now + timedelta(days=2)
    await services.db.arun(lambda s: queue_failure_report(s, sorted(services.settings.admins), now, until))

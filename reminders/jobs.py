"""Scheduled reminder jobs: write the day's reminders to the outbox, dispatch, admin digest, catch-up."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.deadlines import plan_ended
from knowledge.model import Plan
from planbot.db import Database
from planbot.settings import Settings
from reminders.directory import chat_of, resolve_ids
from reminders.outbox import EnqueueStats, enqueue, enqueue_digest, undelivered_lines
from reminders.ports import CompletedTasks
from reminders.queue import queue_failure_report
from reminders.rules import RuleConfig, folded_day
from reminders.scheduler import services_of
from reminders.store import ReminderRunRow, utcnow_naive

log = logging.getLogger(__name__)
DIGEST_DELAY = timedelta(hours=2)  # give retries time before telling the admins
CATCH_UP_DAYS = 7  # after an outage, days whose reminders are still written (late) at start-up


def chats_for(s: Session, settings: Settings) -> Any:
    """name -> private chats of every Telegram user standing for it (groups expanded)."""
    return lambda name: list(dict.fromkeys(chat_of(s, i) for i in resolve_ids(s, name, settings.group_aliases)))


def enqueue_day(db: Database, settings: Settings, day: date, now: datetime, plan: Plan, plan_key: str,
                completed: CompletedTasks, missed: Sequence[date] = ()) -> EnqueueStats:
    """Write `day`'s reminders (minus what `completed` reports done: complete tasks, lead units done) to the outbox.

    Idempotent. `missed`: earlier days never written (downtime), folded into `day`'s message as of `day`. Nothing
    is written once the plan has ended (its last deadline long past: knowledge.deadlines.plan_ended).
    """
    config = RuleConfig.from_settings(settings)
    ended = plan_ended(plan, day)

    def work(s: Session) -> EnqueueStats:
        if ended:
            return EnqueueStats()
        done, pairs = completed(s, plan, settings)
        items = folded_day(plan, missed, day, config, done, pairs)
        # Written before the day's send time (a start-up catch-up), the message waits for that time.
        send_from = max(now, datetime.combine(day, settings.reminder_time, tzinfo=settings.tz))
        return enqueue(s, plan_key, items, send_from, chats_for(s, settings), end_of_day(day, settings.tz))

    def work_and_record(s: Session) -> EnqueueStats:
        stats = work(s)
        for d in {*missed, day}:
            if s.get(ReminderRunRow, (plan_key, d)) is None:
                s.add(ReminderRunRow(plan_key=plan_key, day=d, done_at=utcnow_naive(now)))
        return stats

    stats = db.run(work_and_record)
    if stats.unreachable:
        log.warning("reminders for %s: no Telegram user for %s", day, "、".join(stats.unreachable))
    return stats


def end_of_day(day: date, tz: Any) -> datetime:
    """Midnight after `day` in the bureau's zone: until then a reminder of `day` is still current."""
    return datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=tz)


async def dispatch_pending(application: Any) -> None:
    """Send every due outbox message (retries included) with this process's claims."""
    await services_of(application).scheduler.deliver_now()


async def report_failures(application: Any) -> None:
    """Tell the admins, once, about messages that could not be delivered (with the cause and what to do)."""
    services = services_of(application)
    if not services.settings.admins:
        return
    now = services.clock()
    until = now + timedelta(days=2)
    await services.db.arun(lambda s: queue_failure_report(s, sorted(services.settings.admins), now, until))


async def _tell_if_ended(application: Any, today: date) -> None:
    """Tell the admins once that the plan has ended and automatic reminders stopped."""
    services = services_of(application)
    try:
        plan = await services.plans.current()
    except Exception:  # no plan yet: nothing has ended
        return
    if plan_ended(plan, today):
        await services.plan_ended(application, plan)


async def daily_reminders(application: Any) -> None:
    """The daily job: today's reminders (the days missed while down folded in) into the outbox; send them."""
    services = services_of(application)
    settings: Settings = services.settings
    now = services.clock().astimezone(settings.tz)
    today = now.date()

    def write() -> None:
        plan = services.plans.get()
        key = services.plans.key()
        missed = [d for d in missed_days(services.db, key, now, settings.reminder_time) if d < today]
        enqueue_day(services.db, settings, today, now, plan, key, services.completed_tasks, missed)

    await asyncio.to_thread(write)
    await dispatch_pending(application)
    await _tell_if_ended(application, today)


async def admin_digest(application: Any) -> None:
    """Tell the admins about today's reminders that reached nobody (only when there are any)."""
    services = services_of(application)
    now = services.clock()
    day = now.astimezone(services.settings.tz).date()
    if not services.settings.admins or not await services.db.arun(lambda s: undelivered_lines(s, day)):
        return
    until = end_of_day(day, services.settings.tz)
    await services.db.arun(lambda s: enqueue_digest(s, day, services.settings.admins, now, until))
    await dispatch_pending(application)


def missed_days(db: Database, plan_key: str, now: datetime, reminder_time: Any) -> list[date]:
    """Days (up to CATCH_UP_DAYS back, today once its reminder time has passed) never written to the outbox."""
    today = now.date()
    days = [today - timedelta(days=n) for n in range(CATCH_UP_DAYS, 0, -1)]
    if now.time() >= reminder_time:
        days.append(today)
    done = set(db.run(lambda s: list(s.scalars(select(ReminderRunRow.day).where(
        ReminderRunRow.plan_key == plan_key, ReminderRunRow.day >= days[0])))))
    first_run = db.run(lambda s: s.scalar(select(ReminderRunRow.day).where(ReminderRunRow.plan_key == plan_key)
                                          .order_by(ReminderRunRow.day).limit(1)))
    # A fresh install does not replay the past week: it starts with today.
    return [d for d in days if d not in done and ((first_run is not None and d > first_run) or d == today)]


async def catch_up(application: Any) -> None:
    """Write the reminders of days missed while the bot was down (folded into today), send all due.

    The scheduler's first tick does this at start-up through `daily_reminders`; kept for direct use."""
    services = services_of(application)
    settings: Settings = services.settings
    now = services.clock().astimezone(settings.tz)

    def write_missed_days() -> None:
        plan = services.plans.get()
        key = services.plans.key()
        today = now.date()
        missed = [d for d in missed_days(services.db, key, now, settings.reminder_time) if d < today]
        if missed:  # folded into today's message (sent at today's reminder time), never a past day's text
            enqueue_day(services.db, settings, today, now, plan, key, services.completed_tasks, missed)
        elif now.time() >= settings.reminder_time:
            enqueue_day(services.db, settings, today, now, plan, key, services.completed_tasks)

    try:
        await asyncio.to_thread(write_missed_days)
    except Exception:  # e.g. no plan indexed yet: the bot must still start
        log.exception("reminder catch-up at %s failed", now)
    await dispatch_pending(application)
    await _tell_if_ended(application, now.date())

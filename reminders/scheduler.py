"""Scheduled jobs with a stored last run, caught up after downtime or a pause, and the outbox dispatcher loop.

Contract used by supervision (weekly round) and the bot:
- async start_scheduler(application) -> None   called from reminders' startup hook (idempotent)
- add_cron_job(application, job_id, func, *, day_of_week=None, day=None, hour, minute, period=None) -> None
  `func` is `async def func(application) -> None`; times in settings.tz. `period` ("day", "week", "month")
  says how long a missed run stays worth running: a run missed in an earlier period is skipped, not replayed.
- async deliver_now(application) -> DispatchStats   send what is due in the outbox (this process's claims)
- async stop_scheduler(application) -> None   stops, hands this process's unsent claims back

Jobs are built from settings at every start-up and kept in memory (APScheduler runs one tick job and the
dispatcher loop; no job table is created, so two processes cannot race to create one). Each job's last
completed slot is stored in `job_runs`: every tick (and at start-up) a job whose latest slot is later than
its stored run runs once — a restart after days of downtime runs each missed job once, with today's content.
A slot before the first start of the bot is not missed (a fresh install does not replay the past), except for
jobs added with `fresh=True` (today's reminders). Job functions must be idempotent: two processes may both run
a slot (their messages go through the outbox's idempotency keys and claims).
"""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select, update

from reminders.dispatcher import DispatchStats, dispatch, release
from reminders.store import JobRunRow, utcnow_naive

log = logging.getLogger(__name__)
EXTRA_KEY = "scheduler"
TICK_SECONDS = 10  # how often due jobs are checked and the outbox is dispatched
FAILED_JOB_PAUSE = timedelta(minutes=1)  # a failing job is tried again after this, not every tick
INSTALLED = "_installed"  # job_runs row: when the bot first ran on this database
LOOKBACK_DAYS = 62

JobFunc = Callable[[Any], Awaitable[None]]


@dataclass(frozen=True)
class JobSpec:
    """One scheduled job: when it runs (cron-like, in settings.tz) and how long a missed run stays current."""

    job_id: str
    func: JobFunc
    hour: int
    minute: int
    day_of_week: int | None = None  # Mon=0
    day: int | None = None  # day of month
    period: str | None = None  # None: always worth running once; "day" | "week" | "month"
    fresh: bool = False


def latest_slot(spec: JobSpec, now: datetime) -> datetime | None:
    """The latest time at or before `now` (aware, in the settings' zone) when `spec` was due."""
    at = time(spec.hour, spec.minute)
    for back in range(LOOKBACK_DAYS):
        day = now.date() - timedelta(days=back)
        if spec.day_of_week is not None and day.weekday() != spec.day_of_week:
            continue
        if spec.day is not None and day.day != spec.day:
            continue
        slot = datetime.combine(day, at, tzinfo=now.tzinfo)
        if slot <= now:
            return slot
    return None


def _period_of(day: date, period: str) -> tuple[int, ...]:
    if period == "day":
        return (day.toordinal(),)
    if period == "week":
        return tuple(day.isocalendar())[:2]
    return (day.year, day.month)


def still_current(spec: JobSpec, slot: datetime, now: datetime) -> bool:
    """Whether a run due at `slot` is still worth running at `now` (same day/week/month, or always)."""
    return spec.period is None or _period_of(slot.date(), spec.period) == _period_of(now.date(), spec.period)


@dataclass
class Scheduler:
    """This process's jobs, its dispatcher identity and what it is doing."""

    application: Any
    aps: AsyncIOScheduler
    worker: str = field(default_factory=lambda: f"p{os.getpid()}{uuid.uuid4().hex[:8]}")
    specs: dict[str, JobSpec] = field(default_factory=dict)
    paused_until: dict[str, datetime] = field(default_factory=dict)
    stopping: bool = False
    dispatching: asyncio.Lock = field(default_factory=asyncio.Lock)
    ticking: asyncio.Lock = field(default_factory=asyncio.Lock)
    after_tick: list[JobFunc] = field(default_factory=list)


def _services(application: Any) -> Any:
    return application.bot_data["services"]


def _ensure(application: Any) -> Scheduler:
    services = _services(application)
    sched: Scheduler | None = services.extras.get(EXTRA_KEY)
    if sched is None:
        aps = AsyncIOScheduler(timezone=services.settings.tz,
                               job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 60})
        sched = Scheduler(application, aps)
        services.extras[EXTRA_KEY] = sched
    return sched


def add_cron_job(application: Any, job_id: str, func: JobFunc, *, day_of_week: int | str | None = None,
                 day: int | str | None = None, hour: int, minute: int, period: str | None = None,
                 fresh: bool = False) -> None:
    """Add (or replace) a job running `func(application)` at the given time in settings.tz."""
    _ensure(application).specs[job_id] = JobSpec(
        job_id, func, hour, minute, int(day_of_week) if day_of_week is not None else None,
        int(day) if day is not None else None, period, fresh)


def after_each_tick(application: Any, func: JobFunc) -> None:
    """Run `func(application)` after every tick (e.g. reporting failed deliveries)."""
    _ensure(application).after_tick.append(func)


def _runs(db: Any) -> dict[str, datetime]:
    return dict(db.run(lambda s: list(s.execute(select(JobRunRow.job_id, JobRunRow.last_slot)).tuples())))


def record_run(db: Any, job_id: str, slot: datetime, now: datetime) -> None:
    """Store `slot` as the job's last completed run (never moving it back; safe with two processes)."""
    from reminders.outbox import _insert_ignore

    at, done = utcnow_naive(slot), utcnow_naive(now)

    def work(s: Any) -> None:
        table = JobRunRow.__table__
        if not _insert_ignore(s, table, [{"job_id": job_id, "last_slot": at, "done_at": done}],  # type: ignore[arg-type]
                              ["job_id"]):
            s.execute(update(JobRunRow).where(JobRunRow.job_id == job_id, JobRunRow.last_slot < at)
                      .values(last_slot=at, done_at=done))

    db.run(work)


async def tick(application: Any) -> list[str]:
    """Run every job whose latest slot has not been completed (once, whatever it missed); returns the ids run."""
    sched = _ensure(application)
    services = _services(application)
    ran: list[str] = []
    async with sched.ticking:
        now = services.clock().astimezone(services.settings.tz)
        runs = await asyncio.to_thread(_runs, services.db)
        installed = runs.get(INSTALLED)
        if installed is None:
            await asyncio.to_thread(record_run, services.db, INSTALLED, now, now)
            installed = utcnow_naive(now)
        for spec in list(sched.specs.values()):
            if sched.stopping:
                break
            slot = latest_slot(spec, now)
            if slot is None or sched.paused_until.get(spec.job_id, now) > now:
                continue
            last = runs.get(spec.job_id)
            if last is not None and last >= utcnow_naive(slot):
                continue
            if last is None and utcnow_naive(slot) < installed and not spec.fresh:
                continue  # before this bot's first start: not missed
            if still_current(spec, slot, now):
                try:
                    await spec.func(application)
                except Exception:  # a failing job must not stop the others; it is tried again later
                    log.exception("scheduled job %s (due %s) failed", spec.job_id, slot)
                    sched.paused_until[spec.job_id] = now + FAILED_JOB_PAUSE
                    continue
                ran.append(spec.job_id)
            else:
                log.info("job %s due %s is no longer current: skipped", spec.job_id, slot)
            await asyncio.to_thread(record_run, services.db, spec.job_id, slot, services.clock())
        for func in sched.after_tick:
            try:
                await func(application)
            except Exception:
                log.exception("after-tick work %s failed", getattr(func, "__name__", func))
    return ran


async def deliver_now(application: Any) -> DispatchStats:
    """Send every due outbox message with this process's claims (one dispatcher at a time per process)."""
    sched = _ensure(application)
    services = _services(application)
    async with sched.dispatching:
        if sched.stopping:
            return DispatchStats()
        stats = await dispatch(services.db, application.bot, services.clock, worker=sched.worker,
                               stopping=lambda: sched.stopping)
    if stats.claimed:
        log.info("outbox: %s", stats)
    return stats


async def _tick_job(application: Any) -> None:
    await tick(application)
    await deliver_now(application)


async def start_scheduler(application: Any) -> None:
    """Start the tick in the running event loop (idempotent); the first tick (the catch-up) follows in a second,
    once every feature's start-up hook has added its jobs."""
    sched = _ensure(application)
    if not sched.aps.running:
        first = datetime.now(_services(application).settings.tz) + timedelta(seconds=1)
        sched.aps.add_job(_tick_job, IntervalTrigger(seconds=TICK_SECONDS), args=[application], id="tick",
                          name="tick", next_run_time=first)
        sched.aps.start()
        log.info("scheduler started (%s), jobs: %s", sched.worker, ", ".join(sched.specs))


async def stop_scheduler(application: Any, grace: float = 5.0) -> None:
    """Stop ticking, let the message in flight finish (a few seconds at most), hand back unsent claims."""
    services = _services(application)
    sched: Scheduler | None = services.extras.pop(EXTRA_KEY, None)
    if sched is None:
        return
    sched.stopping = True
    if sched.aps.running:
        sched.aps.shutdown(wait=False)
    try:
        await asyncio.wait_for(sched.dispatching.acquire(), grace)
    except TimeoutError:
        log.warning("a send was still in flight at shutdown")
    released = await asyncio.to_thread(release, services.db, sched.worker)
    if released:
        log.info("handed back %d unsent outbox messages", released)

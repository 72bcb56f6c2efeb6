"""Each Application's scheduler: jobs with a stored last run, caught up after downtime or a pause, and the outbox's
dispatcher loop.

A job is `async def job(application) -> None`, added with `Scheduler.add_cron_job` (times in the settings' zone);
its `period` ("day", "week", "month") says how long a missed run stays worth running: a run missed in an earlier
period is skipped, not replayed.

Jobs are built from settings at every start-up and kept in memory (APScheduler runs one tick job; no job table
is created, so two processes cannot race to create one). Each job's last completed slot is stored in `job_runs`:
every tick (and at start-up) a job whose latest slot is later than its stored run runs once — a restart after
days of downtime runs each missed job once, with today's content. A slot before the first start of the bot is
not missed (a fresh install does not replay the past), except for jobs added with `fresh=True` (today's
reminders). Job functions must be idempotent: two processes may both run a slot (their messages go through the
outbox's idempotency keys and claims). After the jobs, each tick sends what is due in the outbox with this
process's claims; `stop` hands back the claims not yet sent.
"""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any, Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from indexer.plans import PlanAccess
from planbot.clock import Clock
from planbot.db import Database, insert_ignore
from planbot.settings import Settings
from reminders.dispatcher import DispatchStats, dispatch, release
from reminders.ports import CompletedTasks, PlanEnded, Settled
from reminders.store import JobRunRow, utcnow_naive

log = logging.getLogger(__name__)
TICK_SECONDS = 10  # how often due jobs are checked and the outbox is dispatched
FAILED_JOB_PAUSE = timedelta(minutes=1)  # a failing job is tried again after this, not every tick
INSTALLED = "_installed"  # job_runs row: when the bot first ran on this database
LOOKBACK_DAYS = 62

JobFunc = Callable[[Any], Awaitable[None]]


class JobServices(Protocol):
    """What scheduled jobs read from the running Application's services (bot.services.Services)."""

    @property
    def settings(self) -> Settings: ...
    @property
    def db(self) -> Database: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def plans(self) -> PlanAccess: ...
    @property
    def scheduler(self) -> Scheduler: ...
    @property
    def completed_tasks(self) -> CompletedTasks: ...
    @property
    def plan_ended(self) -> PlanEnded: ...


def services_of(application: Any) -> JobServices:
    """The services build_application stored in the Application."""
    return application.bot_data["services"]  # type: ignore[no-any-return]


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


def _runs(db: Database) -> dict[str, datetime]:
    return dict(db.run(lambda s: list(s.execute(select(JobRunRow.job_id, JobRunRow.last_slot)).tuples())))


def record_run(db: Database, job_id: str, slot: datetime, now: datetime) -> None:
    """Store `slot` as the job's last completed run (never moving it back; safe with two processes)."""
    at, done = utcnow_naive(slot), utcnow_naive(now)

    def work(s: Session) -> None:
        table = JobRunRow.__table__
        if not insert_ignore(s, table, [{"job_id": job_id, "last_slot": at, "done_at": done}],  # type: ignore[arg-type]
                             ["job_id"]):
            s.execute(update(JobRunRow).where(JobRunRow.job_id == job_id, JobRunRow.last_slot < at)
                      .values(last_slot=at, done_at=done))

    db.run(work)


class Scheduler:
    """The Application's jobs, its dispatcher identity (claims carry it) and what it is doing."""

    def __init__(self, db: Database, clock: Clock, tz: tzinfo, application: Any,
                 settled: Settled | None = None) -> None:
        self.db, self.clock, self.tz, self.application, self.settled = db, clock, tz, application, settled
        self.aps = AsyncIOScheduler(timezone=tz,
                                    job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 60})
        self.worker = f"p{os.getpid()}{uuid.uuid4().hex[:8]}"
        self.specs: dict[str, JobSpec] = {}
        self.paused_until: dict[str, datetime] = {}
        self.stopping = False
        self.dispatching = asyncio.Lock()
        self.ticking = asyncio.Lock()
        self.after_tick: list[JobFunc] = []

    def add_cron_job(self, job_id: str, func: JobFunc, *, day_of_week: int | None = None, day: int | None = None,
                     hour: int, minute: int, period: str | None = None, fresh: bool = False) -> None:
        """Add (or replace) a job running `func(application)` at the given time in the settings' zone."""
        self.specs[job_id] = JobSpec(job_id, func, hour, minute, day_of_week, day, period, fresh)

    def after_each_tick(self, func: JobFunc) -> None:
        """Run `func(application)` after every tick (e.g. reporting failed deliveries)."""
        self.after_tick.append(func)

    async def tick(self) -> list[str]:
        """Run every job whose latest slot has not been completed (once, whatever it missed); returns the ids run."""
        ran: list[str] = []
        async with self.ticking:
            now = self.clock().astimezone(self.tz)
            runs = await asyncio.to_thread(_runs, self.db)
            installed = runs.get(INSTALLED)
            if installed is None:
                await asyncio.to_thread(record_run, self.db, INSTALLED, now, now)
                installed = utcnow_naive(now)
            for spec in list(self.specs.values()):
                if self.stopping:
                    break
                slot = latest_slot(spec, now)
                if slot is None or self.paused_until.get(spec.job_id, now) > now:
                    continue
                last = runs.get(spec.job_id)
                if last is not None and last >= utcnow_naive(slot):
                    continue
                if last is None and utcnow_naive(slot) < installed and not spec.fresh:
                    continue  # before this bot's first start: not missed
                if still_current(spec, slot, now):
                    try:
                        await spec.func(self.application)
                    except Exception:  # a failing job must not stop the others; it is tried again later
                        log.exception("scheduled job %s (due %s) failed", spec.job_id, slot)
                        self.paused_until[spec.job_id] = now + FAILED_JOB_PAUSE
                        continue
                    ran.append(spec.job_id)
                else:
                    log.info("job %s due %s is no longer current: skipped", spec.job_id, slot)
                await asyncio.to_thread(record_run, self.db, spec.job_id, slot, self.clock())
            for func in self.after_tick:
                try:
                    await func(self.application)
                except Exception:
                    log.exception("after-tick work %s failed", getattr(func, "__name__", func))
        return ran

    async def deliver_now(self) -> DispatchStats:
        """Send every due outbox message with this process's claims (one dispatcher at a time per process)."""
        async with self.dispatching:
            if self.stopping:
                return DispatchStats()
            stats = await dispatch(self.db, self.application.bot, self.clock, worker=self.worker,
                                   stopping=lambda: self.stopping, settled=self.settled)
        if stats.claimed:
            log.info("outbox: %s", stats)
        return stats

    async def _tick_and_deliver(self) -> None:
        """One tick, then a delivery pass. Being cancelled at shutdown is no failure: the stored last runs and the
        outbox's idempotency keys let the next start catch up without sending anything twice."""
        try:
            await self.tick()
            await self.deliver_now()
        except asyncio.CancelledError:
            log.info("scheduler tick cancelled (shutting down); the next start catches up")

    def start(self) -> None:
        """Start ticking in the running event loop (idempotent); the first tick (the catch-up) follows in a second,
        once every feature's start-up hook has added its jobs."""
        if self.aps.running:
            return
        self.stopping = False
        first = datetime.now(self.tz) + timedelta(seconds=1)
        self.aps.add_job(self._tick_and_deliver, IntervalTrigger(seconds=TICK_SECONDS), id="tick", name="tick",
                         next_run_time=first, replace_existing=True)
        self.aps.start()
        log.info("scheduler started (%s), jobs: %s", self.worker, ", ".join(self.specs))

    async def stop(self, grace: float = 5.0) -> None:
        """Stop ticking, let the message in flight finish (a few seconds at most), hand back unsent claims."""
        if self.stopping:
            return
        self.stopping = True
        if self.aps.running:
            self.aps.shutdown(wait=False)
        try:
            await asyncio.wait_for(self.dispatching.acquire(), grace)
        except TimeoutError:
            log.warning("a send was still in flight at shutdown")
        else:
            self.dispatching.release()
        released = await asyncio.to_thread(release, self.db, self.worker)
        if released:
            log.info("handed back %d unsent outbox messages", released)

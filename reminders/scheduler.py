"""APScheduler inside the bot's event loop, with a persistent job store.

A job is a module-level `async def job(application) -> None`. Its row in the database (table `apscheduler_jobs`)
names the function only: an Application cannot be pickled. Each Application owns one Scheduler, whose executor
runs every job against that Application. When two bot processes share one database both may fire a job: job
functions must be idempotent (the reminder job is: the outbox has idempotency keys and claims).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Awaitable, Callable
from datetime import tzinfo
from functools import partial
from typing import Any, Protocol

from apscheduler.executors.asyncio import AsyncIOExecutor
from apscheduler.job import Job
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.engine import Engine

from indexer.plans import PlanAccess
from planbot.clock import Clock
from planbot.db import Database
from planbot.settings import Settings
from reminders.ports import CompletedTasks, PlanEnded

log = logging.getLogger(__name__)

# A job missed while the bot was down still runs if the bot is back within this many seconds
# (APScheduler's default of 1 s silently drops it); coalesce runs a backlog once, not N times.
MISFIRE_GRACE_SECONDS = 6 * 3600
JOB_TABLE = "apscheduler_jobs"

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
    def completed_tasks(self) -> CompletedTasks: ...
    @property
    def plan_ended(self) -> PlanEnded: ...


def services_of(application: Any) -> JobServices:
    """The services build_application stored in the Application."""
    return application.bot_data["services"]  # type: ignore[no-any-return]


def func_ref(func: JobFunc) -> str:
    """The importable 'module:name' of a module-level job function."""
    ref = f"{func.__module__}:{func.__qualname__}"
    if "<" in ref or "." in func.__qualname__:
        raise ValueError(f"job function must be module-level, got {ref}")
    return ref


def resolve(ref: str) -> JobFunc:
    """Import the job function named by `func_ref`."""
    module, _, name = ref.partition(":")
    func: JobFunc = getattr(importlib.import_module(module), name)
    return func


async def run_job(ref: str, application: Any) -> None:
    """What every job row names: run the job function `ref` against the Application (given by the executor)."""
    await resolve(ref)(application)


class _Bound:
    """A job as the executor runs it: `run_job` with this scheduler's Application filled in."""

    def __init__(self, job: Job, application: Any) -> None:
        self.job = job
        self.id, self.misfire_grace_time, self._jobstore_alias = job.id, job.misfire_grace_time, job._jobstore_alias
        self.func = partial(run_job, job.args[0], application=application)
        self.args: tuple[Any, ...] = ()
        self.kwargs: dict[str, Any] = {}

    def __str__(self) -> str:
        return str(self.job)


class _ApplicationExecutor(AsyncIOExecutor):  # type: ignore[misc]
    """Runs each job in the event loop against one Application; a failing job is logged, the scheduler goes on."""

    def __init__(self, application: Any) -> None:
        super().__init__()
        self._application = application

    def _do_submit_job(self, job: Job, run_times: list[Any]) -> None:
        super()._do_submit_job(_Bound(job, self._application), run_times)


class Scheduler:
    """The Application's persistent scheduler; jobs run `func(application)` at times in the settings' zone."""

    def __init__(self, engine: Engine, tz: tzinfo, application: Any) -> None:
        self.tz = tz
        self.aps = AsyncIOScheduler(
            jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=JOB_TABLE)},
            executors={"default": _ApplicationExecutor(application)},
            timezone=tz,
            job_defaults={"misfire_grace_time": MISFIRE_GRACE_SECONDS, "coalesce": True, "max_instances": 1},
        )

    def start(self) -> None:
        """Start in the running event loop (idempotent)."""
        if not self.aps.running:
            self.aps.start()
            log.info("scheduler started with %d persisted jobs", len(self.aps.get_jobs()))

    def add_cron_job(self, job_id: str, func: JobFunc, *, day_of_week: int | str | None = None,
                     day: int | str | None = None, hour: int, minute: int) -> None:
        """Add or replace a persisted cron job running `func(application)`."""
        trigger = CronTrigger(day_of_week=day_of_week, day=day, hour=hour, minute=minute, timezone=self.tz)
        self.aps.add_job(run_job, trigger, args=[func_ref(func)], kwargs={"application": None}, id=job_id,
                         name=job_id, replace_existing=True, misfire_grace_time=MISFIRE_GRACE_SECONDS,
                         coalesce=True, max_instances=1)

    def add_interval_job(self, job_id: str, func: JobFunc, *, seconds: int) -> None:
        """Add or replace a persisted job running `func(application)` every `seconds`."""
        self.aps.add_job(run_job, IntervalTrigger(seconds=seconds, timezone=self.tz), args=[func_ref(func)],
                         kwargs={"application": None}, id=job_id, name=job_id, replace_existing=True,
                         misfire_grace_time=seconds, coalesce=True, max_instances=1)

    def get_job(self, job_id: str) -> Job | None:
        """The persisted job of that id."""
        return self.aps.get_job(job_id)

    def get_jobs(self) -> list[Job]:
        """Every persisted job."""
        return list(self.aps.get_jobs())

    def stop(self) -> None:
        """Stop without waiting for running jobs; persisted jobs stay in the database."""
        if self.aps.running:
            self.aps.shutdown(wait=False)

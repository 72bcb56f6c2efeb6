"""APScheduler inside the bot's event loop, with a persistent job store. OWNER: reminders helper.

Contract used by supervision (weekly round) and the bot:
- async start_scheduler(application) -> None   called from reminders' startup hook; stores the scheduler in
  services.extras["scheduler"]
- add_cron_job(application, job_id, func, *, day_of_week=None, day=None, hour, minute) -> None
  `func` is a module-level `async def func(application) -> None`; replace_existing, explicit misfire_grace_time
  and coalesce; times in settings.tz. Safe to call after start_scheduler.
- async stop_scheduler(application) -> None

Jobs are persisted in the app database (table `apscheduler_jobs`). A persisted job cannot pickle the
Application, so it stores a text reference to `func` plus a digest of the database URL, and `_fire` looks the running
Application up in a per-process registry. When two bot processes share one database both may fire a job:
job functions must be idempotent (the reminder job is: the outbox has idempotency keys and claims).
"""

from __future__ import annotations

import hashlib
import importlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

log = logging.getLogger(__name__)

# A job missed while the bot was down still runs if the bot is back within this many seconds
# (APScheduler's default of 1 s silently drops it); coalesce runs a backlog once, not N times.
MISFIRE_GRACE_SECONDS = 6 * 3600
JOB_TABLE = "apscheduler_jobs"
EXTRA_KEY = "scheduler"

JobFunc = Callable[[Any], Awaitable[None]]
_APPLICATIONS: dict[str, Any] = {}


def _services(application: Any) -> Any:
    return application.bot_data["services"]


def _app_key(application: Any) -> str:
    # A digest of the database URL: identifies the app's database without storing its password in a job row.
    return hashlib.sha256(str(_services(application).db.url).encode()).hexdigest()[:16]


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


async def _fire(app_key: str, ref: str) -> None:
    """Run a persisted job against the running Application of that database."""
    application = _APPLICATIONS.get(app_key)
    if application is None:
        log.warning("job %s fired but no application is running for its database", ref)
        return
    try:
        await resolve(ref)(application)
    except Exception:  # a failing job must not kill the scheduler; it runs again next time
        log.exception("scheduled job %s failed", ref)


def _ensure(application: Any) -> AsyncIOScheduler:
    """The application's scheduler, created (not started) on first use."""
    services = _services(application)
    sched: AsyncIOScheduler | None = services.extras.get(EXTRA_KEY)
    if sched is None:
        store = SQLAlchemyJobStore(engine=services.db.engine, tablename=JOB_TABLE)
        sched = AsyncIOScheduler(
            jobstores={"default": store},
            timezone=services.settings.tz,
            job_defaults={"misfire_grace_time": MISFIRE_GRACE_SECONDS, "coalesce": True, "max_instances": 1},
        )
        services.extras[EXTRA_KEY] = sched
    _APPLICATIONS[_app_key(application)] = application
    return sched


async def start_scheduler(application: Any) -> None:
    """Start the scheduler in the running event loop (idempotent)."""
    sched = _ensure(application)
    if not sched.running:
        sched.start()
        log.info("scheduler started with %d persisted jobs", len(sched.get_jobs()))


def add_cron_job(application: Any, job_id: str, func: JobFunc, *, day_of_week: int | str | None = None,
                 day: int | str | None = None, hour: int, minute: int) -> None:
    """Add or replace a persisted cron job running `func(application)` at the given time in settings.tz."""
    sched = _ensure(application)
    trigger = CronTrigger(day_of_week=day_of_week, day=day, hour=hour, minute=minute,
                          timezone=_services(application).settings.tz)
    sched.add_job(_fire, trigger, args=[_app_key(application), func_ref(func)], id=job_id, name=job_id,
                  replace_existing=True, misfire_grace_time=MISFIRE_GRACE_SECONDS, coalesce=True, max_instances=1)


def add_interval_job(application: Any, job_id: str, func: JobFunc, *, seconds: int) -> None:
    """Add or replace a persisted job running `func(application)` every `seconds`."""
    sched = _ensure(application)
    sched.add_job(_fire, IntervalTrigger(seconds=seconds, timezone=_services(application).settings.tz),
                  args=[_app_key(application), func_ref(func)], id=job_id, name=job_id, replace_existing=True,
                  misfire_grace_time=seconds, coalesce=True, max_instances=1)


async def stop_scheduler(application: Any) -> None:
    """Stop the scheduler without waiting for running jobs; persisted jobs stay in the database."""
    services = _services(application)
    sched: AsyncIOScheduler | None = services.extras.pop(EXTRA_KEY, None)
    if sched is not None and sched.running:
        sched.shutdown(wait=False)
    if _APPLICATIONS.get(_app_key(application)) is application:
        del _APPLICATIONS[_app_key(application)]

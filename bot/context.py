"""What handlers reach through the Application: services, the current plan, the Q&A engine, the database."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from typing import Any, TypeVar

from telegram.ext import Application, ContextTypes

from bot.services import Services
from knowledge.model import Plan
from planbot.errors import PlanbotError

log = logging.getLogger(__name__)
T = TypeVar("T")

PLAN_CACHE = "bot.plan"  # services.extras keys owned by the bot
QA_ENGINE = "qa"  # a ready engine (tests may inject a fake one here)
QA_LOADING = "bot.qa_loading"
QA_STAMP = "bot.qa_stamp"  # the plan version the loaded engine answers from
STOPPING = "bot.stopping"  # set at shutdown: a load still running skips its optional warm-up
PLAN_LOADER = "plan_loader"  # optional () -> Plan replacing the ledger (tests, benchmarks)


def services_of(context: ContextTypes.DEFAULT_TYPE | Application) -> Services:  # type: ignore[type-arg]
    """The Services object that build_application stored."""
    return context.bot_data["services"]  # type: ignore[no-any-return]


def _plan_stamp(services: Services) -> tuple[str, int, str] | None:
    """Key, version and fingerprint of the newest stored plan (None when a test replaces the ledger)."""
    if services.extras.get(PLAN_LOADER) is not None:
        return None
    from indexer.ledger import select_plan

    record = select_plan(services.db, services.settings.plan_selector)
    return (record.key, record.version, record.sha256)


def _load_plan_sync(services: Services) -> Plan:
    """The newest plan, parsed once per stored version."""
    loader = services.extras.get(PLAN_LOADER)
    if loader is not None:
        return loader()  # type: ignore[no-any-return]
    from indexer.ledger import load_plan

    stamp = _plan_stamp(services)
    assert stamp is not None
    cached = services.extras.get(PLAN_CACHE)
    if cached is not None and cached[0] == stamp:
        return cached[1]  # type: ignore[no-any-return]
    plan = load_plan(services.db, stamp[0])
    services.extras[PLAN_CACHE] = (stamp, plan)
    return plan


async def current_plan(services: Services) -> Plan:
    """The newest plan of the ledger (PlanNotFound when none is indexed)."""
    return await asyncio.to_thread(_load_plan_sync, services)


WARM_UP_QUESTION = "方案的总体要求是什么？"  # any question: the first ask loads the tokenizer's dictionary


def _load_engine_sync(services: Services) -> Any:
    """Load the engine and pay its one-off costs (tokenizer dictionary, embedding model) before users ask."""
    from indexer.runtime import load_engine

    try:
        stamp = _plan_stamp(services)
    except PlanbotError:
        stamp = None  # no plan yet: load_engine below says so
    engine = load_engine(services.settings, services.db, services.settings.plan_selector)
    services.extras[QA_STAMP] = stamp
    try:
        engine.ask(WARM_UP_QUESTION, services.clock())
        dense = getattr(getattr(engine, "retriever", None), "dense", None)
        # Dense retrieval is lazy; opening it here keeps the model load off a user's question (not worth it
        # when the bot is stopping: the exit would wait seconds for it).
        if callable(dense) and not services.extras.get(STOPPING):
            dense(WARM_UP_QUESTION, 1)
    except Exception:
        log.warning("warming the Q&A engine failed; it will load on the first question", exc_info=True)
    return engine


def start_engine_loading(services: Services) -> None:
    """Begin loading the Q&A engine in a thread (once); questions await the same load."""
    if QA_ENGINE in services.extras or QA_LOADING in services.extras:
        return
    loading = asyncio.ensure_future(asyncio.to_thread(_load_engine_sync, services))
    loading.add_done_callback(_log_failure)
    services.extras[QA_LOADING] = loading


def _log_failure(loading: asyncio.Future[Any]) -> None:
    if not loading.cancelled() and loading.exception() is not None:
        log.warning("loading the Q&A engine failed: %s", loading.exception())


async def qa_engine(services: Services) -> Any:
    """The loaded Q&A engine, reloaded when `planbot index` stored a new plan; a failed load is retried."""
    if QA_ENGINE in services.extras:
        loaded_for = services.extras.get(QA_STAMP)
        if loaded_for is None or loaded_for == await asyncio.to_thread(_plan_stamp, services):
            return services.extras[QA_ENGINE]
        log.info("the ledger holds a new plan version: reloading the Q&A engine")
        services.extras.pop(QA_ENGINE)
        services.extras.pop(QA_STAMP, None)
    start_engine_loading(services)
    loading = services.extras[QA_LOADING]
    try:
        engine = await asyncio.shield(loading)
    except Exception:
        services.extras.pop(QA_LOADING, None)
        raise
    services.extras[QA_ENGINE] = engine
    services.extras.pop(QA_LOADING, None)
    return engine


def start_background(services: Services, key: str, work: Coroutine[Any, Any, None], failure: str) -> None:
    """Run start-up work beside the bot (a backlog must not delay answers); a failure is logged, never raised."""

    async def guarded() -> None:
        try:
            await work
        except Exception:
            log.exception(failure)

    services.extras[key] = asyncio.get_running_loop().create_task(guarded())


async def stop_background(services: Services, key: str) -> None:
    """Cancel the background work started under `key`, if it still runs (what it had not done stays recorded)."""
    task = services.extras.pop(key, None)
    if task is not None and not task.done():
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task

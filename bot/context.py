"""What handlers reach through the Application: services, the current plan, the Q&A engine, the database."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine, Mapping
from typing import Any

from telegram.ext import Application, ContextTypes

from bot.services import Answerer, Services, Teachable
from indexer import learning
from indexer.ledger import plan_key
from knowledge.model import Plan
from planbot.errors import PlanbotError

log = logging.getLogger(__name__)


def services_of(context: ContextTypes.DEFAULT_TYPE | Application) -> Services:  # type: ignore[type-arg]
    """The Services object that build_application stored."""
    return context.bot_data["services"]  # type: ignore[no-any-return]


async def current_plan(services: Services) -> Plan:
    """The plan the bot serves (PlanNotFound when none is indexed)."""
    return await services.plans.current()


WARM_UP_QUESTION = "方案的总体要求是什么？"  # any question: the first ask loads the tokenizer's dictionary


def _load_engine_sync(services: Services) -> Answerer:
    """Load the engine and pay its one-off costs (tokenizer dictionary, embedding model) before users ask."""
    # Imported here: the engine pulls in jieba, Chroma and the embedding model, which start-up need not wait for.
    from indexer.runtime import load_engine

    try:
        stamp = services.plans.stamp()
    except PlanbotError:
        stamp = None  # no plan yet: load_engine below says so
    engine = load_engine(services.settings, services.db, services.settings.plan_selector)
    services.qa.stamp = stamp
    try:
        engine.ask(WARM_UP_QUESTION, services.clock())
        dense = getattr(getattr(engine, "retriever", None), "dense", None)
        # Dense retrieval is lazy; opening it here keeps the model load off a user's question (not worth it
        # when the bot is stopping: the exit would wait seconds for it).
        if callable(dense) and not services.stopping:
            dense(WARM_UP_QUESTION, 1)
    except Exception:
        log.warning("warming the Q&A engine failed; it will load on the first question", exc_info=True)
    return engine


def start_engine_loading(services: Services) -> None:
    """Begin loading the Q&A engine in a thread (once); questions await the same load."""
    slot = services.qa
    if slot.engine is not None or slot.loading is not None:
        return
    slot.loading = asyncio.ensure_future(asyncio.to_thread(_load_engine_sync, services))
    slot.loading.add_done_callback(_log_failure)


def _log_failure(loading: asyncio.Future[Answerer]) -> None:
    if not loading.cancelled() and loading.exception() is not None:
        log.warning("loading the Q&A engine failed: %s", loading.exception())


async def qa_engine(services: Services) -> Answerer:
    """The loaded Q&A engine, reloaded when `planbot index` stored a new plan; a failed load is retried."""
    slot = services.qa
    engine = slot.engine
    if engine is not None and slot.stamp is not None and slot.stamp != await asyncio.to_thread(services.plans.stamp):
        log.info("the ledger holds a new plan version: reloading the Q&A engine")
        engine = slot.engine = slot.stamp = None
    if engine is None:
        start_engine_loading(services)
        assert slot.loading is not None
        try:
            engine = await asyncio.shield(slot.loading)
        finally:
            slot.loading = None
        slot.engine = engine
    if slot.taught is not engine:  # a new engine (or one handed in) learns what the office stored
        try:
            await teach(services, engine)
            slot.taught = engine
        except Exception:  # answering matters more: the next question tries again
            log.warning("applying the stored aliases and mappings failed", exc_info=True)
    return engine


async def teach(services: Services, engine: Answerer, aliases: Mapping[str, str] | None = None,
                mappings: Mapping[str, int] | None = None) -> None:
    """Apply the given aliases and mappings to `engine`, or (when none are given) everything stored for its plan."""
    if not isinstance(engine, Teachable):
        return
    if aliases is None and mappings is None:
        key = plan_key(await current_plan(services))
        aliases, mappings = await services.db.arun(lambda s: (learning.aliases(s), learning.mappings(s, key)))
    engine.learn(aliases or {}, mappings or {})


def start_background(services: Services, name: str, work: Coroutine[Any, Any, None], failure: str) -> None:
    """Run start-up work beside the bot (a backlog must not delay answers); a failure is logged, never raised."""

    async def guarded() -> None:
        try:
            await work
        except Exception:
            log.exception(failure)

    services.background[name] = asyncio.get_running_loop().create_task(guarded())


async def stop_background(services: Services, name: str) -> None:
    """Cancel the background work started under `name`, if it still runs (what it had not done stays recorded)."""
    task = services.background.pop(name, None)
    if task is not None and not task.done():
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task

"""What handlers and jobs need, built once per Application and kept in `application.bot_data["services"]`."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from indexer.plans import PlanAccess
from planbot.clock import Clock
from planbot.db import Database
from planbot.settings import Settings
from reminders.ports import CompletedTasks, PlanEnded
from reminders.scheduler import Scheduler
from supervision.service import RoundLink


class Answerer(Protocol):
    """The Q&A engine as the bot uses it (knowledge.qa.engine.QAEngine, or a fake in tests)."""

    def ask(self, question: str, now: datetime) -> Any:
        """An answer with `.text`, `.tasks`, `.refused`, `.low_confidence` and `.pointer` (best task, if any)."""


@runtime_checkable
class Teachable(Protocol):
    """An engine the office can teach (QAEngine): stored aliases and question → task mappings, applied at once."""

    def learn(self, aliases: Mapping[str, str], mappings: Mapping[str, int]) -> None:
        """Apply aliases (俗称 → 方案用语) and mappings (question → task number)."""


@dataclass
class EngineSlot:
    """The Q&A engine: loaded, loading, or not yet asked for; and the plan version it answers from."""

    engine: Answerer | None = None
    loading: asyncio.Future[Answerer] | None = None
    stamp: tuple[str, int, str] | None = None
    taught: Answerer | None = None  # the engine the stored aliases and mappings were last applied to
    preload: bool = True  # start loading it when the bot starts (tests and benchmarks turn this off)


@dataclass
class Services:
    """Settings, database, clock, the current plan, the Q&A engine, the scheduler and start-up background work."""

    settings: Settings
    db: Database
    clock: Clock
    plans: PlanAccess
    scheduler: Scheduler
    completed_tasks: CompletedTasks  # what the status round says is done (complete tasks, lead units done)
    plan_ended: PlanEnded  # tells the admins once that the plan ended (the status round's admin messages)
    qa: EngineSlot = field(default_factory=EngineSlot)
    round_link: RoundLink | None = None  # a unit's web fill-in link for its round message (the desk is on)
    background: dict[str, asyncio.Task[None]] = field(default_factory=dict)  # by name, cancelled at shutdown
    stopping: bool = False  # set at shutdown: a Q&A load still running skips its optional warm-up

"""What the reminders feature needs from other features, handed in by the composition root (planbot.cli, bot.app)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, NamedTuple

from sqlalchemy.orm import Session

from knowledge.model import Plan
from planbot.settings import Settings


class Completion(NamedTuple):
    """What the status round says is done: complete tasks, and (task, lead unit) pairs whose unit is done."""

    tasks: set[int]
    pairs: set[tuple[int, str]]


# (session, plan, settings) -> what is done (supervision.service.done_work); reminders skip it.
CompletedTasks = Callable[[Session, Plan, Settings], Completion]
# (application, plan) -> None: tell the admins once that the plan ended (supervision.jobs.tell_plan_ended).
PlanEnded = Callable[[Any, Plan], Awaitable[None]]
# (session, outbox row) -> None: the feature that queued a message records how it settled — sent, undelivered,
# expired or uncertain (supervision.store.delivered records a round request's delivery).
Settled = Callable[[Session, Any], None]

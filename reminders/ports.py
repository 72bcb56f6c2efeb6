"""What the reminders feature needs from other features, handed in by the composition root (planbot.cli, bot.app)."""

from __future__ import annotations

from collections.abc import Callable, Collection

from sqlalchemy.orm import Session

CompletedTasks = Callable[[Session, str], Collection[int]]  # (session, plan key) -> tasks reported 已完成

"""What handlers need, built once per Application and kept in `application.bot_data["services"]`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from planbot.clock import Clock
from planbot.db import Database
from planbot.settings import Settings


@dataclass
class Services:
    """Settings, database, clock and lazily built heavier parts (Q&A engine, scheduler)."""

    settings: Settings
    db: Database
    clock: Clock
    extras: dict[str, Any] = field(default_factory=dict)  # feature-owned objects, keyed by feature name

"""Status-round tables (rounds, replies) and their migrations."""

from __future__ import annotations

from planbot.db import Migration

MIGRATIONS: list[Migration] = []

"""Reminder tables (outbox) and their migrations."""

from __future__ import annotations

from planbot.db import Migration

MIGRATIONS: list[Migration] = []

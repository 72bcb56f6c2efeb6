"""Round records detached from the database (requests, replies) and the latest reply per (task, unit) (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from supervision.rounds import REOPENED

KIND_REQUEST = "request"  # the weekly round message
KIND_CHASE = "chase"  # the non-responder reminder


@dataclass(frozen=True)
class Reply:
    """A reply detached from its session."""

    id: int
    plan_key: str
    round_key: str
    task: int
    unit: str
    role: str
    status: str
    note: str
    reason: str
    telegram_id: int
    reporter: str
    at: datetime


@dataclass(frozen=True)
class Request:
    """A round message detached from its session."""

    id: int
    round_key: str
    kind: str
    unit: str
    telegram_id: int
    tasks: tuple[int, ...]
    sent_at: datetime | None
    created_at: datetime


def latest_by_unit(rows: list[Reply]) -> dict[tuple[int, str], Reply]:
    """The reply that counts for each (task, unit): the last one; reopen markers excluded."""
    out: dict[tuple[int, str], Reply] = {}
    for r in rows:
        if r.status != REOPENED:
            out[(r.task, r.unit)] = r
    return out


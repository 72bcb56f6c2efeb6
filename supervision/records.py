"""Round records detached from the database (requests, replies) and what is read from them (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from supervision.rounds import DONE, REOPENED, ROLE_LEAD

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


def done_from(rows: list[Reply]) -> set[int]:
    """Tasks done according to these replies (oldest first): see supervision.store's docstring."""
    since_reopen: dict[int, dict[str, str]] = {}
    for r in rows:
        if r.status == REOPENED:
            since_reopen[r.task] = {}
        elif r.role == ROLE_LEAD or r.role == "admin":
            since_reopen.setdefault(r.task, {})[r.unit] = r.status
    return {task for task, last in since_reopen.items() if last and all(v == DONE for v in last.values())}

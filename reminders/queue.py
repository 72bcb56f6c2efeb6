"""Queue any scheduled or many-recipient message into the one outbox, and report what never arrived.

A queued message carries its content (HTML text, inline keyboard as JSON, or a document), an idempotency key
(queueing it again, from a restart or a second process, adds nothing), and the time after which it is no
longer worth sending. The dispatcher (reminders.dispatcher) sends it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from planbot.render import Html, join_lines
from reminders import texts as msg
from reminders.outbox import FAILED, _insert_ignore, advice
from reminders.store import DIGEST, NOTICE, PENDING, ReminderMessageRow, utcnow_naive

Keyboard = Sequence[Sequence[tuple[str, str]]]  # rows of (label, callback data)
REPORT_KEY = "delivery-report"


@dataclass(frozen=True)
class Outgoing:
    """One message to queue."""

    key: str  # idempotency key, unique over every queued message
    kind: str  # reminders.store kinds: round, chase, round_digest, monthly, notice
    chat_id: int
    text: str
    keyboard: Keyboard | None = None
    document: bytes | None = None
    filename: str | None = None
    ref_id: int | None = None  # what the feature wants back when it is settled (a round request's id)


def _purpose(key: str) -> str:
    # Fits the old (day, chat_id, purpose) unique constraint: one purpose per key.
    return "k:" + hashlib.sha1(key.encode()).hexdigest()[:17]


def queue(s: Session, items: Sequence[Outgoing], now: datetime, expires: datetime | None,
          day: date | None = None) -> int:
    """Write messages to the outbox (those already there are left alone); returns how many were new."""
    created = utcnow_naive(now)
    until = utcnow_naive(expires) if expires is not None else None
    rows: list[dict[str, Any]] = [
        {"day": day or now.date(), "chat_id": o.chat_id, "purpose": _purpose(o.key), "status": PENDING,
         "next_attempt_at": created, "attempts": 0, "error": "", "created_at": created, "msg_key": o.key,
         "kind": o.kind, "text": o.text, "markup": json.dumps([list(map(list, r)) for r in o.keyboard],
                                                              ensure_ascii=False) if o.keyboard else None,
         "document": o.document, "filename": o.filename, "expires_at": until, "maybe_sent": 0, "error_kind": "",
         "ref_id": o.ref_id} for o in items]
    return _insert_ignore(s, ReminderMessageRow.__table__, rows, ["msg_key"])  # type: ignore[arg-type]


def states(s: Session, keys: Sequence[str]) -> dict[str, str]:
    """The state of queued messages by key."""
    M = ReminderMessageRow
    return {str(k): st for k, st in s.execute(select(M.msg_key, M.status).where(M.msg_key.in_(list(keys))))}


def take_failures(s: Session, now: datetime) -> list[ReminderMessageRow]:
    """Failed messages not yet reported, marked reported (atomically: two processes never report one twice)."""
    M = ReminderMessageRow
    ids = list(s.scalars(update(M).where(M.status.in_(FAILED), M.reported_at.is_(None),
                                         M.purpose != DIGEST, M.kind.is_distinct_from(NOTICE))
                         .values(reported_at=utcnow_naive(now)).returning(M.id)
                         .execution_options(synchronize_session=False)))
    return list(s.scalars(select(M).where(M.id.in_(ids)).order_by(M.id))) if ids else []


def failure_report(rows: Sequence[ReminderMessageRow]) -> Html:
    """One HTML notice for the admins: each failed message, its real cause and what to do."""
    lines = [msg.DELIVERY_REPORT_HEADER.render(count=len(rows))]
    for row in rows:
        kind = row.kind or row.purpose
        lines.append(msg.DELIVERY_REPORT_LINE.render(
            kind=msg.DELIVERY_KINDS.get(kind, kind), chat_id=row.chat_id,
            status=msg.DELIVERY_STATUS.get(row.status, row.status), error=row.error[:160] or "-",
            advice=advice(row)))
    return join_lines(lines)


def queue_failure_report(s: Session, admins: Sequence[int], now: datetime, expires: datetime | None) -> int:
    """Queue one report of newly failed messages to every admin; returns how many failures it covers."""
    rows = take_failures(s, now)
    if not rows:
        return 0
    text = failure_report(rows)
    stamp = f"{rows[0].id}-{rows[-1].id}"
    queue(s, [Outgoing(f"{REPORT_KEY}:{stamp}:{admin}", NOTICE, admin, text) for admin in sorted(set(admins))],
          now, expires)
    return len(rows)

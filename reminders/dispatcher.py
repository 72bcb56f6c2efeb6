"""The dispatcher: claims due outbox messages, sends them through the bot and marks them.

Claiming is one atomic UPDATE (PostgreSQL: its sub-select takes FOR UPDATE SKIP LOCKED, so two bot
processes never claim the same row) that stamps a claim token and a lease; a dispatcher that dies
leaves its rows to be reclaimed when the lease expires. Each message is marked (with Telegram's
message id) right after its own send, so a crash loses nothing and resends at most the one message
that was in flight. RetryAfter and network errors reschedule; a blocked bot or a missing chat is
permanent and marks the message undelivered for the admin digest.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from planbot.db import Database
from planbot.people import names_of
from reminders.outbox import digest_text, message_lines, render_reminder
from reminders.store import DIGEST, PENDING, SENT, UNDELIVERED, ReminderMessageRow, utcnow_naive

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 8
BATCH = 50


@dataclass
class DispatchStats:
    """What one dispatch run did."""

    claimed: int = 0
    sent: int = 0
    retry: int = 0
    undelivered: int = 0


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(3600, 30 * 2 ** max(0, attempts - 1)))


def claim(db: Database, now: datetime, token: str, limit: int = BATCH, lease: timedelta = LEASE) -> list[int]:
    """Atomically claim up to `limit` due messages for `token`; returns their ids."""
    at = utcnow_naive(now)
    M = ReminderMessageRow

    def work(s: Any) -> list[int]:
        due = (select(M.id).where(M.status == PENDING, M.next_attempt_at <= at,
                                  or_(M.claimed_until.is_(None), M.claimed_until < at))
               .order_by(M.id).limit(limit))
        if s.get_bind().dialect.name == "postgresql":
            due = due.with_for_update(skip_locked=True)
        s.execute(update(M).where(M.id.in_(due.scalar_subquery())).values(
            claim_token=token, claimed_until=at + lease, attempts=M.attempts + 1)
            .execution_options(synchronize_session=False))
        return list(s.scalars(select(M.id).where(M.claim_token == token, M.status == PENDING).order_by(M.id)))

    return db.run(work)


def _finish(db: Database, message_id: int, token: str, **values: Any) -> bool:
    """Update a message still held by `token` (False if the lease was lost to another dispatcher)."""
    M = ReminderMessageRow
    values.setdefault("claim_token", None)
    values.setdefault("claimed_until", None)

    def work(s: Any) -> bool:
        result = s.execute(update(M).where(M.id == message_id, M.claim_token == token).values(**values)
                           .execution_options(synchronize_session=False))
        return bool(result.rowcount)

    return db.run(work)


def _content(db: Database, message_id: int) -> tuple[int, str, InlineKeyboardMarkup | None, int]:
    """Chat, text, keyboard and attempts of a claimed message."""

    def work(s: Any) -> tuple[int, str, InlineKeyboardMarkup | None, int]:
        row = s.get(ReminderMessageRow, message_id)
        if row.purpose == DIGEST:
            return row.chat_id, digest_text(s, row.day), None, row.attempts
        # A private chat's id is its user's id: the user's own names are not repeated to them.
        text, buttons = render_reminder(row.day, message_lines(s, row.id), own=names_of(s, row.chat_id))
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data) for label, data in r]
                                       for r in buttons]) if buttons else None
        return row.chat_id, text, markup, row.attempts

    return db.run(work)


def _seconds(value: Any) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def dispatch(db: Database, bot: Any, clock: Callable[[], datetime], *, limit: int = BATCH,
                   lease: timedelta = LEASE, worker: str | None = None, max_batches: int = 1000) -> DispatchStats:
    """Send every due outbox message (batch by batch) and mark each one; returns counts."""
    stats = DispatchStats()
    for _ in range(max_batches):
        token = f"{worker or 'w'}-{uuid.uuid4().hex[:16]}"
        ids = await asyncio.to_thread(claim, db, clock(), token, limit, lease)
        if not ids:
            break
        stats.claimed += len(ids)
        for index, message_id in enumerate(ids):
            outcome, flood_wait = await _send_one(db, bot, clock, message_id, token)
            setattr(stats, outcome, getattr(stats, outcome) + 1)
            if flood_wait is not None:
                # Telegram asked us to slow down: hand the rest of the batch back for later.
                await asyncio.to_thread(_release, db, ids[index + 1:], token, clock() + flood_wait)
                return stats
    return stats


def _release(db: Database, ids: list[int], token: str, when: datetime) -> None:
    for message_id in ids:
        _finish(db, message_id, token, next_attempt_at=utcnow_naive(when),
                attempts=ReminderMessageRow.attempts - 1)


async def _send_one(db: Database, bot: Any, clock: Callable[[], datetime], message_id: int,
                    token: str) -> tuple[str, timedelta | None]:
    """Send one claimed message; returns 'sent', 'retry' or 'undelivered', and a flood-control wait."""
    # Database work runs in a thread: a locked SQLite file must not freeze the bot's event loop.
    chat_id, text, markup, attempts = await asyncio.to_thread(_content, db, message_id)
    try:
        sent = await bot.send_message(chat_id=chat_id, text=text, parse_mode=ParseMode.HTML, reply_markup=markup)
    except RetryAfter as err:
        wait = timedelta(seconds=_seconds(err.retry_after) + 1)
        log.warning("reminder %s: flood control, retry in %s", message_id, wait)
        await asyncio.to_thread(_finish, db, message_id, token, next_attempt_at=utcnow_naive(clock() + wait),
                                error=str(err), attempts=ReminderMessageRow.attempts - 1)  # not the user's fault
        return "retry", wait
    except Forbidden as err:  # bot blocked by the user, or the user never started it
        log.warning("reminder %s to %s undeliverable: %s", message_id, chat_id, err)
        await asyncio.to_thread(_finish, db, message_id, token, status=UNDELIVERED, error=str(err))
        return "undelivered", None
    except BadRequest as err:  # chat not found, malformed text: retrying will not help
        log.error("reminder %s to %s rejected: %s", message_id, chat_id, err)
        await asyncio.to_thread(_finish, db, message_id, token, status=UNDELIVERED, error=str(err))
        return "undelivered", None
    except NetworkError as err:  # includes TimedOut; the row stays pending and is retried later
        if attempts >= MAX_ATTEMPTS:
            await asyncio.to_thread(_finish, db, message_id, token, status=UNDELIVERED, error=str(err))
            return "undelivered", None
        retry_at = utcnow_naive(clock() + _backoff(attempts))
        await asyncio.to_thread(_finish, db, message_id, token, next_attempt_at=retry_at, error=str(err))
        return "retry", None
    if not await asyncio.to_thread(_finish, db, message_id, token, status=SENT, telegram_message_id=sent.message_id,
                   sent_at=utcnow_naive(clock()), error=""):
        log.warning("reminder %s was sent after its lease expired", message_id)
    return "sent", None

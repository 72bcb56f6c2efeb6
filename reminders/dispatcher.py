"""The dispatcher: claims due outbox messages, sends them through the bot and marks them.

Claiming is one atomic UPDATE (PostgreSQL: its sub-select takes FOR UPDATE SKIP LOCKED; SQLite: the file's
single writer makes the UPDATE atomic) that stamps a claim token and a short lease, renewed before each send;
a dispatcher that dies leaves its rows to be reclaimed when the lease expires (under a minute), and one that
is stopped hands them back at once. Each message is marked (with Telegram's message id) right after its own
send, so a crash resends at most the one message that was in flight.

What a failure means decides what happens next:
- transient (refused, 5xx, 429, a connect timeout): retried with capped backoff while the message is current
  (`expires_at`: a reminder's day, a round's week), then marked expired and reported to the admins;
- ambiguous (the connection dropped or timed out after the request was written; it may have arrived): retried
  once after a delay, never a third time (at most one extra copy), then marked uncertain and reported;
- permanent (403 blocked, 400 chat not found or a refused text): not retried, reported once.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import or_, select, update
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from planbot.db import Database
from planbot.people import names_of
from reminders.outbox import digest_text, message_lines, render_reminder
from reminders.ports import Settled
from reminders.store import (
    DIGEST,
    ERR_AMBIGUOUS,
    ERR_BLOCKED,
    ERR_NO_CHAT,
    ERR_REJECTED,
    ERR_TRANSIENT,
    EXPIRED,
    PENDING,
    SENT,
    UNCERTAIN,
    UNDELIVERED,
    ReminderMessageRow,
    utcnow_naive,
)

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=45)  # a killed process's claims are free again within a minute
BATCH = 20
FIRST_BACKOFF = timedelta(seconds=15)
MAX_BACKOFF = timedelta(minutes=4)  # after an outage, everything goes out within minutes of recovery
UNCERTAIN_DELAY = timedelta(minutes=2)  # before the one retry of a send that may have arrived
# Connection failures that prove the request never reached the server: safe to send again.
_NOT_WRITTEN = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


@dataclass
class DispatchStats:
    """What one dispatch run did."""

    claimed: int = 0
    sent: int = 0
    retry: int = 0
    undelivered: int = 0


@dataclass(frozen=True)
class Failure:
    """How a failed send is handled: its kind, and how long Telegram asked us to wait (429)."""

    kind: str
    wait: timedelta | None = None


def classify(err: TelegramError) -> Failure:
    """Transient, ambiguous or permanent (blocked, no chat, rejected) — see the module docstring."""
    if isinstance(err, RetryAfter):
        seconds = err.retry_after.total_seconds() if isinstance(err.retry_after, timedelta) else err.retry_after
        return Failure(ERR_TRANSIENT, timedelta(seconds=float(seconds) + 1))
    if isinstance(err, Forbidden):
        return Failure(ERR_BLOCKED)
    if isinstance(err, BadRequest):
        return Failure(ERR_NO_CHAT if "chat not found" in str(err).lower() else ERR_REJECTED)
    if isinstance(err, TimedOut | NetworkError):
        cause = err.__cause__
        if cause is None or isinstance(cause, _NOT_WRITTEN):
            return Failure(ERR_TRANSIENT)  # an HTTP error answer (5xx), or nothing was written
        return Failure(ERR_AMBIGUOUS)
    return Failure(ERR_TRANSIENT)  # InvalidToken (401/404 from a proxy) and the like: retry while current


def backoff(attempts: int) -> timedelta:
    """Wait before the next try of a transient failure: 15 s doubling, at most MAX_BACKOFF."""
    return min(MAX_BACKOFF, FIRST_BACKOFF * 2 ** max(0, attempts - 1))


def claim(db: Database, now: datetime, token: str, limit: int = BATCH, lease: timedelta = LEASE) -> list[int]:
    """Atomically claim up to `limit` due messages for `token`; returns their ids."""
    at = utcnow_naive(now)
    M = ReminderMessageRow

    def work(s: Any) -> list[int]:
        due = (select(M.id).where(M.status == PENDING, M.next_attempt_at <= at,
                                  or_(M.claimed_until.is_(None), M.claimed_until < at))
               .order_by(M.next_attempt_at, M.id).limit(limit))
        if s.get_bind().dialect.name == "postgresql":
            due = due.with_for_update(skip_locked=True)
        s.execute(update(M).where(M.id.in_(due.scalar_subquery())).values(
            claim_token=token, claimed_until=at + lease, attempts=M.attempts + 1)
            .execution_options(synchronize_session=False))
        return list(s.scalars(select(M.id).where(M.claim_token == token, M.status == PENDING).order_by(M.id)))

    return db.run(work)


def renew(db: Database, token: str, now: datetime, lease: timedelta = LEASE) -> None:
    """Extend the lease of every message still held by `token` (called before each send)."""
    M = ReminderMessageRow
    db.run(lambda s: s.execute(update(M).where(M.claim_token == token, M.status == PENDING)
                               .values(claimed_until=utcnow_naive(now) + lease)
                               .execution_options(synchronize_session=False)))


def release(db: Database, worker: str) -> int:
    """Hand back every unsent message claimed by this process (stopping): others may send them at once."""
    M = ReminderMessageRow

    def work(s: Any) -> int:
        result = s.execute(update(M).where(M.claim_token.like(f"{worker}-%"), M.status == PENDING)
                           .values(claim_token=None, claimed_until=None, attempts=M.attempts - 1)
                           .execution_options(synchronize_session=False))
        return int(result.rowcount or 0)

    return db.run(work)


def _finish(db: Database, message_id: int, token: str, settled: Settled | None = None, **values: Any) -> bool:
    """Update a message still held by `token` (False if the lease was lost to another dispatcher); a message
    another feature queued (a round request) is handed to `settled` once it is sent or given up."""
    M = ReminderMessageRow
    values.setdefault("claim_token", None)
    values.setdefault("claimed_until", None)

    def work(s: Any) -> bool:
        result = s.execute(update(M).where(M.id == message_id, M.claim_token == token).values(**values)
                           .execution_options(synchronize_session=False))
        if result.rowcount and settled is not None and values.get("status") in {SENT, UNDELIVERED, UNCERTAIN, EXPIRED}:
            row = s.get(M, message_id)
            if row.ref_id is not None and row.kind is not None:
                settled(s, row)
        return bool(result.rowcount)

    return db.run(work)


@dataclass(frozen=True)
class Content:
    """What to send for one claimed message."""

    chat_id: int
    text: str
    markup: InlineKeyboardMarkup | None
    document: bytes | None
    filename: str | None
    attempts: int
    maybe_sent: int
    expires_at: datetime | None


def markup_of(rows: list[list[tuple[str, str]]] | None) -> InlineKeyboardMarkup | None:
    """An inline keyboard from rows of (label, callback data)."""
    if not rows:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data) for label, data in row]
                                 for row in rows])


def _content(db: Database, message_id: int) -> Content:
    """Chat, text, keyboard and bookkeeping of a claimed message."""

    def work(s: Any) -> Content:
        row = s.get(ReminderMessageRow, message_id)
        markup: InlineKeyboardMarkup | None = None
        if row.kind is not None:
            text = row.text or ""
            markup = markup_of(json.loads(row.markup)) if row.markup else None
        elif row.purpose == DIGEST:
            text = digest_text(s, row.day)
        else:
            # A private chat's id is its user's id: the user's own names are not repeated to them.
            text, buttons = render_reminder(row.day, message_lines(s, row.id), own=names_of(s, row.chat_id))
            markup = markup_of(buttons)
        return Content(row.chat_id, text, markup, row.document, row.filename, row.attempts, row.maybe_sent,
                       row.expires_at)

    return db.run(work)


async def dispatch(db: Database, bot: Any, clock: Callable[[], datetime], *, limit: int = BATCH,
                   lease: timedelta = LEASE, worker: str | None = None, max_batches: int = 1000,
                   stopping: Callable[[], bool] = lambda: False, settled: Settled | None = None) -> DispatchStats:
    """Send every due outbox message (batch by batch) and mark each one; returns counts. `settled` hears of
    each message another feature queued once it is sent or given up (reminders.ports.Settled)."""
    stats = DispatchStats()
    for _ in range(max_batches):
        if stopping():
            break
        token = f"{worker or 'w'}-{uuid.uuid4().hex[:16]}"
        ids = await asyncio.to_thread(claim, db, clock(), token, limit, lease)
        if not ids:
            break
        stats.claimed += len(ids)
        for index, message_id in enumerate(ids):
            if stopping():
                await asyncio.to_thread(_release_ids, db, ids[index:], token, clock())
                return stats
            await asyncio.to_thread(renew, db, token, clock(), lease)
            outcome, flood_wait = await _send_one(db, bot, clock, message_id, token, settled)
            setattr(stats, outcome, getattr(stats, outcome) + 1)
            if flood_wait is not None:
                # Telegram asked us to slow down: hand the rest of the batch back for later.
                await asyncio.to_thread(_release_ids, db, ids[index + 1:], token, clock() + flood_wait)
                return stats
    return stats


def _release_ids(db: Database, ids: list[int], token: str, when: datetime) -> None:
    for message_id in ids:
        _finish(db, message_id, token, next_attempt_at=utcnow_naive(when),
                attempts=ReminderMessageRow.attempts - 1)


async def _send(bot: Any, content: Content) -> Any:
    if content.document is not None:
        return await bot.send_document(chat_id=content.chat_id, document=content.document,
                                       filename=content.filename, caption=content.text or None,
                                       parse_mode=ParseMode.HTML, reply_markup=content.markup)
    return await bot.send_message(chat_id=content.chat_id, text=content.text, parse_mode=ParseMode.HTML,
                                  reply_markup=content.markup)


async def _send_one(db: Database, bot: Any, clock: Callable[[], datetime], message_id: int,
                    token: str, settled: Settled | None) -> tuple[str, timedelta | None]:
    """Send one claimed message; returns 'sent', 'retry' or 'undelivered', and a flood-control wait."""
    # Database work runs in a thread: a locked SQLite file must not freeze the bot's event loop.
    content = await asyncio.to_thread(_content, db, message_id)
    now = clock()
    if content.expires_at is not None and utcnow_naive(now) >= content.expires_at:
        await asyncio.to_thread(_finish, db, message_id, token, settled, status=EXPIRED)
        return "undelivered", None
    try:
        sent = await _send(bot, content)
    except TelegramError as err:
        return await _failed(db, clock, message_id, token, settled, content, err)
    if not await asyncio.to_thread(_finish, db, message_id, token, settled, status=SENT,
                                   telegram_message_id=sent.message_id, sent_at=utcnow_naive(clock()), error=""):
        log.warning("outbox message %s was sent after its lease expired", message_id)
    return "sent", None


async def _failed(db: Database, clock: Callable[[], datetime], message_id: int, token: str,
                  settled: Settled | None, content: Content, err: TelegramError) -> tuple[str, timedelta | None]:
    """Record a failed send as the failure's kind says (retry later, retry once, or give up and report)."""
    failure = classify(err)
    error = f"{type(err).__name__}: {err}"[:500]
    now = clock()
    if failure.kind in {ERR_BLOCKED, ERR_NO_CHAT, ERR_REJECTED}:
        log.warning("outbox message %s to %s undeliverable (%s): %s", message_id, content.chat_id, failure.kind, err)
        await asyncio.to_thread(_finish, db, message_id, token, settled, status=UNDELIVERED, error=error,
                                error_kind=failure.kind)
        return "undelivered", None
    maybe_sent = content.maybe_sent + (failure.kind == ERR_AMBIGUOUS)
    if maybe_sent >= 2:
        # Two sends may both have arrived: a third could be a third copy.
        log.warning("outbox message %s to %s: delivery uncertain after two tries: %s", message_id, content.chat_id,
                    err)
        await asyncio.to_thread(_finish, db, message_id, token, settled, status=UNCERTAIN, error=error,
                                error_kind=ERR_AMBIGUOUS, maybe_sent=maybe_sent)
        return "undelivered", None
    if failure.wait is not None:
        wait = failure.wait
        attempts: Any = ReminderMessageRow.attempts - 1  # flood control is not the message's fault
    elif failure.kind == ERR_AMBIGUOUS:
        wait, attempts = UNCERTAIN_DELAY, ReminderMessageRow.attempts
    else:
        wait, attempts = backoff(content.attempts), ReminderMessageRow.attempts
    retry_at = now + wait
    if content.expires_at is not None and utcnow_naive(retry_at) >= content.expires_at:
        log.warning("outbox message %s to %s no longer current; last error: %s", message_id, content.chat_id, err)
        await asyncio.to_thread(_finish, db, message_id, token, settled, status=EXPIRED, error=error,
                                error_kind=failure.kind, maybe_sent=maybe_sent)
        return "undelivered", None
    log.warning("outbox message %s to %s failed (%s), retry at %s: %s", message_id, content.chat_id, failure.kind,
                retry_at.strftime("%H:%M:%S"), err)
    await asyncio.to_thread(_finish, db, message_id, token, settled, next_attempt_at=utcnow_naive(retry_at),
                            error=error, error_kind=failure.kind, maybe_sent=maybe_sent, attempts=attempts)
    return "retry", failure.wait


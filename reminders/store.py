"""Reminder tables (outbox items and messages, invites, directory groups) for the ORM (planbot/migrations/ makes them).

An item is one logical reminder with the idempotency key (plan, task, deadline, recipient, kind, day); a
message is what one Telegram chat receives on one day (unique per chat and day, so one message per
recipient per day); a link table says which items a message carries.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column

from planbot.db import Base

PENDING = "pending"
SENT = "sent"
UNDELIVERED = "undelivered"
UNCERTAIN = "uncertain"  # two sends may both have arrived: never tried a third time, reported to admins
EXPIRED = "expired"  # no longer current (its day or round is over) before Telegram accepted it
REMINDER = "reminder"
DIGEST = "digest"
# Kinds of stored-content messages (text and keyboard written when queued).
ROUND = "round"
CHASE = "chase"
ROUND_DIGEST = "round_digest"
MONTHLY = "monthly"
NOTICE = "notice"
# Why a send failed, for the admins' advice.
ERR_BLOCKED = "blocked"
ERR_NO_CHAT = "no_chat"
ERR_REJECTED = "rejected"
ERR_TRANSIENT = "transient"
ERR_AMBIGUOUS = "ambiguous"


def utcnow_naive(now: datetime) -> datetime:
    """Times are stored as naive UTC so SQLite and PostgreSQL compare them alike."""
    return now.astimezone(UTC).replace(tzinfo=None)


class ReminderItemRow(Base):
    """One reminder of one task deadline to one recipient name on one day."""

    __tablename__ = "reminder_items"
    __table_args__ = (UniqueConstraint("plan_key", "task", "deadline", "recipient", "kind", "day"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_key: Mapped[str] = mapped_column(String(300))
    task: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500), default="")
    deadline: Mapped[date] = mapped_column(Date)
    recipient: Mapped[str] = mapped_column(String(200), index=True)
    role: Mapped[str] = mapped_column(String(20), default="")
    kind: Mapped[str] = mapped_column(String(10))
    day: Mapped[date] = mapped_column(Date, index=True)
    days_left: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ReminderMessageRow(Base):
    """One outbox message (a reminder, a digest, a round request …); claimed by one dispatcher at a time (lease).

    Reminders and digests are rendered when sent from their items; every other kind carries its text,
    keyboard (JSON) or document, has an idempotency key (`msg_key`) and a `purpose` derived from it, because
    the old (day, chat_id, purpose) constraint cannot be dropped on SQLite without rebuilding the table.
    """

    __tablename__ = "reminder_messages"
    __table_args__ = (UniqueConstraint("day", "chat_id", "purpose"),
                      Index("ux_reminder_messages_msg_key", "msg_key", unique=True),
                      Index("ix_reminder_messages_due", "status", "next_attempt_at"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    purpose: Mapped[str] = mapped_column(String(20), default=REMINDER)  # reminder | digest (for admins)
    status: Mapped[str] = mapped_column(String(20), default=PENDING, index=True)
    claim_token: Mapped[str | None] = mapped_column(String(40), nullable=True)
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    error: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # migration 0010-outbox-for-everything
    msg_key: Mapped[str | None] = mapped_column(String(300), nullable=True)  # unique index
    kind: Mapped[str | None] = mapped_column(String(20), nullable=True)  # None: purpose says it
    text: Mapped[str | None] = mapped_column(Text, nullable=True)
    markup: Mapped[str | None] = mapped_column(Text, nullable=True)  # inline keyboard as JSON rows
    document: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    filename: Mapped[str | None] = mapped_column(String(200), nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # Failures after the request was written (it may have arrived): at most one retry follows.
    maybe_sent: Mapped[int] = mapped_column(Integer, default=0, server_default=sql_text("0"))
    error_kind: Mapped[str] = mapped_column(String(20), default="", server_default="")
    reported_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    ref_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # e.g. the round request it delivers


class ReminderMessageItemRow(Base):
    """Which items a message carries."""

    __tablename__ = "reminder_message_items"
    message_id: Mapped[int] = mapped_column(ForeignKey("reminder_messages.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("reminder_items.id", ondelete="CASCADE"), primary_key=True)


class InviteRow(Base):
    """A deep-link token that binds whoever starts the bot with it to `name`."""

    __tablename__ = "directory_invites"
    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    used_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    used_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class GroupMemberRow(Base):
    """A member unit of a ledger group name such as 各分局 (from the directory's `group` column)."""

    __tablename__ = "directory_groups"
    __table_args__ = (UniqueConstraint("group_name", "member"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    group_name: Mapped[str] = mapped_column(String(200), index=True)
    member: Mapped[str] = mapped_column(String(200))


class ReminderRunRow(Base):
    """A day whose reminders were written to the outbox (so a restart knows which days it missed)."""

    __tablename__ = "reminder_runs"
    plan_key: Mapped[str] = mapped_column(String(300), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    done_at: Mapped[datetime] = mapped_column(DateTime)


class JobRunRow(Base):
    """The last completed slot of a scheduled job (so a restart or a pause knows what it missed)."""

    __tablename__ = "job_runs"
    job_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    last_slot: Mapped[datetime] = mapped_column(DateTime)  # naive UTC
    done_at: Mapped[datetime] = mapped_column(DateTime)

"""Reminder tables (outbox items and messages, invites, directory groups) for the ORM (planbot/migrations/ makes them).

An item is one logical reminder with the idempotency key (plan, task, deadline, recipient, kind, day); a
message is what one Telegram chat receives on one day (unique per chat and day, so one message per
recipient per day); a link table says which items a message carries.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from planbot.db import Base

PENDING = "pending"
SENT = "sent"
UNDELIVERED = "undelivered"
REMINDER = "reminder"
DIGEST = "digest"


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
    """The one message a chat gets on a day; claimed by one dispatcher at a time (lease)."""

    __tablename__ = "reminder_messages"
    __table_args__ = (UniqueConstraint("day", "chat_id", "purpose"),)
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


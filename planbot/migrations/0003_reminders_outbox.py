"""Reminders: the outbox (items, per-chat daily messages, and which items a message carries). Frozen: never edit."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

ID = "reminders:0001-outbox"

metadata = MetaData()

Table(
    "reminder_items",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("plan_key", String(300), nullable=False),
    Column("task", Integer, nullable=False),
    Column("title", String(500), nullable=False),
    Column("deadline", Date, nullable=False),
    Column("recipient", String(200), nullable=False, index=True),
    Column("role", String(20), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("day", Date, nullable=False, index=True),
    Column("days_left", Integer, nullable=False),
    Column("created_at", DateTime, nullable=False),
    UniqueConstraint("plan_key", "task", "deadline", "recipient", "kind", "day"),
)

Table(
    "reminder_messages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("day", Date, nullable=False, index=True),
    Column("chat_id", BigInteger, nullable=False),
    Column("purpose", String(20), nullable=False),
    Column("status", String(20), nullable=False, index=True),
    Column("claim_token", String(40), nullable=True),
    Column("claimed_until", DateTime, nullable=True),
    Column("next_attempt_at", DateTime, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("telegram_message_id", BigInteger, nullable=True),
    Column("error", Text, nullable=False),
    Column("sent_at", DateTime, nullable=True),
    Column("created_at", DateTime, nullable=False),
    UniqueConstraint("day", "chat_id", "purpose"),
)

Table(
    "reminder_message_items",
    metadata,
    Column("message_id", Integer, ForeignKey("reminder_messages.id", ondelete="CASCADE"), primary_key=True),
    Column("item_id", Integer, ForeignKey("reminder_items.id", ondelete="CASCADE"), primary_key=True),
)


def upgrade(conn: Connection) -> None:
    """Create the outbox tables."""
    metadata.create_all(conn)

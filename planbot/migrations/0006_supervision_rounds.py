"""Supervision: weekly status rounds, their requests and the replies. Frozen: never edit."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

ID = "supervision:0001-rounds-requests-replies"

metadata = MetaData()

Table(
    "status_rounds",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("plan_key", String(300), nullable=False, index=True),
    Column("round_key", String(20), nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("plan_key", "round_key"),
)

Table(
    "status_requests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("round_id", Integer, ForeignKey("status_rounds.id"), nullable=False, index=True),
    Column("kind", String(10), nullable=False),
    Column("unit", String(200), nullable=False),
    Column("telegram_id", BigInteger, nullable=False),
    Column("tasks", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=True),
    Column("error", Text, nullable=True),
    UniqueConstraint("round_id", "kind", "unit", "telegram_id"),
)

Table(
    "status_replies",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("plan_key", String(300), nullable=False),
    Column("round_key", String(20), nullable=False, index=True),
    Column("task_number", Integer, nullable=False),
    Column("unit", String(200), nullable=False),
    Column("role", String(10), nullable=False),
    Column("status", String(20), nullable=False),
    Column("note", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("telegram_id", BigInteger, nullable=False),
    Column("reporter", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_status_replies_plan_task", "plan_key", "task_number"),
)


def upgrade(conn: Connection) -> None:
    """Create the status round tables."""
    metadata.create_all(conn)

"""Q&A learning: admins' aliases, question → task mappings, recorded unanswered questions. Frozen: never edit."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

ID = "qa:0001-aliases-mappings-misses"

metadata = MetaData()

Table(
    "qa_aliases",
    metadata,
    Column("said", String(50), primary_key=True),
    Column("meant", String(50), nullable=False),
    Column("added_by", BigInteger, nullable=True),
    Column("added_at", DateTime(timezone=True), nullable=False),
)

Table(
    "qa_mappings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("plan_key", String(500), nullable=False),
    Column("question_key", String(500), nullable=False),
    Column("question", Text, nullable=False),
    Column("task_number", Integer, nullable=False),
    Column("added_by", BigInteger, nullable=True),
    Column("added_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("plan_key", "question_key"),
)

Table(
    "qa_misses",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("plan_key", String(500), nullable=False, index=True),
    Column("question", Text, nullable=False),
    Column("question_key", String(500), nullable=False),
    Column("telegram_id", BigInteger, nullable=True),
    Column("asked_at", DateTime(timezone=True), nullable=False, index=True),
    Column("decision", String(10), nullable=False),
    Column("pointer", Integer, nullable=True),
)


def upgrade(conn: Connection) -> None:
    """Create the qa_aliases, qa_mappings and qa_misses tables."""
    metadata.create_all(conn)

"""Ledger: plan families and their tasks. Frozen: never edit (add a new step instead)."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

ID = "ledger:0001-plans-tasks"

metadata = MetaData()

Table(
    "plans",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(500), nullable=False, unique=True),
    Column("year", Integer, nullable=False, index=True),
    Column("title", String(500), nullable=False),
    Column("version", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("source", String(1000), nullable=False),
    Column("plan_json", Text, nullable=False),
    Column("collection", String(200), nullable=True),
    Column("embedding_model", String(500), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("indexed_at", DateTime(timezone=True), nullable=False),
)

Table(
    "tasks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("plan_id", Integer, ForeignKey("plans.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("number", Integer, nullable=False),
    Column("title", String(1000), nullable=False),
    Column("section", String(500), nullable=False),
    Column("data_json", Text, nullable=False),
    UniqueConstraint("plan_id", "number"),
)


def upgrade(conn: Connection) -> None:
    """Create the plans and tasks tables."""
    metadata.create_all(conn)

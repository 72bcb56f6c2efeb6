"""Supervision: the ForceReply prompts asking for a status note, keyed by chat and message. Frozen: never edit."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Connection, DateTime, Index, MetaData, String, Table, Text

ID = "supervision:0002-note-prompts"

metadata = MetaData()

Table(
    "status_note_prompts",
    metadata,
    Column("chat_id", BigInteger, primary_key=True),
    Column("message_id", BigInteger, primary_key=True),
    Column("telegram_id", BigInteger, nullable=False),
    Column("reply_ids", Text, nullable=False),
    Column("step", String(10), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("closed_at", DateTime(timezone=True), nullable=True),
    Index("ix_status_note_prompts_user", "telegram_id"),
)


def upgrade(conn: Connection) -> None:
    """Create the status_note_prompts table."""
    metadata.create_all(conn)

"""Reminders: the days whose reminders were written to the outbox. Frozen: never edit."""

from __future__ import annotations

from sqlalchemy import Column, Connection, Date, DateTime, MetaData, String, Table

ID = "reminders:0003-runs"

metadata = MetaData()

Table(
    "reminder_runs",
    metadata,
    Column("plan_key", String(300), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("done_at", DateTime, nullable=False),
)


def upgrade(conn: Connection) -> None:
    """Create the reminder_runs table."""
    metadata.create_all(conn)

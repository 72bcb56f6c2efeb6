"""Reminders: directory invites (deep-link tokens) and group members. Frozen: never edit."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Connection, DateTime, Integer, MetaData, String, Table, UniqueConstraint

ID = "reminders:0002-directory"

metadata = MetaData()

Table(
    "directory_invites",
    metadata,
    Column("token", String(64), primary_key=True),
    Column("name", String(200), nullable=False, index=True),
    Column("created_at", DateTime, nullable=False),
    Column("used_by", BigInteger, nullable=True),
    Column("used_at", DateTime, nullable=True),
)

Table(
    "directory_groups",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("group_name", String(200), nullable=False, index=True),
    Column("member", String(200), nullable=False),
    UniqueConstraint("group_name", "member"),
)


def upgrade(conn: Connection) -> None:
    """Create the directory tables."""
    metadata.create_all(conn)

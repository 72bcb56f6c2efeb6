"""People: users known to the bot and their bindings to ledger names. Frozen: never edit."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Connection, DateTime, Integer, MetaData, String, Table, UniqueConstraint

ID = "people:0001-users-bindings"

metadata = MetaData()

Table(
    "users",
    metadata,
    Column("telegram_id", BigInteger, primary_key=True),
    Column("display_name", String(200), nullable=False),
    Column("registered_as", String(200), nullable=False),
    Column("status", String(20), nullable=False),
    Column("chat_id", BigInteger, nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

Table(
    "bindings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("telegram_id", BigInteger, nullable=False, index=True),
    Column("name", String(200), nullable=False, index=True),
    Column("source", String(20), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("telegram_id", "name"),
)


def upgrade(conn: Connection) -> None:
    """Create the users and bindings tables."""
    metadata.create_all(conn)

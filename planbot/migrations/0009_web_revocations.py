"""Web desk: one row per `/web revoke`; links and sessions signed before the latest row stop working. Frozen."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Connection, DateTime, Integer, MetaData, Table

ID = "web:0001-revocations"

metadata = MetaData()

Table(
    "web_revocations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("telegram_id", BigInteger, nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=False),
)


def upgrade(conn: Connection) -> None:
    """Create the web_revocations table."""
    metadata.create_all(conn)

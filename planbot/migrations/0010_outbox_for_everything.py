"""One outbox for every scheduled message: stored content, idempotency key, relevance, failure bookkeeping;
the last run of each scheduled job; the delivered message's id on a round request. Frozen: never edit."""

from __future__ import annotations

from sqlalchemy import Column, Connection, DateTime, MetaData, String, Table, inspect

ID = "0010-outbox-for-everything"

metadata = MetaData()

Table(
    "job_runs",
    metadata,
    Column("job_id", String(100), primary_key=True),
    Column("last_slot", DateTime, nullable=False),
    Column("done_at", DateTime, nullable=False),
)

_COLUMNS = ("msg_key VARCHAR(300)", "kind VARCHAR(20)", "text TEXT", "markup TEXT", "document {blob}",
            "filename VARCHAR(200)", "expires_at {stamp}", "maybe_sent INTEGER NOT NULL DEFAULT 0",
            "error_kind VARCHAR(20) NOT NULL DEFAULT ''", "reported_at {stamp}", "ref_id INTEGER")


def upgrade(conn: Connection) -> None:
    """Add the outbox columns and indexes, the job_runs table and status_requests.telegram_message_id."""
    postgres = conn.dialect.name == "postgresql"
    blob, stamp = ("BYTEA", "TIMESTAMP WITHOUT TIME ZONE") if postgres else ("BLOB", "DATETIME")
    # What is already there is left alone: a database built by create_all of these models has it all.
    insp = inspect(conn)
    have = {c["name"] for c in insp.get_columns("reminder_messages")}
    for column in _COLUMNS:
        if column.split()[0] not in have:
            conn.exec_driver_sql(f"ALTER TABLE reminder_messages ADD COLUMN {column.format(blob=blob, stamp=stamp)}")
    conn.exec_driver_sql("CREATE UNIQUE INDEX IF NOT EXISTS ux_reminder_messages_msg_key ON reminder_messages "
                         "(msg_key)")
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_reminder_messages_due ON reminder_messages "
                         "(status, next_attempt_at)")
    if "telegram_message_id" not in {c["name"] for c in insp.get_columns("status_requests")}:
        conn.exec_driver_sql("ALTER TABLE status_requests ADD COLUMN telegram_message_id BIGINT")
    metadata.create_all(conn)

"""Database plumbing: one declarative Base, engine creation, ordered recorded migrations.

Every feature declares its tables on `Base` in its own module and lists its migrations there;
`planbot.migrations.ALL` orders them. SQLite by default, PostgreSQL through DATABASE_URL.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, DateTime, Engine, String, Table, create_engine, event, inspect, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

T = TypeVar("T")


class Base(DeclarativeBase):
    """Declarative base shared by all planbot tables."""


class SchemaMigration(Base):
    """One applied migration."""

    __tablename__ = "schema_migrations"
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    applied_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


_MIGRATIONS_TABLE: Table = Base.metadata.tables[SchemaMigration.__tablename__]


@dataclass(frozen=True)
class Migration:
    """An ordered, recorded schema change; `id` is 'feature:NNNN-what'."""

    id: str
    apply: Callable[[Connection], None]


def create_tables(*tables: Any) -> Callable[[Connection], None]:
    """A migration step that creates the given ORM classes' tables."""
    return lambda conn: Base.metadata.create_all(conn, tables=[Base.metadata.tables[t.__tablename__] for t in tables])


def make_engine(url: str) -> Engine:
    """Create an engine; for SQLite, create the folder and turn on WAL and a busy timeout."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def migrate(engine: Engine, migrations: Sequence[Migration] | None = None) -> list[str]:
    """Apply every migration not yet recorded, in order; return the ids applied."""
    if migrations is None:
        from planbot.migrations import ALL

        migrations = ALL
    applied: list[str] = []
    with engine.begin() as conn:
        if not inspect(conn).has_table(SchemaMigration.__tablename__):
            Base.metadata.create_all(conn, tables=[_MIGRATIONS_TABLE])
        done = set(conn.execute(select(SchemaMigration.id)).scalars())
        for m in migrations:
            if m.id in done:
                continue
            m.apply(conn)
            conn.execute(_MIGRATIONS_TABLE.insert().values(id=m.id, applied_at=datetime.now(UTC)))
            applied.append(m.id)
    return applied


class Database:
    """An engine plus a session factory, migrated on open."""

    def __init__(self, url: str, *, migrate_now: bool = True) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        if migrate_now:
            migrate(self.engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in a transaction: committed on success, rolled back on error."""
        with self.sessions.begin() as s:
            yield s

    def run(self, work: Callable[[Session], T], *, attempts: int = 5) -> T:
        """Run `work` in a transaction, retrying while the database is locked (never drop a write)."""
        for attempt in range(attempts):
            try:
                with self.session() as s:
                    return work(s)
            except OperationalError as exc:
                if "locked" not in str(exc).lower() or attempt == attempts - 1:
                    raise
                time.sleep(0.2 * (attempt + 1))
        raise AssertionError("unreachable")

    async def arun(self, work: Callable[[Session], T], *, attempts: int = 5) -> T:
        """`run` in a worker thread, for async code: a locked database must not block the event loop."""
        return await asyncio.to_thread(self.run, work, attempts=attempts)

    def dispose(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()


def insert_ignore(s: Session, table: Table, rows: Sequence[dict[str, Any]], keys: Sequence[str]) -> int:
    """INSERT … ON CONFLICT (keys) DO NOTHING on SQLite and PostgreSQL (two processes may insert the same row
    at once); returns the number of rows inserted."""
    if not rows:
        return 0
    from sqlalchemy.dialects import postgresql, sqlite

    module: Any = postgresql if s.get_bind().dialect.name == "postgresql" else sqlite
    # RETURNING counts the inserted rows reliably on both (a multi-row rowcount is -1 under psycopg).
    stmt = module.insert(table).on_conflict_do_nothing(index_elements=list(keys)).returning(table.c[keys[0]])
    return len(s.execute(stmt, list(rows)).all())

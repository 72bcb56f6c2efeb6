"""Database plumbing: one declarative Base for the ORM models, engine creation, migration on open.

Every feature declares its ORM tables on `Base` in its own module, for queries only; the schema itself comes
from the frozen steps in planbot/migrations/. SQLite by default, PostgreSQL through DATABASE_URL.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import DateTime, Engine, String, Table, create_engine, event
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from planbot import texts as msg
from planbot.errors import SettingsError
from planbot.migrations import migrate, steps

T = TypeVar("T")



class Base(DeclarativeBase):
    """Declarative base shared by all planbot tables."""


class SchemaMigration(Base):
    """One applied migration (the table itself is created by planbot.migrations)."""

    __tablename__ = "schema_migrations"
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    applied_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def read_only_url(path: Path) -> str:
    """A SQLite URL that opens `path` read-only and never writes beside it.

    With a -wal file present its content is needed: mode=ro reads it (SQLite then needs the -shm file too).
    Without one the file is opened immutable: no -shm to create in a folder that cannot be written.
    """
    wal = path.with_name(path.name + "-wal")
    flags = "mode=ro" if wal.is_file() and wal.stat().st_size > 0 else "mode=ro&immutable=1"
    return f"sqlite:///file:{path.resolve()}?{flags}&uri=true"


def make_engine(url: str, *, read_only: bool = False) -> Engine:
    """Create an engine; for SQLite, create the folder and turn on WAL and a busy timeout (not when read-only)."""
    if url.startswith("sqlite:///"):
        if not read_only:
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            if not read_only:  # journal_mode is stored in the file: setting it is a write
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except ImportError as exc:  # the driver of an optional extra is missing
        raise SettingsError(msg.DB_NO_DRIVER.plain(module=exc.name or exc)) from None
    except (ArgumentError, NoSuchModuleError):
        raise SettingsError(msg.DB_BAD_URL) from None


class Database:
    """An engine plus a session factory, migrated on open (a read-only one is never migrated)."""

    def __init__(self, url: str, *, migrate_now: bool = True, read_only: bool = False) -> None:
        self.url = url
        self.read_only = read_only
        self.engine = make_engine(url, read_only=read_only)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        if migrate_now and not read_only:
            migrate(self.engine, steps())

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

"""Opening the data directory's database, naming what is wrong with it instead of papering over it.

A damaged file, a read-only folder and a lost database beside earlier state (Chroma, vectors, exports) each become
one DataError with the next step. Commands that only read open SQLite read-only (no migrations, no WAL writes), so
they keep working on a folder planbot may not write; commands that must write say so before they start.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError, OperationalError

from planbot import texts
from planbot.db import Database, read_only_url
from planbot.errors import DataDamaged, DataMissing, DataReadOnly
from planbot.render import LIST_SEPARATOR
from planbot.settings import Settings

SQLITE_MAGIC = b"SQLite format 3\x00"
# Folders that only exist after planbot has run here: their presence without a database means it was lost.
STATE_DIRS = ("chroma", "vectors", "exports")
# What SQLite says about a file that is not (or no longer) a database.
DAMAGE_WORDS = ("malformed", "not a database", "file is encrypted", "disk image")
READ_ONLY_WORDS = ("readonly database", "read-only", "unable to open database")


def sqlite_path(settings: Settings) -> Path | None:
    """The SQLite file of these settings; None when DATABASE_URL points elsewhere (PostgreSQL)."""
    return None if settings.database_url_override else settings.data_dir / "planbot.db"


def leftovers(settings: Settings) -> list[str]:
    """The data dir's non-empty state folders, e.g. ['chroma/', 'exports/']."""
    found = []
    for name in STATE_DIRS:
        folder = settings.data_dir / name
        if folder.is_dir() and any(folder.iterdir()):
            found.append(f"{name}/")
    return found


def writable(folder: Path) -> bool:
    """Can this process create files in `folder` (or in its nearest existing parent)?"""
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return os.access(folder, os.W_OK | os.X_OK)


def is_damage(exc: BaseException) -> bool:
    """Does this database error mean the file is damaged?"""
    return isinstance(exc, DatabaseError) and any(w in str(exc).lower() for w in DAMAGE_WORDS)


def is_read_only(exc: BaseException) -> bool:
    """Does this database error mean the file or its folder cannot be written?"""
    return isinstance(exc, OperationalError) and any(w in str(exc).lower() for w in READ_ONLY_WORDS)


def damaged(path: Path, detail: object) -> DataDamaged:
    """The error for a damaged database file."""
    return DataDamaged(texts.DATA_DB_DAMAGED.plain(path=path, detail=str(detail).splitlines()[0][:120]))


def _check_header(path: Path) -> None:
    with path.open("rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    if head != SQLITE_MAGIC:
        raise damaged(path, "文件头不是 SQLite")


def _check_missing(settings: Settings, path: Path, *, fresh: bool) -> None:
    """A lost database beside earlier state: refuse unless the command is the explicit fresh start."""
    absent = not path.exists()
    if not absent and path.stat().st_size > 0:
        return
    found = leftovers(settings)
    if not found:
        return
    names = LIST_SEPARATOR.join(found)
    if fresh:
        notice = texts.DATA_FRESH_START.plain(data_dir=settings.data_dir, leftovers=names)
        print(notice, file=sys.stderr, flush=True)
        if not absent:
            path.unlink()  # SQLite would take the 0-byte file as a new database anyway; start from nothing
        return
    state = texts.DATA_STATE_ABSENT.plain() if absent else texts.DATA_STATE_EMPTY.plain()
    raise DataMissing(texts.DATA_DB_MISSING.plain(path=path, state=state, data_dir=settings.data_dir,
                                                      leftovers=names))


def _quick_check(db: Database, path: Path) -> None:
    """SQLite's own consistency check (milliseconds on planbot's small files); damage becomes DataDamaged."""
    try:
        with db.engine.connect() as conn:
            result = conn.execute(text("PRAGMA quick_check")).scalar()
    except DatabaseError as exc:
        db.dispose()
        raise damaged(path, exc.orig or exc) from None
    if result != "ok":
        db.dispose()
        raise damaged(path, result)


def _pending(db: Database) -> int:
    from planbot.migrations import APPLIED, steps

    with db.engine.connect() as conn:
        try:
            done = set(conn.execute(select(APPLIED.c.id)).scalars())
        except OperationalError:  # no bookkeeping table: nothing was ever migrated
            done = set()
    return sum(1 for m in steps() if m.id not in done)


def open_database(settings: Settings, command: str, *, write: bool = True, fresh: bool = False) -> Database:
    """The database for `command`: migrated when it may write, read-only (never migrated) when it only reads.

    `fresh` is the explicit start-over (`planbot index`): allowed beside leftover state, and it says so.
    """
    path = sqlite_path(settings)
    if path is None:
        return Database(settings.database_url)
    _check_missing(settings, path, fresh=fresh)
    if path.exists() and path.stat().st_size > 0:
        _check_header(path)
    if writable(settings.data_dir) and (not path.exists() or os.access(path, os.W_OK)):
        try:
            db = Database(settings.database_url, migrate_now=False)
            _quick_check(db, path)
            from planbot.migrations import migrate, steps

            migrate(db.engine, steps())
        except DatabaseError as exc:
            if is_damage(exc):
                raise damaged(path, exc.orig or exc) from None
            raise
        return db
    if write:
        raise DataReadOnly(texts.DATA_READ_ONLY.plain(data_dir=settings.data_dir, command=command))
    if not path.is_file():
        raise DataReadOnly(texts.DATA_READ_ONLY_NO_DB.plain(data_dir=settings.data_dir))
    db = Database(read_only_url(path), read_only=True)
    _quick_check(db, path)
    pending = _pending(db)
    if pending:
        db.dispose()
        raise DataReadOnly(texts.DATA_READ_ONLY_OLD.plain(path=path, pending=pending))
    return db

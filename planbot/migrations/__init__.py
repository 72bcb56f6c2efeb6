"""Schema migrations: frozen, ordered steps, applied by `migrate(engine, steps())`.

Each step is one file in this folder, `NNNN_what.py`, numbered without gaps; `steps()` loads them in that order.
A step holds fixed DDL for one moment in the schema's history and never imports today's ORM models (they
describe the present; a step must produce the same tables forever, on a fresh database and on an old one).

How to add a step (a new table, column or index):
1. Create the next file, e.g. `0007_reports_cache.py` (copy the newest one as a template).
2. Give it `ID = "0007-reports-cache"` (unique; never changed once shipped) and `upgrade(conn)` with fixed DDL:
   SQLAlchemy Core `Table`s declared in the file on its own `MetaData` (`metadata.create_all(conn)`), or
   `conn.exec_driver_sql("ALTER TABLE … ADD COLUMN …")` text that runs on SQLite and on PostgreSQL. A foreign key
   to an older table needs that table in the step's MetaData: declare a stub with just the referred columns and
   create only the new tables (`create_all(conn, tables=[new])`).
3. Change the ORM model the same way. tests/test_migrations.py fails until the migrated head equals the models,
   and checks that a database at every earlier step upgrades to that same head (SQLite and PostgreSQL).
Never edit, renumber or delete a step that shipped: databases out there recorded its id in `schema_migrations`.

Steps 0001–0006 keep the ids the earlier create_all-based code recorded ('ledger:0001-plans-tasks', …) and create
exactly the tables it created, so a database built by that code is recognised as being at head.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from sqlalchemy import Column, Connection, DateTime, Engine, MetaData, String, Table, inspect, select

_FILE = re.compile(r"^(\d{4})_[a-z0-9_]+$")

# The bookkeeping table, frozen like any step (the ORM's SchemaMigration mirrors it for queries).
_metadata = MetaData()
APPLIED = Table(
    "schema_migrations",
    _metadata,
    Column("id", String(100), primary_key=True),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class Migration:
    """An ordered, recorded schema change."""

    id: str
    apply: Callable[[Connection], None]


@cache
def steps() -> tuple[Migration, ...]:
    """Every step of this folder, in file order; refuses gaps, duplicates and stray names."""
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if _FILE.match(m.name))
    numbers = [int(name[:4]) for name in names]
    if numbers != list(range(1, len(names) + 1)):
        raise RuntimeError(f"migration files must be numbered 0001… without gaps or repeats: {names}")
    out: list[Migration] = []
    for name in names:
        module = importlib.import_module(f"{__name__}.{name}")
        out.append(Migration(module.ID, module.upgrade))
    ids = [m.id for m in out]
    if len(set(ids)) != len(ids):
        raise RuntimeError(f"migration ids must be unique: {ids}")
    return tuple(out)


def migrate(engine: Engine, migrations: Sequence[Migration]) -> list[str]:
    """Apply every step not yet recorded, in order; return the ids applied."""
    applied: list[str] = []
    with engine.begin() as conn:
        if not inspect(conn).has_table(APPLIED.name):
            _metadata.create_all(conn, tables=[APPLIED])
        done = set(conn.execute(select(APPLIED.c.id)).scalars())
        for m in migrations:
            if m.id in done:
                continue
            m.apply(conn)
            conn.execute(APPLIED.insert().values(id=m.id, applied_at=datetime.now(UTC)))
            applied.append(m.id)
    return applied

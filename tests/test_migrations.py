"""Frozen migration steps: every past step upgrades to the same head, the head equals the ORM models, old ids hold."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, inspect, text

import indexer.learning
import indexer.schema
import planbot.migrations
import planbot.people
import reminders.store
import supervision.store
import web.store
from planbot.db import Base, SchemaMigration, make_engine
from planbot.migrations import APPLIED, migrate, steps

MODEL_MODULES = (indexer.learning, indexer.schema, planbot.people, reminders.store, supervision.store, web.store)
# The ids the create_all-based code recorded; a database built by it must be recognised as complete.
LEGACY_IDS = [
    "ledger:0001-plans-tasks",
    "people:0001-users-bindings",
    "reminders:0001-outbox",
    "reminders:0002-directory",
    "reminders:0003-runs",
    "supervision:0001-rounds-requests-replies",
]

EngineFactory = Callable[[], Engine]


def schema_of(engine: Engine) -> dict[str, Any]:
    """Everything a migration decides about each table, as comparable plain data."""
    insp = inspect(engine)
    out: dict[str, Any] = {}
    for table in sorted(insp.get_table_names()):
        pk = insp.get_pk_constraint(table)
        out[table] = {
            "columns": {c["name"]: (repr(c["type"]), c["nullable"], c.get("default"))
                        for c in insp.get_columns(table)},
            "primary_key": (pk.get("name"), tuple(pk["constrained_columns"])),
            "foreign_keys": sorted((tuple(fk["constrained_columns"]), fk["referred_table"],
                                    tuple(fk["referred_columns"]), fk.get("options", {}).get("ondelete"))
                                   for fk in insp.get_foreign_keys(table)),
            "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                              for i in insp.get_indexes(table)),
            "unique": sorted((u["name"] or "", tuple(u["column_names"])) for u in insp.get_unique_constraints(table)),
        }
    return out


@pytest.fixture
def sqlite_engines(tmp_path: Path) -> Iterator[EngineFactory]:
    """Fresh SQLite databases (real files, made as the app makes them)."""
    made: list[Engine] = []

    def make() -> Engine:
        made.append(make_engine(f"sqlite:///{tmp_path / uuid.uuid4().hex}.db"))
        return made[-1]

    yield make
    for engine in made:
        engine.dispose()


@pytest.fixture
def postgres_engines(postgres_url: str) -> Iterator[EngineFactory]:
    """Fresh databases on the throwaway PostgreSQL server; skipped where PostgreSQL cannot start."""
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    made: list[tuple[str, Engine]] = []

    def make() -> Engine:
        name = f"planbot_mig_{uuid.uuid4().hex[:10]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        made.append((name, make_engine(postgres_url.replace("/postgres?", f"/{name}?"))))
        return made[-1][1]

    yield make
    for name, engine in made:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def engines(request: pytest.FixtureRequest) -> EngineFactory:
    """Fresh databases of each dialect the app supports."""
    fixture = "sqlite_engines" if request.param == "sqlite" else "postgres_engines"
    factory: EngineFactory = request.getfixturevalue(fixture)
    return factory


def recorded(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(APPLIED.select().order_by(APPLIED.c.applied_at, APPLIED.c.id)).scalars())


def test_steps_are_numbered_files_with_unique_ids() -> None:
    folder = Path(planbot.migrations.__file__).parent
    files = sorted(p.stem for p in folder.glob("[0-9]*.py"))
    assert [int(f[:4]) for f in files] == list(range(1, len(files) + 1))
    ids = [m.id for m in steps()]
    assert len(ids) == len(files) == len(set(ids))
    assert ids[: len(LEGACY_IDS)] == LEGACY_IDS  # shipped ids never change


def test_steps_never_read_the_orm_models() -> None:
    folder = Path(planbot.migrations.__file__).parent
    for path in folder.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        for module in ("planbot.db", *(m.__name__ for m in MODEL_MODULES)):
            assert f"import {module}" not in source and f"from {module} " not in source, (path.name, module)


def test_every_past_step_upgrades_to_the_fresh_head(engines: EngineFactory) -> None:
    all_steps = steps()
    fresh = engines()
    assert migrate(fresh, all_steps) == [m.id for m in all_steps]
    head = schema_of(fresh)
    for at in range(len(all_steps)):
        old = engines()
        migrate(old, all_steps[:at])
        assert migrate(old, all_steps) == [m.id for m in all_steps[at:]]
        assert schema_of(old) == head, f"a database at step {at} does not upgrade to the head"
        assert migrate(old, all_steps) == []  # nothing left to do


def test_orm_models_match_the_migrated_head(engines: EngineFactory) -> None:
    migrated, modelled = engines(), engines()
    migrate(migrated, steps())
    Base.metadata.create_all(modelled)
    assert set(Base.metadata.tables) == set(inspect(migrated).get_table_names()), "a table has no migration"
    assert schema_of(modelled) == schema_of(migrated), "a model changed without a migration step (or vice versa)"


def test_a_database_built_by_the_create_all_code_is_at_head(engines: EngineFactory) -> None:
    # What the earlier code did: create_all of the models, then record its migration ids.
    legacy, fresh = engines(), engines()
    Base.metadata.create_all(legacy)
    with legacy.begin() as conn:
        conn.execute(SchemaMigration.__table__.insert(),  # type: ignore[attr-defined]
                     [{"id": i, "applied_at": datetime(2024, 1, 1, tzinfo=UTC)} for i in LEGACY_IDS])
    migrate(fresh, steps())
    applied = migrate(legacy, steps())
    assert applied == [m.id for m in steps()[len(LEGACY_IDS):]]
    assert schema_of(legacy) == schema_of(fresh)
    assert set(recorded(legacy)) == {m.id for m in steps()}

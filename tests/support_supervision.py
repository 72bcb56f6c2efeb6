"""Supervision fixtures: a ledger with the bundled plan (SQLite only, no Chroma), built once and copied per test.

- `sv_settings`: Settings on a fresh copy (admins {1001}, allowed_users {2001}); `sv_db`: its Database;
- `sv_clock`: a FrozenClock at Monday 2023-10-30 09:00 Asia/Shanghai (the round 2023-W44);
- `bind_units(db, {telegram_id: unit})`: bindings as `planbot directory import` writes them.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from knowledge.model import Plan
from planbot import people
from planbot.clock import FrozenClock
from planbot.db import Database
from planbot.settings import Settings

TZ = ZoneInfo("Asia/Shanghai")
ADMIN = 1001
MONDAY = datetime(2023, 10, 30, 9, 0, tzinfo=TZ)


@pytest.fixture(scope="session")
def sv_template(tmp_path_factory: pytest.TempPathFactory, bundled_plan: Plan) -> Path:
    """A data dir whose ledger holds the bundled plan (no vector index: the round never asks questions)."""
    from indexer.ledger import save_plan

    data = tmp_path_factory.mktemp("supervision-template") / "data"
    db = Database(Settings(data_dir=data).database_url)
    try:
        save_plan(db, bundled_plan, "bundled")
    finally:
        db.dispose()
    return data


@pytest.fixture
def sv_settings(sv_template: Path, tmp_path: Path) -> Settings:
    """Settings on a fresh copy of the template."""
    data = tmp_path / "sv-data"
    shutil.copytree(sv_template, data)
    return Settings(data_dir=data, admins=frozenset({ADMIN}), allowed_users=frozenset({2001}))


@pytest.fixture
def sv_db(sv_settings: Settings) -> Iterator[Database]:
    """The database of `sv_settings`."""
    db = Database(sv_settings.database_url)
    yield db
    db.dispose()


@pytest.fixture
def sv_clock() -> FrozenClock:
    """Monday of round 2023-W44, 09:00 in Asia/Shanghai."""
    return FrozenClock(MONDAY)


def bind_units(db: Database, bindings: dict[int, str]) -> None:
    """Bind Telegram ids to ledger names, as the directory import does."""
    with db.session() as s:
        for tid, name in bindings.items():
            people.bind(s, tid, name, source="directory")

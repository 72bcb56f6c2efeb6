"""The SQL ledger: save/load, idempotence, replacement of a changed plan, several plans, selection."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from indexer import ledger
from indexer import texts as idx_msg
from indexer.schema import PlanRow, TaskRow
from planbot.db import Database, SchemaMigration
from planbot.errors import PlanNotFound, TaskNotFound
from planbot.settings import Settings
from tests.support_ledger import make_plan, make_task

T0 = datetime(2030, 1, 2, 3, 4, tzinfo=UTC)


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    database = Database(settings.database_url)
    yield database
    database.dispose()


def task_rows(db: Database, key: str) -> list[tuple[int, str]]:
    with db.session() as s:
        return [(r.number, r.title) for r in s.scalars(
            select(TaskRow).join(PlanRow, TaskRow.plan_id == PlanRow.id).where(PlanRow.key == key)
            .order_by(TaskRow.number))]


def test_migration_is_recorded(db: Database) -> None:
    with db.session() as s:
        assert "ledger:0001-plans-tasks" in set(s.scalars(select(SchemaMigration.id)))


def test_save_then_load_round_trips_the_plan(db: Database) -> None:
    plan = make_plan()
    record = ledger.save_plan(db, plan, "a.txt", now=T0)
    assert (record.key, record.version, record.task_count) == ("2030:2030年空气质量改善行动方案", 1, 3)
    assert ledger.load_plan(db) == plan
    assert task_rows(db, record.key) == [(1, "燃气锅炉低氮改造"), (2, "施工工地扬尘治理"), (3, "重型柴油货车监管")]


def test_same_plan_again_writes_nothing(db: Database) -> None:
    first = ledger.save_plan(db, make_plan(), "a.txt", sha256="f" * 64, now=T0)
    again = ledger.save_plan(db, make_plan(), "b.txt", sha256="f" * 64, now=T0 + timedelta(days=1))
    assert again == first  # same version, same index time, same source: nothing rewritten


def test_changed_plan_replaces_tasks_and_keeps_the_key(db: Database) -> None:
    old = ledger.save_plan(db, make_plan(), "a.txt", now=T0)
    changed = make_plan(tasks=(make_task(1, "燃气锅炉低氮改造（修订）", due=date(2030, 9, 30)),
                               make_task(4, "餐饮油烟治理")))
    new = ledger.save_plan(db, changed, "a-v2.txt", now=T0 + timedelta(days=1))
    assert new.key == old.key and new.id == old.id
    assert (new.version, new.task_count, new.source) == (2, 2, "a-v2.txt")
    assert task_rows(db, new.key) == [(1, "燃气锅炉低氮改造（修订）"), (4, "餐饮油烟治理")]
    assert ledger.load_plan(db).task(1).due_dates == (date(2030, 9, 30),)  # type: ignore[union-attr]


@pytest.mark.parametrize(("selector", "expected_year"), [
    (None, 2031), ("", 2031), ("2030", 2030), ("2031", 2031), ("测试方案", 2030), ("2030:2030年测试方案", 2030),
])
def test_two_plans_coexist_and_selector_picks(db: Database, selector: str | None, expected_year: int) -> None:
    ledger.save_plan(db, make_plan(2031), "b.txt", now=T0)  # indexed first but the newer year
    ledger.save_plan(db, make_plan(2030, title="2030年测试方案"), "a.txt", now=T0 + timedelta(hours=1))
    assert ledger.load_plan(db, selector).year == expected_year
    assert ledger.current_plan_key(db, selector).startswith(f"{expected_year}:")
    assert [r.year for r in ledger.list_plans(db)] == [2031, 2030]


def test_same_year_newest_index_time_wins(db: Database) -> None:
    ledger.save_plan(db, make_plan(2030, title="2030年甲方案"), "a.txt", now=T0)
    ledger.save_plan(db, make_plan(2030, title="2030年乙方案"), "b.txt", now=T0 + timedelta(hours=1))
    assert ledger.load_plan(db).title == "2030年乙方案"
    assert ledger.load_plan(db, "甲").title == "2030年甲方案"


def test_no_plan_yet_says_how_to_index(db: Database) -> None:
    with pytest.raises(PlanNotFound) as err:
        ledger.load_plan(db)
    assert str(err.value) == idx_msg.NO_PLAN


def test_unknown_selector_lists_the_plans(db: Database) -> None:
    ledger.save_plan(db, make_plan(2030), "a.txt")
    with pytest.raises(PlanNotFound) as err:
        ledger.current_plan_key(db, "2099")
    assert "2099" in str(err.value) and "2030《2030年空气质量改善行动方案》" in str(err.value)


def test_unknown_task_names_the_valid_range(db: Database) -> None:
    ledger.save_plan(db, make_plan(), "a.txt")
    assert ledger.load_task(db, 2).title == "施工工地扬尘治理"
    with pytest.raises(TaskNotFound) as err:
        ledger.load_task(db, 99)
    assert "99" in str(err.value) and "1–3" in str(err.value)


def test_collection_pointer_is_updated_without_a_new_version(db: Database) -> None:
    first = ledger.save_plan(db, make_plan(), "a.txt", sha256="a" * 64, collection="c1", embedding_model="m")
    second = ledger.save_plan(db, make_plan(), "a.txt", sha256="a" * 64, collection="c2", embedding_model="m")
    assert (first.collection, second.collection, second.version) == ("c1", "c2", 1)

"""Indexing into SQL + Chroma: idempotence, replacement, atomic failure, several plans, the bundled index."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from indexer import ledger
from indexer.documents import plan_documents
from indexer.pipeline import IndexReport, index_document, index_plan
from indexer.vectorstore import chroma_client, drop_collection, open_index_for_plan, release_client
from knowledge.model import Plan
from planbot.db import Database
from planbot.errors import DocumentError, UsageError, VectorIndexMissing
from planbot.settings import Settings
from tests.support_ledger import FailingEmbeddings, HashEmbeddings, make_plan, make_task, plan_text


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    database = Database(settings.database_url)
    yield database
    database.dispose()
    release_client(settings)


def index(settings: Settings, db: Database, plan: Plan, embeddings: HashEmbeddings, **kw: object) -> IndexReport:
    return index_plan(settings, db, plan, text=plan_text(plan), source="plan.txt", embeddings=embeddings,
                      **kw)  # type: ignore[arg-type]


def collections(settings: Settings) -> set[str]:
    return {c.name for c in chroma_client(settings).list_collections()}


def changed_plan() -> Plan:
    return make_plan(tasks=(make_task(1, "燃气锅炉低氮改造", due=date(2030, 9, 30)),
                            make_task(4, "餐饮油烟治理", text="餐饮油烟治理。安装油烟净化设施。")))


def test_documents_are_one_per_task_and_paragraph_with_scalar_metadata() -> None:
    docs = plan_documents(make_plan(), "2030:k")
    assert [d.id for d in docs] == ["task:1", "task:2", "task:3", "para:safeguard-1"]
    first = docs[0]
    assert first.metadata["task_number"] == 1 and first.metadata["due_dates"] == "2030-10-31"
    assert "责任领导：张三" in first.text and "牵头单位：大气办" in first.text
    assert all(isinstance(v, str | int | float | bool) for d in docs for v in d.metadata.values())


def test_first_index_is_searchable(settings: Settings, db: Database, hash_embeddings: HashEmbeddings) -> None:
    report = index(settings, db, make_plan(), hash_embeddings)
    assert (report.tasks, report.documents, report.version, report.unchanged) == (3, 4, 1, False)
    found = open_index_for_plan(settings, db, embeddings=hash_embeddings).search("燃气锅炉低氮改造", 2)
    assert found[0][0] == "task:1" and found[0][1] > found[1][1]


def test_same_document_again_changes_nothing(settings: Settings, db: Database,
                                             hash_embeddings: HashEmbeddings) -> None:
    first = index(settings, db, make_plan(), hash_embeddings)
    calls = hash_embeddings.calls
    again = index(settings, db, make_plan(), hash_embeddings)
    assert again.unchanged and again.collection == first.collection and again.version == 1
    assert hash_embeddings.calls == calls  # nothing re-embedded
    assert collections(settings) == {first.collection}


def test_plain_index_repairs_a_missing_collection(settings: Settings, db: Database,
                                                 hash_embeddings: HashEmbeddings) -> None:
    # `--if-changed` repairs it too (tests/test_data_damage.py); the plain index does so after opening Chroma.
    first = index(settings, db, make_plan(), hash_embeddings)
    assert first.collection and drop_collection(settings, first.collection)
    with pytest.raises(VectorIndexMissing):
        open_index_for_plan(settings, db)
    repaired = index(settings, db, make_plan(), hash_embeddings)
    assert repaired.rebuilt and not repaired.replaced and repaired.version == 1
    assert open_index_for_plan(settings, db, embeddings=hash_embeddings).search("扬尘治理", 1)[0][0] == "task:2"


def test_changed_document_replaces_tasks_keeps_key_and_drops_old_collection(
        settings: Settings, db: Database, hash_embeddings: HashEmbeddings) -> None:
    first = index(settings, db, make_plan(), hash_embeddings)
    second = index(settings, db, changed_plan(), hash_embeddings)
    assert second.key == first.key and (second.version, second.previous_version, second.replaced) == (2, 1, True)
    assert collections(settings) == {second.collection}
    vectors = open_index_for_plan(settings, db, embeddings=hash_embeddings)
    assert set(vectors.get(["task:1", "task:2", "task:4"])) == {"task:1", "task:4"}
    assert [t.number for t in ledger.load_plan(db).tasks] == [1, 4]


@pytest.mark.parametrize("fail_on_call", [1, 2])
def test_embedder_crash_leaves_old_ledger_and_index_intact(settings: Settings, db: Database,
                                                           hash_embeddings: HashEmbeddings, fail_on_call: int) -> None:
    first = index(settings, db, make_plan(), hash_embeddings)
    with pytest.raises(RuntimeError, match="midway"):
        index(settings, db, changed_plan(), FailingEmbeddings(fail_on_call), batch_size=1)
    assert ledger.load_plan(db) == make_plan()
    assert ledger.select_plan(db).collection == first.collection
    assert collections(settings) == {first.collection}  # the half-built collection is gone
    assert open_index_for_plan(settings, db, embeddings=hash_embeddings).search("柴油货车", 1)[0][0] == "task:3"


@pytest.mark.parametrize(("name", "content"), [
    ("empty.txt", b""),
    ("binary.txt", bytes(range(256)) * 8),
    ("no-tasks.txt", "2030年某某工作方案\n一、总体要求\n做好各项工作。\n".encode()),
])
def test_bad_document_is_rejected_and_nothing_changes(settings: Settings, db: Database, tmp_path: Path,
                                                      hash_embeddings: HashEmbeddings, name: str,
                                                      content: bytes) -> None:
    first = index(settings, db, make_plan(), hash_embeddings)
    bad = tmp_path / name
    bad.write_bytes(content)
    with pytest.raises(DocumentError):
        index_document(settings, db, bad, embeddings=hash_embeddings)
    assert ledger.list_plans(db) == [ledger.select_plan(db)] and ledger.select_plan(db).version == 1
    assert collections(settings) == {first.collection}


def test_plan_selector_must_match_the_document(settings: Settings, db: Database,
                                               hash_embeddings: HashEmbeddings) -> None:
    with pytest.raises(UsageError):
        index(settings, db, make_plan(2030), hash_embeddings, selector="2031")
    assert ledger.list_plans(db) == [] and collections(settings) == set()


def test_two_plans_have_their_own_collections(settings: Settings, db: Database,
                                              hash_embeddings: HashEmbeddings) -> None:
    old = index(settings, db, make_plan(2030), hash_embeddings)
    new = index(settings, db, make_plan(2031), hash_embeddings)
    assert collections(settings) == {old.collection, new.collection}
    for selector, report in ((None, new), ("2030", old), ("2031", new)):
        vectors = open_index_for_plan(settings, db, selector, embeddings=hash_embeddings)
        assert vectors.collection == report.collection
        assert vectors.get(["task:1"])["task:1"][1]["plan_key"] == report.key


def test_another_embedding_model_rebuilds_the_index(settings: Settings, db: Database,
                                                    hash_embeddings: HashEmbeddings) -> None:
    class OtherModel(HashEmbeddings):
        model_name = "another-model"

    first = index(settings, db, make_plan(), hash_embeddings)
    second = index(settings, db, make_plan(), OtherModel())
    assert second.rebuilt and second.collection != first.collection and second.version == 1
    assert ledger.select_plan(db).embedding_model == "another-model"


def test_bundled_index_has_every_task_and_paragraph(indexed_settings: Settings, ledger_db: Database,
                                                    bundled_plan: Plan) -> None:
    vectors = open_index_for_plan(indexed_settings, ledger_db)
    assert vectors.count() == len(plan_documents(bundled_plan, ledger.plan_key(bundled_plan)))
    assert ledger.load_plan(ledger_db) == bundled_plan


@pytest.mark.parametrize(("question", "number"), [
    ("燃气锅炉低氮燃烧改造企业名单什么时候确定？", 10),
    ("非道路移动机械监管的牵头单位？", 21),
    ("加油站的油气回收设施在臭氧季节要怎么查？", 34),
])
def test_bundled_index_ranks_the_right_task_first(indexed_settings: Settings, ledger_db: Database,
                                                  question: str, number: int) -> None:
    hits = open_index_for_plan(indexed_settings, ledger_db).search(question, 3)
    assert hits[0][0] == f"task:{number}"
    assert 0.0 < hits[-1][1] <= hits[0][1] <= 1.0


def test_open_index_follows_a_reindex_by_another_process(settings: Settings, db: Database,
                                                         hash_embeddings: HashEmbeddings) -> None:
    first = index(settings, db, make_plan(), hash_embeddings)
    held = open_index_for_plan(settings, db, embeddings=hash_embeddings)  # e.g. the bot's Q&A engine
    second = index(settings, db, changed_plan(), hash_embeddings)  # drops the collection `held` points at
    assert first.collection not in collections(settings)
    assert held.search("餐饮油烟治理", 1)[0][0] == "task:4"
    assert held.collection == second.collection


def test_index_without_ledger_reports_a_dropped_collection(settings: Settings, db: Database,
                                                           hash_embeddings: HashEmbeddings) -> None:
    from indexer.vectorstore import VectorIndex

    first = index(settings, db, make_plan(), hash_embeddings)
    assert first.collection
    vectors = VectorIndex(settings, first.collection, embeddings=hash_embeddings)
    assert vectors.search("扬尘", 1)
    drop_collection(settings, first.collection)
    with pytest.raises(VectorIndexMissing):
        vectors.search("扬尘", 1)

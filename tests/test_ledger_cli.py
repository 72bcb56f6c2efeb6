"""`planbot index / tasks / task` through planbot.cli.main in-process, plus one subprocess smoke test."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from indexer import ledger
from indexer import texts as idx_msg
from indexer.vectorstore import release_client
from planbot.cli import main
from planbot.db import Database
from planbot.settings import Settings

REPO = Path(__file__).resolve().parent.parent


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def on_data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Point the command line at a data dir (and away from any .env in the repo)."""
    monkeypatch.chdir(tmp_path)

    def point(data_dir: Path) -> None:
        monkeypatch.setenv("PLANBOT_DATA_DIR", str(data_dir))

    return point


def test_no_arguments_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys)
    assert code == 0 and "index" in out and "tasks" in out


def test_index_fresh_then_unchanged(capsys: pytest.CaptureFixture[str], on_data, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path / "fresh")
    on_data(settings.data_dir)
    try:
        code, out, _ = run(capsys, "index")
        assert code == 0 and "识别任务 37 项" in out and "第 1 版" in out
        for flags in (["--if-changed"], [], ["--plan", "2023"]):
            code, out, _ = run(capsys, "index", *flags)
            assert code == 0 and "未变化" in out, flags
    finally:
        release_client(settings)


def test_index_reports_the_shape_and_what_it_could_not_place(capsys: pytest.CaptureFixture[str], on_data,  # type: ignore[no-untyped-def]
                                                              tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "inline")
    on_data(settings.data_dir)
    plan = tmp_path / "inline.txt"
    text = (REPO / "tests" / "data" / "plans" / "inline-2025-plan.txt").read_text(encoding="utf-8")
    plan.write_text(text.replace("（牵头单位：市气象局；配合单位：市生态环境局）", "（市气象局牵头，市生态环境局）"),
                    encoding="utf-8")
    try:
        code, out, _ = run(capsys, "index", str(plan))
    finally:
        release_client(settings)
    assert code == 0 and "识别任务 30 项" in out
    assert idx_msg.INDEX_SHAPE.format(shape=idx_msg.PLAN_SHAPES["inline"]) in out
    assert "第 26 项任务" in out and "“市生态环境局”无法归入" in out
    assert out.count("无法归入") == 1


def test_tasks_json_has_the_ledger_fields(capsys: pytest.CaptureFixture[str], on_data,  # type: ignore[no-untyped-def]
                                          indexed_settings: Settings) -> None:
    on_data(indexed_settings.data_dir)
    code, out, _ = run(capsys, "tasks", "--json")
    tasks = json.loads(out)
    assert code == 0 and [t["number"] for t in tasks] == list(range(1, 38))
    for task in tasks:
        assert all(isinstance(task[k], list) for k in ("leaders", "lead_units", "units", "deadlines", "limits"))
        assert isinstance(task["title"], str) and isinstance(task["section"], str) and task["text"]
        for d in task["deadlines"]:
            assert d["kind"] in {"due", "start", "period", "recurring"} and d["text"]
            assert d["kind"] != "period" or "end" in d
    ten = tasks[9]
    assert (ten["leaders"], ten["lead_units"]) == (["刘鲲"], ["大气办"])
    assert [d["date"] for d in ten["deadlines"] if d["kind"] == "due"] == ["2023-04-30", "2023-10-31"]


def test_tasks_readable_and_task_card(capsys: pytest.CaptureFixture[str], on_data,  # type: ignore[no-untyped-def]
                                      indexed_settings: Settings) -> None:
    on_data(indexed_settings.data_dir)
    code, out, _ = run(capsys, "tasks")
    assert code == 0 and "共 37 项任务" in out and len(out.strip().splitlines()) == 38
    code, out, _ = run(capsys, "task", "10")
    assert code == 0
    for label, value in [("标题", "推进燃气锅炉低氮燃烧深度治理"), ("时限", "2023年10月31日前"), ("责任领导", "刘鲲"),
                         ("牵头单位", "大气办"), ("责任单位", "市生态环境保护综合执法支队"), ("指标", "30毫克/立方米")]:
        line = next(x for x in out.splitlines() if x.startswith(label + "："))
        assert value in line


@pytest.mark.parametrize(("argv", "expected"), [
    (["task", "99"], "没有第 99 项任务（共 37 项"),
    (["task", "abc"], idx_msg.TASK_USAGE),
    (["tasks", "--plan", "2099"], "没有与“2099”匹配的方案"),
    (["task", "1", "--plan", "蓝天"], "已导入：2023《"),
])
def test_friendly_errors(capsys: pytest.CaptureFixture[str], on_data, indexed_settings: Settings,  # type: ignore[no-untyped-def]
                         argv: list[str], expected: str) -> None:
    on_data(indexed_settings.data_dir)
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and expected in err


@pytest.mark.parametrize("argv", [["tasks"], ["tasks", "--json"], ["task", "1"]])
def test_no_plan_yet(capsys: pytest.CaptureFixture[str], on_data, tmp_path: Path, argv: list[str]) -> None:  # type: ignore[no-untyped-def]
    on_data(tmp_path / "empty")
    code, _, err = run(capsys, *argv)
    assert code == 2 and idx_msg.NO_PLAN in err


def test_bad_document_exits_non_zero_and_changes_nothing(capsys: pytest.CaptureFixture[str], on_data,  # type: ignore[no-untyped-def]
                                                         indexed_settings: Settings, ledger_db: Database,
                                                         tmp_path: Path) -> None:
    on_data(indexed_settings.data_dir)
    before = ledger.list_plans(ledger_db)
    (tmp_path / "empty.txt").write_text("")
    code, out, err = run(capsys, "index", str(tmp_path / "empty.txt"))
    assert code != 0 and out == "" and idx_msg.INDEX_NOTHING_CHANGED in err
    assert ledger.list_plans(ledger_db) == before


# Runs `python -m planbot index --if-changed` as `make run` does, then reports which heavy modules got imported.
SMOKE = """
import runpy, sys
sys.argv = ["planbot", "index", "--if-changed"]
try:
    runpy.run_module("planbot", run_name="__main__")
except SystemExit as done:
    heavy = sorted(m for m in ("torch", "sentence_transformers", "chromadb") if m in sys.modules)
    print("exit", done.code, "heavy", ",".join(heavy) or "none")
"""


def test_subprocess_smoke_if_changed_loads_no_model(indexed_settings: Settings, tmp_path: Path) -> None:
    env = {**os.environ, "PLANBOT_DATA_DIR": str(indexed_settings.data_dir), "HF_HUB_OFFLINE": "1",
           "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", SMOKE], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "未变化" in done.stdout and "37 项任务" in done.stdout
    assert done.stdout.strip().endswith("exit 0 heavy none")


def test_closed_output_pipe_is_not_a_crash(indexed_settings: Settings, tmp_path: Path) -> None:
    # `planbot tasks | head -1`: the reader closes the pipe before planbot writes; no traceback, SIGPIPE's code.
    env = {**os.environ, "PLANBOT_DATA_DIR": str(indexed_settings.data_dir), "HF_HUB_OFFLINE": "1",
           "PYTHONPATH": str(REPO)}
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run([sys.executable, "-m", "planbot", "tasks", "--json"], cwd=tmp_path, env=env,
                              stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=120, check=False)
    finally:
        os.close(write_end)
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr, done.stderr
    assert done.returncode == 141


@pytest.mark.parametrize(("make", "expected"), [
    (lambda d: d, "是一个文件夹，不是方案文件"),
    (lambda d: d / "missing.txt", "找不到文件"),
    (lambda d: (d / "hostname").write_text("vm\n") and d / "hostname", "没有找到编号任务"),  # a short non-plan text
    (lambda d: (d / "plan.docx").write_bytes(b"plain text renamed") and d / "plan.docx", "不是 .docx 格式"),
    (lambda d: (d / "bad.docx").write_bytes(b"PK\x05\x06" + b"\0" * 18) and d / "bad.docx", "已损坏"),
])
def test_index_errors_say_in_chinese_what_is_wrong(capsys: pytest.CaptureFixture[str], on_data, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                   make, expected: str) -> None:
    on_data(tmp_path / "data")
    folder = tmp_path / "docs"
    folder.mkdir()
    code, out, err = run(capsys, "index", str(make(folder)))
    assert code != 0 and out == "" and expected in err
    words = err.replace(str(folder), "").replace("planbot index", "")
    assert " / " not in words and not re.search(r"[A-Za-z]+[ ,.;:]+[A-Za-z]+[ ,.;:]+[A-Za-z]+", words), err  # English
    assert not re.search(r"Error|Exception|NotFound|BadZip", err), err  # no library exception names


_ARGPARSE_ENGLISH = ("usage:", "positional arguments", "options:", "show this help message", "invalid choice",
                     "error:", "the following arguments are required", "unrecognized arguments", "expected one")


@pytest.mark.parametrize(("argv", "code", "expected"), [
    ([], 0, "用法：planbot"),
    (["-h"], 0, "显示本帮助并退出"),
    (["foo"], 2, "没有“foo”这个命令。可用命令：index、tasks"),
    (["reminders"], 2, "缺少必需的参数：--on"),
    (["report", "yearly"], 2, "“yearly”无效，可选：weekly、monthly、quarterly"),
    (["tasks", "--bogus"], 2, "无法识别的参数：--bogus"),
    (["report", "weekly", "--period"], 2, "参数 --period 后面需要一个值"),
])
def test_command_line_help_and_usage_errors_are_chinese(tmp_path: Path, argv: list[str], code: int,
                                                        expected: str) -> None:
    env = {**os.environ, "PLANBOT_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "planbot", *argv], capture_output=True, text=True, cwd=tmp_path,
                          env=env, timeout=120, check=False)
    shown = done.stdout + done.stderr
    assert done.returncode == code and expected in shown, shown
    assert not [w for w in _ARGPARSE_ENGLISH if w in shown], shown


@pytest.mark.parametrize("written", ["十二", "第十二项", "12", "#12", "第12项"])
def test_task_number_is_read_as_the_chat_reads_it(capsys: pytest.CaptureFixture[str], on_data,  # type: ignore[no-untyped-def]
                                                  indexed_settings: Settings, written: str) -> None:
    on_data(indexed_settings.data_dir)
    code, expected, _ = run(capsys, "task", "12")
    assert code == 0 and "第12项" in expected.replace(" ", "")
    code, out, err = run(capsys, "task", written)
    assert code == 0 and out == expected and err == ""

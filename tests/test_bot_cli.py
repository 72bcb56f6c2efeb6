"""`planbot run` and `planbot chat` as subprocesses: start, answer, stop cleanly; clear messages on bad tokens."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from planbot.db import Database
from planbot.settings import Settings
from tests.fake_bot_api import FakeBotAPI

STAFF = 2001


def planbot_env(settings: Settings, **extra: str) -> dict[str, str]:
    """A clean environment for a planbot subprocess on `settings.data_dir`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "PLANBOT_", "WEBHOOK_"))}
    env.update(PLANBOT_DATA_DIR=str(settings.data_dir), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
               ANONYMIZED_TELEMETRY="False", LOG_LEVEL="INFO", **extra)
    return env


async def start_run(settings: Settings, cwd: Path, **extra: str) -> asyncio.subprocess.Process:
    """`planbot run` in the background (the fake server keeps serving in this loop)."""
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "planbot", "run", cwd=cwd, env=planbot_env(settings, **extra),
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)


@pytest.mark.slow
@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
async def test_run_answers_and_stops_cleanly(fake_api: FakeBotAPI, settings: Settings, plan_db: Database,
                                             tmp_path: Path, stop_signal: signal.Signals) -> None:
    proc = await start_run(settings, tmp_path, TELEGRAM_BOT_TOKEN=fake_api.token,
                           TELEGRAM_BASE_URL=fake_api.base_url, TELEGRAM_BASE_FILE_URL=fake_api.base_file_url,
                           PLANBOT_ALLOWED_USERS=str(STAFF))
    try:
        fake_api.push_message(STAFF, "/task 3")
        await fake_api.wait_for_message(STAFF, contains="第 3 项", timeout=60)
        fake_api.push_message(STAFF, "第3项任务的牵头单位是哪个？")  # the real Q&A engine, loaded at startup
        await fake_api.wait_for_message(STAFF, contains="大气办", timeout=60)
        fake_api.push_message(3001, "/task 3")
        await fake_api.wait_for_message(3001, contains="还没有使用本助手的权限", timeout=30)
        proc.send_signal(stop_signal)
        _, err = await asyncio.wait_for(proc.communicate(), timeout=30)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode == 0, err.decode()
    assert b"Traceback" not in err
    assert fake_api.token.encode() not in err  # the token never reaches the log


@pytest.mark.parametrize(("token", "expected", "code"), [
    ("not-a-token", "TELEGRAM_BOT_TOKEN 格式不对", 2),
    ("123456:wrong_but_well_formed", "Telegram 拒绝了这个 TELEGRAM_BOT_TOKEN", 2),
])
async def test_bad_token_gives_a_clear_message(fake_api: FakeBotAPI, settings: Settings, plan_db: Database,
                                               tmp_path: Path, token: str, expected: str, code: int) -> None:
    proc = await start_run(settings, tmp_path, TELEGRAM_BOT_TOKEN=token, TELEGRAM_BASE_URL=fake_api.base_url,
                           TELEGRAM_BASE_FILE_URL=fake_api.base_file_url)
    _, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    assert proc.returncode == code
    assert expected in err.decode()
    assert b"Traceback" not in err


def run_chat(settings: Settings, cwd: Path, lines: str, command: str = "chat", **extra: str) -> Any:
    """`planbot chat` (or run without a token) with `lines` on stdin."""
    return subprocess.run([sys.executable, "-m", "planbot", command], input=lines, capture_output=True, text=True,
                          cwd=cwd, env=planbot_env(settings, **extra), timeout=240, check=False)


@pytest.mark.slow
def test_console_chat_runs_the_same_commands_and_buttons(settings: Settings, plan_db: Database,
                                                         tmp_path: Path) -> None:
    done = run_chat(settings, tmp_path, "/task 3\n1\n/tasks\n1\n/whoami\n/bind 77 没有这个单位\nexit\n/whoami\n")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "第 3 项" in out and "[1] 原文  [2] 时限  [3] 责任" in out
    assert "（消息已更新）" in out and "对标应急绩效B级" in out  # button 1 (原文) was pressed
    assert "第 2/4 页" in out  # 下一页 pressed
    assert "角色：管理员" in out  # the console user is an admin
    assert "方案中没有“没有这个单位”" in out
    assert out.count("用户 ID：") == 1  # nothing after exit
    assert "<b>" not in out and "&lt;" not in out  # HTML is rendered as plain text
    assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_run_without_a_token_is_the_console_and_ctrl_d_ends_it(settings: Settings, plan_db: Database,
                                                              tmp_path: Path) -> None:
    done = run_chat(settings, tmp_path, "/help\n", command="run")
    assert done.returncode == 0, done.stderr
    assert "/bind 用户ID 名称" in done.stdout and "再见" in done.stdout
    assert "控制台" in done.stderr + done.stdout


@pytest.mark.slow
def test_chat_on_an_empty_data_dir_indexes_the_bundled_plan(settings: Settings, tmp_path: Path) -> None:
    done = run_chat(settings, tmp_path, "/task 1\n")
    assert done.returncode == 0, done.stderr
    assert "正在导入" in done.stderr
    assert "第 1 项" in done.stdout

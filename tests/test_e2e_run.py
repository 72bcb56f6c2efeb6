"""`planbot run` as a black box: a real process, a directory imported by the CLI, users talking through a fake
Bot API server, stopped by SIGTERM."""

from __future__ import annotations

import asyncio
import io
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.fake_bot_api import FakeBotAPI

pytestmark = pytest.mark.slow  # subprocesses / real servers: `make test-fast` skips this module

ADMIN, STAFF, STRANGER = 1001, 2001, 4004
AIR, EIA, JINGYANG = 3001, 3002, 3003  # 大气办, 环评科, 泾阳分局 in the directory below
DIRECTORY = "name,telegram_id,group\n大气办,3001,\n环评科,3002,\n泾阳分局,3003,\n"
NOTE = "已完成保留企业现场核查共12家"
LATE_NOTE = "审批系统升级中"
QUESTION = "第3项任务的牵头单位是哪个？"
WAIT = 60.0  # generous: the first answer may wait for the Q&A engine to load on a slow machine


def planbot_env(data_dir: Path, fake: FakeBotAPI | None = None, *, bare_urls: bool = False) -> dict[str, str]:
    """The environment a deployer would set (nothing inherited that could point elsewhere)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "PLANBOT_", "WEBHOOK_", "DATABASE_URL", "CHROMA_", "LLM_"))}
    env.update(PLANBOT_DATA_DIR=str(data_dir), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
               ANONYMIZED_TELEMETRY="False", LOG_LEVEL="INFO", PLANBOT_ADMINS=str(ADMIN),
               PLANBOT_ALLOWED_USERS=str(STAFF))
    if fake is not None:  # bare_urls: only the server's address, as a deployer might write it
        env.update(TELEGRAM_BOT_TOKEN=fake.token, TELEGRAM_BASE_URL=fake.url if bare_urls else fake.base_url,
                   TELEGRAM_BASE_FILE_URL=fake.url if bare_urls else fake.base_file_url)
    return env


def import_directory(data_dir: Path, cwd: Path) -> None:
    """`planbot directory import dir.csv`, as the office would run it before starting the bot."""
    csv = cwd / "dir.csv"
    csv.write_text(DIRECTORY, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "planbot", "directory", "import", str(csv)], cwd=cwd,
                          env=planbot_env(data_dir), capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "已绑定 3 个账号" in done.stdout


@dataclass
class Bot:
    """A running `planbot run` process and where its log goes."""

    proc: asyncio.subprocess.Process
    log: Path

    def stderr(self) -> str:
        """The process's log so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    async def stop(self) -> int:
        """SIGTERM, then the exit code."""
        self.proc.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.proc.wait(), timeout=60)


async def expect(bot: Bot, fake: FakeBotAPI, chat_id: int, **kwargs: Any) -> dict[str, Any]:
    """fake.wait_for_message, failing at once with the bot's log if the process dies meanwhile."""
    waiting = asyncio.ensure_future(fake.wait_for_message(chat_id, timeout=WAIT, **kwargs))
    exited = asyncio.ensure_future(bot.proc.wait())
    await asyncio.wait({waiting, exited}, return_when=asyncio.FIRST_COMPLETED)
    if not waiting.done():
        waiting.cancel()
        pytest.fail(f"planbot run exited ({bot.proc.returncode}) while waiting:\n{bot.stderr()[-4000:]}")
    exited.cancel()
    return waiting.result()


@pytest.fixture
async def start_bot(tmp_path: Path) -> AsyncIterator[Any]:
    """Factory: `await start_bot(data_dir, fake)` starts `planbot run`; killed after the test if still running."""
    started: list[Bot] = []

    async def start(data_dir: Path, fake: FakeBotAPI, *, bare_urls: bool = False) -> Bot:
        log = tmp_path / f"run-{len(started)}.log"
        with log.open("wb") as err:  # a file, not a pipe: a chatty log can never block the bot
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "planbot", "run", cwd=tmp_path,
                env=planbot_env(data_dir, fake, bare_urls=bare_urls), stdin=asyncio.subprocess.DEVNULL,
                stdout=err, stderr=err)
        bot = Bot(proc, log)
        started.append(bot)
        return bot

    yield start
    for bot in started:
        if bot.proc.returncode is None:
            bot.proc.kill()
            await bot.proc.wait()


@pytest.fixture
async def server() -> AsyncIterator[FakeBotAPI]:
    """The fake Bot API server."""
    fake = FakeBotAPI()
    await fake.start()
    yield fake
    await fake.stop()


def prepared(indexed_template: Path, tmp_path: Path) -> Path:
    """A copy of the session's indexed data dir with the directory imported."""
    data = tmp_path / "data"
    shutil.copytree(indexed_template, data)
    import_directory(data, tmp_path)
    return data


def text_of(message: dict[str, Any]) -> str:
    """What the user sees of a message (text or caption)."""
    return str(message.get("text") or message.get("caption") or "")


def grounded(answer: dict[str, Any]) -> bool:
    """The answer to QUESTION names the lead unit and cites task 3 (the unit is in the task, not the question)."""
    text = text_of(answer)
    return "大气办" in text and re.search(r"第\s*3\s*项", text) is not None


def status_buttons(fake: FakeBotAPI, message: dict[str, Any], code: str) -> list[str]:
    """Callback data of the round message's buttons for one status code (e.g. 'ok'), in order."""
    return [data for _, data in fake.buttons(message) if data.startswith("status:") and data.endswith(f":{code}")]


def cells(workbook_bytes: bytes) -> list[list[Any]]:
    """Every row of every sheet of a workbook."""
    wb = load_workbook(io.BytesIO(workbook_bytes))
    return [list(row) for ws in wb.worksheets for row in ws.iter_rows(values_only=True)]


async def ask_and_check_access(bot: Bot, fake: FakeBotAPI) -> None:
    """An allowed user gets a grounded answer citing the task; a stranger gets no plan content."""
    fake.push_message(STAFF, QUESTION)
    answer = await expect(bot, fake, STAFF)
    assert grounded(answer), text_of(answer)
    assert "t:3:card" in [data for _, data in fake.buttons(answer)]  # a button opens the cited task
    fake.push_message(STRANGER, QUESTION)
    refused = text_of(await expect(bot, fake, STRANGER))
    assert "/register" in refused
    fake.push_message(STRANGER, "/task 3")
    await expect(bot, fake, STRANGER, contains="/register")
    assert not [m for m in fake.messages_to(STRANGER) if "大气办" in text_of(m).replace("/register 大气办", "")]

    # The stranger registers, an admin approves with the button, and the question is answered.
    fake.push_message(STRANGER, "/register 张三")
    await expect(bot, fake, STRANGER, contains="已通知管理员")
    notice = await expect(bot, fake, ADMIN, contains=str(STRANGER))
    fake.press(ADMIN, notice, dict(fake.buttons(notice))["批准"])
    await expect(bot, fake, STRANGER, contains="已通过")
    fake.push_message(STRANGER, QUESTION)
    assert grounded(await expect(bot, fake, STRANGER))


async def task_with_buttons(bot: Bot, fake: FakeBotAPI) -> None:
    """/task N shows the card with 原文 / 时限 / 责任; a button edits it in place."""
    fake.push_message(STAFF, "/task 12")
    card = await expect(bot, fake, STAFF, contains="第 12 项")
    labels = [label for label, _ in fake.buttons(card)]
    assert labels == ["原文", "时限", "责任"]
    data = dict(fake.buttons(card))["责任"]
    mark = fake.mark()
    fake.press(STAFF, card, data)
    edited = await expect(bot, fake, STAFF, since=mark, where=lambda m: m["method"] == "editMessageText")
    assert edited["message_id"] == card["message_id"] and "牵头单位" in text_of(edited)
    assert fake.calls_of("answerCallbackQuery")  # the button stops spinning

    fake.push_message(STAFF, "/tasks")
    first = await expect(bot, fake, STAFF, contains="第 1/")
    mark = fake.mark()
    fake.press(STAFF, first, dict(fake.buttons(first))["下一页 ▶"])
    await expect(bot, fake, STAFF, since=mark, contains="第 2/")
    fake.push_message(AIR, "/mine")  # a unit bound by the directory import sees its own tasks
    assert "大气办 负责的任务" in text_of(await expect(bot, fake, AIR, contains="负责的任务"))


async def status_round(bot: Bot, fake: FakeBotAPI) -> None:
    """/weekly → request to bound units → button + note and /status text → /report → /export → /chase."""
    fake.push_message(ADMIN, "/weekly")
    sent = text_of(await expect(bot, fake, ADMIN, contains="周调度已发出"))
    assert "大气办" not in sent.split("无法送达")[-1]  # bound units are reachable
    request = await expect(bot, fake, AIR, contains="周调度")
    assert "大气办" in text_of(request)
    eia_request = await expect(bot, fake, EIA, contains="周调度")
    await expect(bot, fake, JINGYANG, contains="周调度")

    # 大气办: a button, then the note as plain text.
    air_task = int(status_buttons(fake, request, "ok")[0].split(":")[1])
    fake.press(AIR, request, f"status:{air_task}:ok")
    await expect(bot, fake, AIR, contains="已记录")
    prompt = await expect(bot, fake, AIR, where=fake.asks_reply)  # only a reply to this prompt is the note
    fake.push_message(AIR, NOTE, reply_to=prompt)
    await expect(bot, fake, AIR, contains="说明已保存")
    # 环评科: the text form; its text is the reason of 滞后, so no prompt asks for one (a /skip finds none pending).
    eia_task = int(status_buttons(fake, eia_request, "late")[0].split(":")[1])
    fake.push_message(EIA, f"/status {eia_task} 滞后 {LATE_NOTE}")
    await expect(bot, fake, EIA, contains="已记录")
    fake.push_message(EIA, "/skip")
    await expect(bot, fake, EIA, contains="当前没有待补充的说明")
    assert not [m for m in fake.outbox if m["chat"]["id"] == EIA and fake.asks_reply(m)]

    fake.push_message(ADMIN, "/report")
    report = text_of(await expect(bot, fake, ADMIN, contains="进展报告"))
    assert NOTE in report and LATE_NOTE in report

    fake.push_message(ADMIN, "/export")
    exported = await expect(bot, fake, ADMIN, where=lambda m: "document" in m)
    assert exported["document"]["file_name"].endswith(".xlsx")
    rows = cells(fake.file_bytes(exported))
    air_row = next(row for row in rows if NOTE in row)
    assert "大气办" in air_row and "按计划推进" in air_row and air_task in air_row
    eia_row = next(row for row in rows if LATE_NOTE in row)
    assert "环评科" in eia_row and "滞后" in eia_row

    fake.push_message(ADMIN, "/chase")
    await expect(bot, fake, ADMIN, contains="催报已发出")
    await expect(bot, fake, JINGYANG, contains="催报")
    chased = {m["chat"]["id"] for m in fake.outbox if "催报" in text_of(m) and m["chat"]["id"] != ADMIN}
    assert chased == {JINGYANG, AIR, EIA}  # per (task, lead unit): one answer does not excuse the other tasks

    # The timeline picture.
    fake.push_message(AIR, "/timeline")
    picture = await expect(bot, fake, AIR, where=lambda m: "photo" in m)
    assert fake.file_bytes(picture).startswith(b"\x89PNG")


async def stop_cleanly(bot: Bot, fake: FakeBotAPI) -> None:
    """SIGTERM: exit code 0, nothing logged as an error, the token never in the log."""
    code = await bot.stop()
    log = bot.stderr()
    problems = [line for line in log.splitlines() if "Traceback" in line or " ERROR " in line]
    assert code == 0 and not problems, f"exit code {code}, {problems}; the log ends:\n{log[-3000:]}"
    assert fake.token not in log  # the token never reaches the log


async def test_run_serves_users_and_the_status_round(server: FakeBotAPI, start_bot: Any, indexed_template: Path,
                                                     tmp_path: Path) -> None:
    data = prepared(indexed_template, tmp_path)
    bot = await start_bot(data, server)
    await ask_and_check_access(bot, server)
    await task_with_buttons(bot, server)
    await status_round(bot, server)
    await stop_cleanly(bot, server)

    # Restarted: nothing handled again or sent twice, the replies are still there, the round is not resent.
    mark = server.mark()
    bot = await start_bot(data, server)
    server.push_message(ADMIN, "/report")
    assert NOTE in text_of(await expect(bot, server, ADMIN, since=mark, contains="进展报告"))
    server.push_message(ADMIN, "/weekly")
    await expect(bot, server, ADMIN, since=mark, contains="周调度已发出")
    await stop_cleanly(bot, server)
    assert {m["chat"]["id"] for m in server.outbox[mark:]} == {ADMIN}
    assert len([m for m in server.outbox[mark:] if "进展报告" in text_of(m)]) == 1

    # The same table from the command line.
    out = tmp_path / "week.xlsx"
    done = subprocess.run([sys.executable, "-m", "planbot", "report", "weekly", "--out", str(out)], cwd=tmp_path,
                          env=planbot_env(data), capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert any(NOTE in row for row in cells(out.read_bytes()))


async def test_fresh_data_dir_is_indexed_at_start(server: FakeBotAPI, start_bot: Any, tmp_path: Path) -> None:
    data = tmp_path / "fresh"
    import_directory(data, tmp_path)  # before any index: names are checked against the plan file itself
    bot = await start_bot(data, server, bare_urls=True)
    server.push_message(AIR, "/whoami")
    whoami = text_of(await expect(bot, server, AIR))
    assert "大气办" in whoami
    await ask_and_check_access(bot, server)
    assert "正在导入" in bot.stderr()
    await stop_cleanly(bot, server)


async def test_stop_while_the_qa_engine_still_loads_is_clean(server: FakeBotAPI, start_bot: Any,
                                                             indexed_template: Path, tmp_path: Path) -> None:
    bot = await start_bot(prepared(indexed_template, tmp_path), server)
    server.push_message(STAFF, "/task 3")  # answered from the ledger while the Q&A engine loads in a thread
    await expect(bot, server, STAFF, contains="第 3 项")
    await stop_cleanly(bot, server)

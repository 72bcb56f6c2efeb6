"""`planbot run` with WEB_PORT/WEB_BASE_URL as a black box: a real process, the fake Bot API, an HTTP client with
cookies. The admin's /web reply holds a link under WEB_BASE_URL; it opens a board naming the lead units; a unit's
/status 2 滞后 shows there; without the link the board does not open."""

from __future__ import annotations

import asyncio
import re
import shutil
import signal
import sys
from pathlib import Path

import httpx
import pytest

from tests.fake_bot_api import FakeBotAPI
from tests.support_web import free_port
from tests.test_e2e_run import ADMIN, AIR, WAIT, Bot, expect, import_directory, planbot_env

pytestmark = pytest.mark.slow


async def test_planbot_run_serves_the_desk(indexed_template: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(indexed_template, data)
    import_directory(data, tmp_path)
    fake = await FakeBotAPI().start()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**planbot_env(data, fake), "WEB_PORT": str(port), "WEB_BASE_URL": base}
    log = tmp_path / "run.log"
    with log.open("wb") as err:
        proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "planbot", "run", cwd=tmp_path, env=env,
                                                    stdin=asyncio.subprocess.DEVNULL, stdout=err, stderr=err)
    bot = Bot(proc, log)
    try:
        fake.push_message(ADMIN, "/web")
        reply = await expect(bot, fake, ADMIN, contains="督查台链接")
        found = re.search(re.escape(base) + r"/\S+", reply["text"])
        assert found is not None, reply["text"]
        assert f"网页督查台已启动：{base}" in bot.stderr()  # what `make run` shows
        async with httpx.AsyncClient(follow_redirects=True, timeout=WAIT) as stranger:
            assert (await stranger.get(f"{base}/board")).status_code == 403
        async with httpx.AsyncClient(follow_redirects=True, timeout=WAIT) as browser:
            board = await browser.get(found.group(0))
            assert board.status_code == 200 and "大气办" in board.text and "环评科" in board.text
            assert "滞后 1" not in board.text
            fake.push_message(AIR, "/status 2 滞后 审批系统升级中")
            await expect(bot, fake, AIR, contains="已记录")
            board = await browser.get(f"{base}/board")
            assert "滞后 1" in board.text and "审批系统升级中" in board.text
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), timeout=60) == 0, bot.stderr()[-3000:]
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await fake.stop()

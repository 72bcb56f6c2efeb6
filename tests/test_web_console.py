"""The console chat (`planbot run` without a token) serves the desk as `planbot run` does when WEB_PORT is set."""

from __future__ import annotations

import argparse
import queue
import re
import threading
from collections.abc import Iterator

import httpx
import pytest

from bot.cli import chat
from planbot.db import Database
from planbot.settings import Settings
from tests.support_web import free_port

WAIT = 60.0


class Lines:
    """Console input typed one line at a time by the test (iterating blocks until the next line)."""

    def __init__(self) -> None:
        self.lines: queue.Queue[str | None] = queue.Queue()

    def type(self, line: str | None) -> None:
        self.lines.put(line if line is None else line + "\n")

    def __iter__(self) -> Iterator[str]:
        while (line := self.lines.get()) is not None:
            yield line


class Screen:
    """Console output the test can wait on."""

    def __init__(self) -> None:
        self.text, self.changed = "", threading.Condition()

    def write(self, text: str) -> int:
        with self.changed:
            self.text += text
            self.changed.notify_all()
        return len(text)

    def flush(self) -> None:
        """Nothing buffered."""

    def wait_for(self, pattern: str) -> re.Match[str]:
        with self.changed:
            assert self.changed.wait_for(lambda: re.search(pattern, self.text) is not None, timeout=WAIT), self.text
            found = re.search(pattern, self.text)
            assert found is not None
            return found


def test_console_with_web_port_serves_the_desk_and_web_gives_a_working_link(
        settings: Settings, plan_db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    settings = settings.with_(web_port=port)  # no WEB_BASE_URL: links use the local address
    lines, screen = Lines(), Screen()
    codes: list[int] = []
    runner = threading.Thread(target=lambda: codes.append(
        chat(argparse.Namespace(plan=None), settings, input=lines, output=screen)))
    runner.start()
    try:
        lines.type("/web")
        link = screen.wait_for(re.escape(base) + r"/\S+").group(0)
        assert "未开启" not in screen.text
        with httpx.Client(follow_redirects=True, timeout=WAIT) as stranger:
            assert stranger.get(f"{base}/board").status_code == 403
        with httpx.Client(follow_redirects=True, timeout=WAIT) as browser:
            board = browser.get(link)
            assert board.status_code == 200 and "按牵头单位计" in board.text
            assert browser.get(f"{base}/board").status_code == 200  # the session cookie was kept
    finally:
        lines.type("exit")
        lines.type(None)
        runner.join(WAIT)
    assert not runner.is_alive() and codes == [0]
    assert f"网页督查台已启动：{base}" in capsys.readouterr().err  # the local address is printed


def test_console_without_web_port_says_how_to_turn_the_desk_on(settings: Settings, plan_db: Database) -> None:
    lines, screen = Lines(), Screen()
    lines.type("/web")
    lines.type(None)
    assert chat(argparse.Namespace(plan=None), settings, input=lines, output=screen) == 0
    assert "网页督查台未开启" in screen.text and "WEB_PORT" in screen.text

"""Web desk fixtures: `desk_bot(settings)` starts the real bot and its desk (uvicorn on a free 127.0.0.1 port) as
`planbot run` does with WEB_PORT, against `fake_api`, with 大气办 (3001) and 环评科 (3002) bound; stopped after the
test. `desk_settings(settings, webhook=False)` gives WEB_PORT/WEB_BASE_URL (and WEBHOOK_URL on the desk)."""

from __future__ import annotations

import re
import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.app import build_application, stop_application
from planbot.clock import FrozenClock
from planbot.db import Database
from planbot.settings import Settings
from tests.fake_bot_api import FakeBotAPI
from tests.support_bot import point_at
from tests.support_supervision import bind_units
from web.server import start_bot, start_desk, stop_desk

AIR, EIA = 3001, 3002
SECRET = "s3cret-Token_42"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def desk_settings(settings: Settings, *, webhook: bool = False) -> Settings:
    """Settings with the desk on a free port (and Telegram's webhook on the desk when `webhook`)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    extra: dict[str, Any] = {}
    if webhook:
        extra = {"webhook_url": f"{base}/tg-hook", "webhook_secret": SECRET}
    return settings.with_(web_port=port, web_base_url=base, **extra)


@pytest.fixture
async def desk_bot(fake_api: FakeBotAPI, sv_db: Database, sv_clock: FrozenClock
                   ) -> AsyncIterator[Any]:
    """Factory: the bot and its desk started as `planbot run` starts them with WEB_PORT; stopped after the test."""
    started: list[tuple[Any, Any, Any]] = []

    async def start(settings: Settings) -> Settings:
        settings = point_at(settings, fake_api)
        bind_units(sv_db, {AIR: "大气办", EIA: "环评科"})
        app = build_application(settings, clock=sv_clock, db=sv_db, preload_qa=False)
        await start_bot(app, settings)
        server, task = await start_desk(app, settings)
        started.append((app, server, task))
        return settings

    yield start
    for app, server, task in reversed(started):
        await stop_desk(server, task)
        await stop_application(app)


def link_in(text: str, base: str) -> str:
    """The first link under `base` in a message's text."""
    found = re.search(re.escape(base) + r"/\S+", text)
    assert found is not None, text
    return found.group(0)

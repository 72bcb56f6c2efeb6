"""Where the bot reaches the Bot API (base URLs) and webhook mode: its URL registered with the secret token."""

from __future__ import annotations

import socket
from typing import Any

import aiohttp
import pytest

from bot.app import api_base
from planbot.db import Database
from planbot.settings import Settings
from tests.fake_bot_api import FakeBotAPI

STAFF = 2001
SECRET = "s3cret-Token_42"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
async def webhook_bot(running_bot: Any, settings: Settings, plan_db: Database) -> Settings:
    """The bot in webhook mode on a free local port; returns its settings."""
    port = free_port()
    hooked = settings.with_(webhook_url=f"http://127.0.0.1:{port}/tg-hook", webhook_listen="127.0.0.1",
                            webhook_port=port, webhook_secret=SECRET)
    await running_bot(hooked, db=plan_db)
    return hooked


async def test_webhook_is_registered_with_the_secret(webhook_bot: Settings, fake_api: FakeBotAPI) -> None:
    call = await fake_api.wait_for_call("setWebhook")
    assert call.params["url"] == webhook_bot.webhook_url
    assert call.params["secret_token"] == SECRET
    assert fake_api.calls_of("getUpdates") == []


async def test_updates_with_the_secret_are_handled(webhook_bot: Settings, fake_api: FakeBotAPI) -> None:
    fake_api.push_message(STAFF, "/task 3")  # the fake POSTs it to the webhook with the secret header
    await fake_api.wait_for_message(STAFF, contains="第 3 项")
    assert fake_api.webhook_posts == [200]


@pytest.mark.parametrize("headers", [{}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}])
async def test_updates_without_the_secret_are_refused(webhook_bot: Settings, fake_api: FakeBotAPI,
                                                      headers: dict[str, str]) -> None:
    update = {"update_id": 99, "message": {
        "message_id": 1, "date": 0, "chat": {"id": STAFF, "type": "private"},
        "from": {"id": STAFF, "is_bot": False, "first_name": "x"}, "text": "/task 3",
        "entities": [{"type": "bot_command", "offset": 0, "length": 5}]}}
    assert webhook_bot.webhook_url is not None
    async with aiohttp.ClientSession() as session, session.post(webhook_bot.webhook_url, json=update,
                                                                headers=headers) as resp:
        assert resp.status == 403
    # The same update with the secret is answered, and the refused one never was.
    async with aiohttp.ClientSession() as session, session.post(
            webhook_bot.webhook_url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as resp:
        assert resp.status == 200
    await fake_api.wait_for_message(STAFF, contains="第 3 项")
    assert len(fake_api.messages_to(STAFF)) == 1


@pytest.mark.parametrize(("url", "path", "expected"), [
    ("https://api.telegram.org/bot", "/bot", "https://api.telegram.org/bot"),
    ("http://127.0.0.1:8081", "/bot", "http://127.0.0.1:8081/bot"),
    ("http://127.0.0.1:8081/", "/file/bot", "http://127.0.0.1:8081/file/bot"),
    ("http://127.0.0.1:8081/bot/", "/bot", "http://127.0.0.1:8081/bot"),
    ("http://127.0.0.1:8081/custom/", "/bot", "http://127.0.0.1:8081/custom/"),  # someone else's layout: kept
    ("http://h/bot{token}/x", "/bot", "http://h/bot{token}/x"),
])
def test_base_urls(url: str, path: str, expected: str) -> None:
    assert api_base(url, path) == expected

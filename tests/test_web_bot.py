"""The desk beside the real bot (fake Bot API, uvicorn on 127.0.0.1): /web links, /status on the board, the round
message's fill-in link, and Telegram's updates through the desk's webhook route."""

from __future__ import annotations

import re
from typing import Any

import httpx

from planbot.settings import Settings
from tests.fake_bot_api import FakeBotAPI
from tests.support_supervision import ADMIN
from tests.support_web import AIR, EIA, SECRET, desk_settings, link_in


def task_row(html: str, number: int) -> str:
    """The board's table row of one task."""
    rows = re.findall(r'<tr>\s*<td class="num">(\d+)</td>(.*?)</tr>', html, flags=re.S)
    return next(body for n, body in rows if int(n) == number)


async def test_web_link_board_and_a_status_by_chat(desk_bot: Any, sv_settings: Settings,
                                                   fake_api: FakeBotAPI) -> None:
    settings = await desk_bot(desk_settings(sv_settings))
    base = settings.web_public_url
    assert base is not None
    async with httpx.AsyncClient() as stranger:
        assert (await stranger.get(f"{base}/board")).status_code == 403
    fake_api.push_message(ADMIN, "/web")
    reply = await fake_api.wait_for_message(ADMIN, contains="督查台链接")
    link = link_in(reply["text"], base)
    async with httpx.AsyncClient(follow_redirects=True) as browser:
        board = await browser.get(link)
        assert board.status_code == 200 and str(board.url) == f"{base}/board"
        assert "大气办" in task_row(board.text, 2) and "滞后" not in task_row(board.text, 2)
        fake_api.push_message(AIR, "/status 2 滞后 审批系统升级中")
        await fake_api.wait_for_message(AIR, contains="已记录")
        board = await browser.get(f"{base}/board")
        assert "滞后" in task_row(board.text, 2) and "审批系统升级中" in task_row(board.text, 2)
        # /web revoke: the open session ends with the links.
        fake_api.push_message(ADMIN, "/web revoke")
        await fake_api.wait_for_message(ADMIN, contains="已作废")
        assert (await browser.get(f"{base}/board")).status_code == 403
        assert (await browser.get(link)).status_code == 403


async def test_the_round_message_carries_the_units_fill_in_link(desk_bot: Any, sv_settings: Settings,
                                                                fake_api: FakeBotAPI) -> None:
    settings = await desk_bot(desk_settings(sv_settings))
    base = settings.web_public_url
    assert base is not None
    fake_api.push_message(ADMIN, "/weekly")
    request = await fake_api.wait_for_message(AIR, contains="周调度")
    link = link_in(request["text"], base)
    eia_link = link_in((await fake_api.wait_for_message(EIA, contains="周调度"))["text"], base)
    assert link != eia_link and "/fill/" in link
    async with httpx.AsyncClient(follow_redirects=True) as browser:
        form = await browser.get(link)
        assert form.status_code == 200 and "大气办" in form.text
        token = re.search(r'name="csrf" value="([^"]+)"', form.text)
        assert token is not None
        saved = await browser.post(f"{base}/fill", data={"csrf": token.group(1), "status-2": "help",
                                                          "note-2": "需市里协调资金"})
        assert "已保存 1 项" in saved.text
    fake_api.push_message(ADMIN, "/report")
    report = await fake_api.wait_for_message(ADMIN, contains="需协调")
    assert "需市里协调资金" in report["text"]


async def test_the_desk_takes_telegrams_webhook(desk_bot: Any, sv_settings: Settings,
                                                fake_api: FakeBotAPI) -> None:
    settings = await desk_bot(desk_settings(sv_settings, webhook=True))
    call = await fake_api.wait_for_call("setWebhook")
    assert call.params["url"] == settings.webhook_url and call.params["secret_token"] == SECRET
    fake_api.push_message(ADMIN, "/web")  # the fake POSTs it to the desk with the secret header
    await fake_api.wait_for_message(ADMIN, contains="督查台链接")
    assert fake_api.webhook_posts == [200] and fake_api.calls_of("getUpdates") == []
    assert settings.webhook_url is not None
    async with httpx.AsyncClient() as client:
        refused = await client.post(settings.webhook_url, json={"update_id": 5},
                                    headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"})
        assert refused.status_code == 403
        assert (await client.get(f"{settings.web_public_url}/healthz")).text == "ok"


async def test_web_without_the_desk_says_how_to_turn_it_on(running_bot: Any, sv_settings: Settings, sv_db: Any,
                                                            fake_api: FakeBotAPI) -> None:
    await running_bot(sv_settings, db=sv_db)
    fake_api.push_message(ADMIN, "/web")
    reply = await fake_api.wait_for_message(ADMIN, contains="WEB_PORT")
    assert "http" not in reply["text"]
    fake_api.push_message(2001, "/web")  # staff, not an admin
    refused = await fake_api.wait_for_message(2001)
    assert "督查台链接" not in refused["text"]

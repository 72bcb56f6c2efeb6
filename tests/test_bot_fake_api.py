"""The fake Bot API server behaves like Telegram where tests rely on it (PTB's own Bot as the client)."""

from __future__ import annotations

import pytest
from telegram import Bot
from telegram.error import BadRequest, InvalidToken

from tests.fake_bot_api import FakeBotAPI


def client(fake: FakeBotAPI, token: str | None = None) -> Bot:
    return Bot(token or fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url)


async def test_files_go_both_ways(fake_api: FakeBotAPI) -> None:
    upload = fake_api.push_document(2001, "进度.xlsx", b"PK-xlsx", caption="十月进度")
    async with client(fake_api) as bot:
        [update] = await bot.get_updates(timeout=1)
        assert update.message is not None and update.message.caption == "十月进度"
        file = await bot.get_file(upload["document"]["file_id"])
        assert bytes(await file.download_as_bytearray()) == b"PK-xlsx"
        sent = await bot.send_document(2001, document=b"report", filename="月报.docx", caption="<b>月报</b>",
                                       parse_mode="HTML")
    message = fake_api.outbox[-1]
    assert fake_api.file_bytes(message) == b"report" and message["caption"] == "月报"
    assert sent.document is not None and sent.document.file_name == "月报.docx"


@pytest.mark.parametrize("text", ["a < b", "a & b", "<b>x", "<blink>x</blink>", "x" * 4097])
async def test_what_telegram_refuses_is_refused(fake_api: FakeBotAPI, text: str) -> None:
    async with client(fake_api) as bot:
        with pytest.raises(BadRequest):
            await bot.send_message(2001, text, parse_mode="HTML")
    assert fake_api.outbox == []


async def test_a_wrong_token_is_unauthorised(fake_api: FakeBotAPI) -> None:
    with pytest.raises(InvalidToken):
        async with client(fake_api, "999:wrong"):
            pass


async def test_long_poll_returns_when_an_update_arrives_and_offsets_confirm(fake_api: FakeBotAPI) -> None:
    async with client(fake_api) as bot:
        fake_api.push_message(2001, "一")
        [first] = await bot.get_updates(timeout=5)
        fake_api.push_message(2001, "二")
        [second] = await bot.get_updates(offset=first.update_id + 1, timeout=5)
        assert second.message is not None and second.message.text == "二"
        assert await bot.get_updates(offset=second.update_id + 1, timeout=0) == ()


async def test_commands_carry_their_entity_as_telegram_sends_them(fake_api: FakeBotAPI) -> None:
    async with client(fake_api) as bot:
        fake_api.push_message(2001, "/task@planbot_test_bot 12")
        fake_api.push_message(2001, "/中文")
        first, second = await bot.get_updates(timeout=5)
    assert first.message is not None and second.message is not None
    assert first.message.parse_entities(["bot_command"]).popitem()[1] == "/task@planbot_test_bot"
    assert second.message.entities == ()  # Telegram marks only Latin command names

"""bot.tolerant: answers of Bot API servers other than Telegram's, rewritten before python-telegram-bot sees them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from telegram import Message, Update

from bot.tolerant import polled_empty_at_once, tolerate

URL = "http://127.0.0.1:1/bot123:abc/"
NOT_FOUND = json.dumps({"ok": False, "error_code": 404, "description": "Not Found"}).encode()
OK_FALSE = json.dumps({"ok": False, "description": "not implemented"}).encode()


SENT = b'{"ok":true,"result":{"message_id":1,"date":1,"chat":{"id":7,"type":"private"},"text":"hi"}}'


def body(payload: bytes) -> Any:
    """The JSON of an answer."""
    return json.loads(payload)


@pytest.mark.parametrize(("method", "code", "payload", "expected_code", "expected"), [
    # Telegram's own answers pass unchanged.
    ("sendMessage", 200, SENT, 200, body(SENT)),
    ("sendMessage", 400, b'{"ok":false,"error_code":400,"description":"Bad Request"}', 400, None),
    ("deleteWebhook", 401, b'{"ok":false,"error_code":401,"description":"Unauthorized"}', 401, None),
    ("deleteWebhook", 429, b'{"ok":false,"error_code":429,"parameters":{"retry_after":1}}', 429, None),
    # Optional calls the server lacks count as done.
    ("deleteWebhook", 404, NOT_FOUND, 200, {"ok": True, "result": True}),
    ("deleteWebhook", 404, b"<html>404</html>", 200, {"ok": True, "result": True}),
    ("setMyCommands", 200, OK_FALSE, 200, {"ok": True, "result": True}),
    ("getMyCommands", 404, NOT_FOUND, 200, {"ok": True, "result": []}),
    # A refusal sent with HTTP 200 is an error; a success without a result is True.
    ("sendPhoto", 200, OK_FALSE, 400, None),
    ("setWebhook", 200, b'{"ok": true}', 200, {"ok": True, "result": True}),
])
def test_answers(method: str, code: int, payload: bytes, expected_code: int, expected: Any) -> None:
    got_code, got = tolerate(URL + method, code, payload)
    assert got_code == expected_code
    if expected is None:
        assert got == payload
    else:
        assert body(got) == expected


def test_updates_are_completed_or_skipped_never_blocking() -> None:
    user = {"id": 7}
    updates = [
        {"update_id": 1, "message": {"message_id": 1, "from": user, "text": "/start"}},  # no date, no chat
        {"update_id": 2, "callback_query": {"id": "q", "from": user, "data": "t:1:text",
                                            "message": {"message_id": 5, "chat": {"id": 7}, "date": 0}}},
        {"update_id": 3, "message": {"message_id": 2, "date": 1, "chat": "broken", "from": user}},
        {"no_update_id": True},
    ]
    payload = json.dumps({"ok": True, "result": updates}).encode()
    code, got = tolerate(URL + "getUpdates", 200, payload)
    result = body(got)["result"]
    assert code == 200 and [u["update_id"] for u in result] == [1, 2, 3]
    parsed = [Update.de_json(u, None) for u in result]
    assert parsed[0].message is not None and parsed[0].message.chat.id == 7 and parsed[0].message.chat.type == "private"
    assert parsed[1].callback_query is not None and parsed[1].callback_query.chat_instance == "7"
    assert isinstance(parsed[1].callback_query.message, Message)  # date 0 would make it inaccessible
    assert parsed[2].effective_message is None  # unreadable: kept only so the offset moves past it


def test_complete_updates_pass_unchanged() -> None:
    update = {"update_id": 1, "message": {"message_id": 1, "date": 1, "chat": {"id": 7, "type": "private"},
                                          "from": {"id": 7, "is_bot": False, "first_name": "a"}, "text": "hi"}}
    payload = json.dumps({"ok": True, "result": [update]}).encode()
    assert tolerate(URL + "getUpdates", 200, payload) == (200, payload)


@pytest.mark.parametrize(("url", "timeout", "payload", "elapsed", "expected"), [
    (URL + "getUpdates", 10, b'{"ok":true,"result":[]}', 0.01, True),  # empty at once: no long polling
    (URL + "getUpdates", 10, b'{"ok":true,"result":[]}', 9.9, False),  # a real long poll that timed out
    (URL + "getUpdates", 10, b'{"ok":true,"result":[{"update_id":1}]}', 0.01, False),
    (URL + "getUpdates", 0, b'{"ok":true,"result":[]}', 0.01, False),  # no long poll was asked for
    (URL + "sendMessage", 10, b'{"ok":true,"result":[]}', 0.01, False),
])
def test_polled_empty_at_once(url: str, timeout: int, payload: bytes, elapsed: float, expected: bool) -> None:
    assert polled_empty_at_once(url, timeout, 200, payload, elapsed) is expected


@pytest.mark.parametrize(("url", "path", "expected"), [
    ("https://api.telegram.org/bot", "/bot", "https://api.telegram.org/bot"),
    ("http://127.0.0.1:8081", "/bot", "http://127.0.0.1:8081/bot"),
    ("http://127.0.0.1:8081/", "/file/bot", "http://127.0.0.1:8081/file/bot"),
    ("http://127.0.0.1:8081/bot/", "/bot", "http://127.0.0.1:8081/bot"),
    ("http://127.0.0.1:8081/custom/", "/bot", "http://127.0.0.1:8081/custom/"),  # someone else's layout: kept
    ("http://h/bot{token}/x", "/bot", "http://h/bot{token}/x"),
])
def test_base_urls(url: str, path: str, expected: str) -> None:
    from bot.app import api_base

    assert api_base(url, path) == expected


@pytest.mark.parametrize(("result", "chat_id"), [
    ({"message_id": 5}, 7),  # a bare result: date and chat filled in from the request
    ({"message_id": 5, "chat": {"id": 7}}, "7"),  # a chat without its type
    ({"message_id": 5, "date": 1, "chat": {"id": 7, "type": "private"}, "text": "hi"}, 7),  # complete already
])
def test_sent_messages_are_completed(result: dict[str, Any], chat_id: Any) -> None:
    code, got = tolerate(URL + "sendMessage", 200, json.dumps({"ok": True, "result": result}).encode(), chat_id)
    message = Message.de_json(body(got)["result"], None)
    assert code == 200 and message.message_id == 5 and message.chat.id == 7 and message.chat.type == "private"

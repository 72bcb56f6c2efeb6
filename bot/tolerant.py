"""Answers of Bot API servers other than Telegram's, made safe for python-telegram-bot.

Self-hosted servers and stand-ins implement what a bot needs and may differ from Telegram at the edges:
an unimplemented method answered with 404 (which python-telegram-bot reads as a rejected token and which,
for deleteWebhook, would stop `planbot run` at start-up) or with HTTP 200 {"ok": false}; a success without
"result"; an update missing a field Telegram always sends (one unparsable update would stop polling for
good). `tolerate` rewrites such an answer before the library sees it; Telegram's own answers pass unchanged.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

log = logging.getLogger(__name__)

# Calls the bot can do without: when the server refuses or lacks them, carry on as if they had worked.
OPTIONAL_METHODS: dict[str, Any] = {"deletewebhook": True, "setmycommands": True, "deletemycommands": True,
                                    "getmycommands": [], "setchatmenubutton": True, "sendchataction": True,
                                    "answercallbackquery": True}
NOT_IMPLEMENTED = {400, 403, 404, 405, 501}  # not 401 (bad token), 409 (webhook conflict), 429 or other 5xx
MESSAGE_KEYS = ("message", "edited_message", "channel_post", "edited_channel_post", "business_message",
                "edited_business_message")
_warned: set[str] = set()


def _warn_once(method: str, detail: str) -> None:
    if method not in _warned:
        _warned.add(method)
        log.warning("the Bot API server refused %s (%s); carrying on without it", method, detail)


def tolerate(url: str, code: int, payload: bytes, chat_id: Any = None) -> tuple[int, bytes]:
    """The (status, body) python-telegram-bot should see for this answer to `url` (`chat_id`: the request's)."""
    method = url.rsplit("/", 1)[-1].lower()
    is_updates = method == "getupdates"
    sends = method.startswith(("send", "edit", "forward", "copy"))  # answered with the Message sent
    complete = b'"result"' in payload and (not sends or (b'"date"' in payload and b'"chat"' in payload))
    if 200 <= code < 300 and not is_updates and complete:
        return code, payload  # the usual success: nothing to check
    try:
        body = json.loads(payload.decode("utf-8", "replace"))
    except ValueError:
        body = None
    if not isinstance(body, dict):
        if method in OPTIONAL_METHODS and code in NOT_IMPLEMENTED:
            _warn_once(method, f"HTTP {code}")
            return 200, json.dumps({"ok": True, "result": OPTIONAL_METHODS[method]}).encode()
        return code, payload
    if 200 <= code < 300 and body.get("ok") is False:
        code = int(body.get("error_code") or 400)  # an error, whatever the HTTP status said
    if method in OPTIONAL_METHODS and code in NOT_IMPLEMENTED:
        _warn_once(method, str(body.get("description") or f"HTTP {code}"))
        return 200, json.dumps({"ok": True, "result": OPTIONAL_METHODS[method]}).encode()
    if not 200 <= code < 300:
        return code, payload  # the library reads the description from the body
    changed = "result" not in body
    body.setdefault("result", True)
    if is_updates and isinstance(body["result"], list):
        updates, fixed = _repair_updates(body["result"])
        if fixed:
            body["result"], changed = updates, True
    if sends and isinstance(body["result"], dict) and "message_id" in body["result"]:
        changed |= _repair_message(body["result"], chat_id)
    return code, (json.dumps(body).encode() if changed else payload)


def polled_empty_at_once(url: str, timeout: Any, code: int, payload: bytes, elapsed: float) -> bool:
    """Whether a long poll (`timeout` seconds asked) came back empty at once: the server does not long-poll."""
    if not url.endswith("/getUpdates") or not 200 <= code < 300 or not isinstance(timeout, int | float):
        return False
    if timeout < 1 or elapsed >= min(1.0, timeout / 2):
        return False
    try:
        return json.loads(payload).get("result") == []
    except (ValueError, AttributeError):
        return False


def _repair_updates(updates: list[Any]) -> tuple[list[Any], bool]:
    """Updates with missing required fields filled in; one still unparsable becomes a bare update id."""
    from telegram import Update

    out: list[Any] = []
    changed = False
    for raw in updates:
        if not isinstance(raw, dict) or "update_id" not in raw:
            changed = True  # nothing to acknowledge it by; dropping it cannot stall the offset
            continue
        update = raw
        changed |= _repair_update(update)
        try:
            Update.de_json(update, None)
        except Exception as exc:  # the library raises TypeError/KeyError/ValueError on malformed data
            log.warning("update %s cannot be read and is skipped: %r", update.get("update_id"), exc)
            update, changed = {"update_id": update["update_id"]}, True
        out.append(update)
    return out, changed


def _repair_update(update: dict[str, Any]) -> bool:
    """Fill in what Telegram always sends; True when anything was added."""
    changed = False
    for key in MESSAGE_KEYS:
        if isinstance(update.get(key), dict):
            changed |= _repair_message(update[key])
    query = update.get("callback_query")
    if isinstance(query, dict):
        changed |= _repair_user(query.get("from"))
        message = query.get("message")
        if isinstance(message, dict):
            changed |= _repair_message(message)
            if message.get("date") == 0 and "chat" in message:
                # Date 0 marks a message Telegram no longer shows the bot; stand-in servers send it as a
                # placeholder. Read as an ordinary message, the bot can still try to edit it by chat and id.
                message["date"] = int(time.time())
                changed = True
        if "chat_instance" not in query:
            chat = message.get("chat") if isinstance(message, dict) else None
            query["chat_instance"] = str(chat.get("id", "")) if isinstance(chat, dict) else ""
            changed = True
    return changed


def _repair_message(message: dict[str, Any], chat_id: Any = None) -> bool:
    """Fill in a message's date and chat (the chat the bot sent to, else the sender's private chat)."""
    changed = _repair_user(message.get("from"))
    if "date" not in message:
        message["date"] = int(time.time())
        changed = True
    sender = message.get("from")
    if "chat" not in message and str(chat_id).lstrip("-").isdigit():
        message["chat"] = {"id": int(chat_id)}
        changed = True
    elif "chat" not in message and isinstance(sender, dict) and "id" in sender:
        message["chat"] = {"id": sender["id"], "type": "private"}  # a user's message without a chat: their DM
        changed = True
    chat = message.get("chat")
    if isinstance(chat, dict) and "type" not in chat and isinstance(chat.get("id"), int):
        chat["type"] = "private" if chat["id"] > 0 else "group"
        changed = True
    return changed


def _repair_user(user: Any) -> bool:
    if not isinstance(user, dict):
        return False
    changed = False
    for key, default in (("is_bot", False), ("first_name", "")):
        if key not in user:
            user[key] = default
            changed = True
    return changed

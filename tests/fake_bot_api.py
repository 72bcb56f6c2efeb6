"""A fake Telegram Bot API server (aiohttp, 127.0.0.1, random port) for end-to-end tests.

The real python-telegram-bot `Application` talks to it over HTTP through `base_url`/`base_file_url`:

    fake = FakeBotAPI()
    await fake.start()
    settings = settings.with_(telegram_bot_token=fake.token, telegram_base_url=fake.base_url,
                              telegram_base_file_url=fake.base_file_url)
    ...  # start the bot (see tests/support_bot.py: fixtures `fake_api`, `running_bot`)
    fake.push_message(2001, "/task 12")                       # a user writes in a private chat
    reply = await fake.wait_for_message(2001, contains="严格")  # what the bot sent (text as the user sees it)
    fake.press(2001, reply, "task:12:text")                   # the user presses an inline button
    fake.fail_next("sendMessage", status=429, retry_after=1)  # script a RetryAfter (or status=500, network=True)
    fake.fail_next("sendMessage", deliver=True, times=9)     # delivered, then the connection drops
    fake.fail_next("sendMessage", delay=2)                    # delivered, answered after 2 s
    await fake.refuse_connections(); ...; await fake.accept_connections()  # an outage: connection refused
    fake.heal()                                                # forget scripted failures
    await fake.stop()

What it checks like Telegram does (so tests can fail): the token in /bot<TOKEN>/<method> (401 otherwise), HTML
parse mode (unknown or unbalanced tags, a bare `<` or `&` -> 400 "can't parse entities"), text longer than 4096
characters after entity parsing (400), callback data longer than 64 bytes (400). Every call is recorded in
`fake.calls`; every message the bot sent or edited is in `fake.outbox` (dicts as Telegram returns them, plus
"raw_text" = the text as the bot sent it, "method" and "sent_at" = time.monotonic()). Files sent with
sendDocument/sendPhoto keep their bytes:
`fake.files[file_id]` and `message["document"]["file_id"]`; `fake.file_bytes(message)` returns them.
Users can upload files too: `fake.push_document(user_id, "进度.xlsx", data)` (served by getFile + download).

When the bot has called setWebhook, pushed updates are POSTed to the webhook URL (with the secret header)
instead of being queued for getUpdates.

Payloads are complete as Telegram sends them (commands carry their `bot_command` entity, getUpdates long-polls),
and a method the fake does not implement is answered 404 Not Found, as Telegram answers an unknown method: a
call the bot makes that is missing here fails the test instead of passing silently.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import aiohttp
from aiohttp import web

# Kept in the outbox for tests, never sent to the bot (sent_markup: a ForceReply or reply keyboard as sent, which
# Telegram never returns in a Message: only inline keyboards come back as reply_markup).
_PRIVATE_KEYS = {"raw_text", "method", "sent_at", "sent_markup"}
MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
# Methods answered with True (lower case); the others the fake implements are handled in _answer.
TRUE_METHODS = {"answercallbackquery", "sendchataction", "deletemycommands", "setchatmenubutton", "close", "logout"}
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "tg-spoiler",
                "span", "blockquote", "tg-emoji"}
# Parameters that Bot API clients send as plain strings (never JSON-decoded).
STRING_PARAMS = {"text", "caption", "parse_mode", "callback_query_id", "url", "secret_token", "file_id", "data",
                 "inline_message_id", "allowed_updates_raw", "language_code", "scope_raw", "description",
                 "short_description", "name", "title", "question", "explanation", "emoji", "sticker",
                 "message_thread_id_raw", "business_connection_id", "cache_time_raw", "ip_address"}


class _Telegram(Exception):
    """An error answer of the Bot API."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.retry_after = code, description, retry_after


class _HTMLCheck(HTMLParser):
    """Telegram's HTML subset: known tags, balanced; collects the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.out: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            raise _Telegram(400, f"Bad Request: can't parse entities: unsupported start tag \"{tag}\"")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            raise _Telegram(400, f"Bad Request: can't parse entities: unexpected end tag \"{tag}\"")
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.out.append(data)


_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")


def parse_html(text: str) -> str:
    """The visible text of an HTML-mode message, or _Telegram(400) where Telegram would refuse it."""
    # Telegram refuses a bare '&' (not starting an entity) and a '<' that does not start a tag.
    for m in re.finditer(r"&", text):
        if not _ENTITY.match(text, m.start()):
            raise _Telegram(400, f"Bad Request: can't parse entities: bare '&' at byte offset {m.start()}")
    for m in re.finditer(r"<", text):
        if not re.match(r"</?[a-zA-Z][a-zA-Z0-9-]*(\s[^<>]*)?>", text[m.start():]):
            raise _Telegram(400, f"Bad Request: can't parse entities: unexpected '<' at offset {m.start()}")
    checker = _HTMLCheck()
    checker.feed(text)
    checker.close()
    if checker.stack:
        raise _Telegram(400, f"Bad Request: can't parse entities: unclosed tag \"{checker.stack[-1]}\"")
    return "".join(checker.out)


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, as Telegram counts entity offsets."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class Call:
    """One request the bot made."""

    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)


@dataclass
class _Failure:
    """A scripted failure for the next call(s) of a method."""

    method: str
    status: int
    retry_after: int | None
    description: str
    network: bool
    times: int
    deliver: bool = False  # handle the call (the message arrives), then drop the connection
    chat_id: int | None = None  # only calls to this chat
    delay: float = 0.0  # answer (and deliver) only after this many seconds


class FakeBotAPI:
    """The fake server; see the module docstring."""

    def __init__(self, token: str = "123456:TEST-token_abcdefghijklmnopqrstuvwxyz", *, bot_id: int = 123456,
                 username: str = "planbot_test_bot") -> None:
        self.token = token
        self.bot_user = {"id": bot_id, "is_bot": True, "first_name": "planbot", "username": username,
                         "can_join_groups": True, "can_read_all_group_messages": False,
                         "supports_inline_queries": False}
        self.calls: list[Call] = []
        self.outbox: list[dict[str, Any]] = []
        self.files: dict[str, bytes] = {}
        self.file_paths: dict[str, str] = {}
        self.commands: list[dict[str, Any]] = []
        self.webhook: dict[str, Any] | None = None
        self.webhook_posts: list[int] = []  # HTTP status of each POST to the webhook
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._callback_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._failures: list[_Failure] = []
        self._waiters: set[asyncio.Future[None]] = set()
        self._consumed: set[int] = set()  # outbox indexes already returned by wait_for_message
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self._session: aiohttp.ClientSession | None = None
        self._webhook_tasks: set[asyncio.Task[None]] = set()
        self.port = 0
        self._stopping = False

    # --- lifecycle ------------------------------------------------------------------
    async def start(self) -> FakeBotAPI:
        """Listen on 127.0.0.1 at a free port."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._site = site
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        return self

    async def stop(self) -> None:
        """Stop listening (pending long polls return at once)."""
        self._stopping = True
        self._notify()
        for task in list(self._webhook_tasks):
            task.cancel()
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def url(self) -> str:
        """http://127.0.0.1:PORT"""
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """What ApplicationBuilder.base_url / TELEGRAM_BASE_URL take."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """What ApplicationBuilder.base_file_url / TELEGRAM_BASE_FILE_URL take."""
        return f"{self.url}/file/bot"

    # --- scripting --------------------------------------------------------------------
    def fail_next(self, method: str, *, status: int = 429, retry_after: int | None = 1, times: int = 1,
                  description: str | None = None, network: bool = False, deliver: bool = False,
                  delay: float = 0.0, chat_id: int | None = None) -> None:
        """Make the next `times` calls of `method` fail: 429 RetryAfter, any status, a dropped connection
        (`network`), delivered and then dropped (`deliver`), or answered late (`delay` seconds, delivered)."""
        if description is None:
            description = {429: f"Too Many Requests: retry after {retry_after}", 500: "Internal Server Error",
                           502: "Bad Gateway", 400: "Bad Request", 403: "Forbidden: bot was blocked by the user",
                           409: "Conflict: terminated by other getUpdates request; make sure that only one bot "
                                "instance is running"}.get(status, "Error")
        self._failures.append(_Failure(method, status, retry_after if status == 429 else None, description,
                                       network, times, deliver=deliver, delay=delay, chat_id=chat_id))

    def heal(self) -> None:
        """Forget every scripted failure."""
        self._failures.clear()

    async def refuse_connections(self) -> None:
        """Stop listening: every call fails with 'connection refused' until `accept_connections`."""
        assert self._site is not None and self._runner is not None
        await self._site.stop()
        server = self._runner.server
        for handler in list(getattr(server, "connections", [])):  # kept-alive connections go down too
            handler.force_close()

    async def accept_connections(self) -> None:
        """Listen again on the same port."""
        assert self._runner is not None
        self._site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        await self._site.start()

    def user(self, user_id: int, first_name: str | None = None, username: str | None = None) -> dict[str, Any]:
        """A Telegram User dict for a test user."""
        out: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name or f"用户{user_id}"}
        out["language_code"] = "zh-hans"
        if username:
            out["username"] = username
        return out

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue a raw update (an update_id is added) or POST it to the webhook."""
        update = {"update_id": next(self._update_ids), **update}
        if self.webhook and self.webhook.get("url"):
            task = asyncio.get_running_loop().create_task(self._post_webhook(update))
            self._webhook_tasks.add(task)
            task.add_done_callback(self._webhook_tasks.discard)
        else:
            self._updates.append(update)
            self._notify()
        return update

    def push_message(self, user_id: int, text: str, *, chat_id: int | None = None, chat_type: str = "private",
                     first_name: str | None = None, username: str | None = None,
                     reply_to: dict[str, Any] | None = None) -> dict[str, Any]:
        """A user writes `text` (commands and @mentions get entities as Telegram adds them); returns the message."""
        message = self._user_message(user_id, chat_id, chat_type, first_name, username)
        message["text"] = text
        found = self._entities(text)
        if found:
            message["entities"] = found
        if reply_to is not None:
            message["reply_to_message"] = {k: v for k, v in reply_to.items() if k not in _PRIVATE_KEYS}
        self.push_update({"message": message})
        return message

    def push_document(self, user_id: int, file_name: str, content: bytes, *, caption: str | None = None,
                      chat_id: int | None = None, chat_type: str = "private",
                      mime_type: str = "application/octet-stream") -> dict[str, Any]:
        """A user uploads a file (downloadable by the bot through getFile); returns the message."""
        file_id = self._store_file(content, f"documents/{file_name}")
        message = self._user_message(user_id, chat_id, chat_type, None, None)
        message["document"] = {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_name": file_name,
                               "mime_type": mime_type, "file_size": len(content)}
        if caption:
            message["caption"] = caption
        self.push_update({"message": message})
        return message

    def press(self, user_id: int, message: dict[str, Any], data: str, *, first_name: str | None = None) -> dict:
        """A user presses an inline button (callback `data`) under a message the bot sent; returns the update."""
        current = self.message(message["chat"]["id"], message["message_id"]) or message
        public = {k: v for k, v in current.items() if k not in _PRIVATE_KEYS}
        query = {"id": str(next(self._callback_ids)), "from": self.user(user_id, first_name), "message": public,
                 "chat_instance": str(message["chat"]["id"]), "data": data}
        return self.push_update({"callback_query": query})

    # --- inspection -------------------------------------------------------------------
    def message(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        """The latest version of a message the bot sent (after edits)."""
        for m in reversed(self.outbox):
            if m["chat"]["id"] == chat_id and m["message_id"] == message_id:
                return m
        return None

    @staticmethod
    def asks_reply(message: dict[str, Any]) -> bool:
        """Whether the bot sent this message with a ForceReply (a prompt to answer by replying to it)."""
        return bool((message.get("sent_markup") or {}).get("force_reply"))

    def messages_to(self, chat_id: int) -> list[dict[str, Any]]:
        """Everything the bot sent or edited in a chat, in order."""
        return [m for m in self.outbox if m["chat"]["id"] == chat_id]

    def calls_of(self, method: str) -> list[Call]:
        """The recorded calls of one method."""
        return [c for c in self.calls if c.method == method]

    def file_bytes(self, message: dict[str, Any]) -> bytes:
        """The bytes of the document or (largest) photo in a message the bot sent."""
        if "document" in message:
            return self.files[message["document"]["file_id"]]
        return self.files[message["photo"][-1]["file_id"]]

    @staticmethod
    def buttons(message: dict[str, Any]) -> list[tuple[str, str]]:
        """(label, callback data) of every inline button of a message, row by row."""
        markup = message.get("reply_markup") or {}
        return [(b.get("text", ""), b.get("callback_data", "")) for row in markup.get("inline_keyboard", [])
                for b in row]

    def mark(self) -> int:
        """An outbox position; pass it as `since=` to wait only for later messages."""
        return len(self.outbox)

    async def wait_for_message(self, chat_id: int, *, contains: str | None = None, since: int | None = None,
                               timeout: float = 10.0,
                               where: Callable[[dict[str, Any]], bool] | None = None) -> dict[str, Any]:
        """The first message sent/edited in `chat_id` matching `contains` (visible text or caption) and `where`.

        Without `since`, a message returned by an earlier wait_for_message is not returned again, so a test
        can ask twice and wait twice.
        """
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            for i, m in enumerate(self.outbox):
                if since is not None and i < since:
                    continue
                if since is None and i in self._consumed:
                    continue
                if m["chat"]["id"] != chat_id:
                    continue
                visible = m.get("text") or m.get("caption") or ""
                if contains is not None and contains not in visible:
                    continue
                if where is not None and not where(m):
                    continue
                self._consumed.add(i)
                return m
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                seen = [m.get("text") or m.get("caption") for m in self.messages_to(chat_id)]
                raise TimeoutError(f"no message to {chat_id} containing {contains!r} within {timeout}s; sent: {seen}")
            await self._wait_change(remaining)

    async def wait_for_call(self, method: str, *, timeout: float = 10.0,
                            where: Callable[[Call], bool] | None = None) -> Call:
        """The first recorded call of `method` matching `where`."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            for c in self.calls:
                if c.method == method and (where is None or where(c)):
                    return c
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise TimeoutError(f"no {method} call within {timeout}s")
            await self._wait_change(remaining)

    # --- internals ----------------------------------------------------------------------
    def _notify(self) -> None:
        """Wake every waiter (each registers its own future before sleeping, so no wake-up is lost)."""
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)

    async def _wait_change(self, timeout: float) -> None:
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.add(waiter)
        try:
            await asyncio.wait_for(waiter, timeout)
        except TimeoutError:
            pass
        finally:
            self._waiters.discard(waiter)

    def _user_message(self, user_id: int, chat_id: int | None, chat_type: str, first_name: str | None,
                      username: str | None) -> dict[str, Any]:
        sender = self.user(user_id, first_name, username)
        cid = chat_id if chat_id is not None else user_id
        chat: dict[str, Any] = {"id": cid, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = sender["first_name"]
        else:
            chat["title"] = f"群{cid}"
        return {"message_id": next(self._message_ids), "date": int(time.time()), "chat": chat, "from": sender}

    def _entities(self, text: str) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for m in re.finditer(r"(?<!\S)/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?|@[A-Za-z0-9_]{5,}", text):
            kind = "bot_command" if m.group(0).startswith("/") else "mention"
            out.append({"type": kind, "offset": utf16_len(text[: m.start()]), "length": utf16_len(m.group(0))})
        return out

    def _store_file(self, content: bytes, path: str) -> str:
        file_id = f"F{next(self._file_ids)}"
        self.files[file_id] = content
        self.file_paths[file_id] = f"{path.rsplit('/', 1)[0]}/{file_id}_{path.rsplit('/', 1)[-1]}"
        return file_id

    async def _post_webhook(self, update: dict[str, Any]) -> None:
        assert self.webhook is not None
        if self._session is None:
            self._session = aiohttp.ClientSession()
        headers = {}
        if self.webhook.get("secret_token"):
            headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook["secret_token"]
        for _ in range(50):  # the bot's web server may still be starting
            try:
                async with self._session.post(self.webhook["url"], json=update, headers=headers) as resp:
                    self.webhook_posts.append(resp.status)
                    self._notify()
                    return
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.1)

    async def _params(self, request: web.Request) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
        params: dict[str, Any] = {}
        files: dict[str, tuple[str, bytes]] = {}
        ctype = request.content_type
        if ctype == "application/json":
            body = await request.read()
            return (json.loads(body) if body else {}), files
        if ctype.startswith("multipart/"):
            reader = await request.multipart()
            while True:
                part = await reader.next()
                if part is None:
                    break
                if not isinstance(part, aiohttp.BodyPartReader) or part.name is None:
                    continue
                if part.filename is not None:
                    files[part.name] = (part.filename, bytes(await part.read()))
                else:
                    params[part.name] = self._decode(part.name, await part.text())
            return params, files
        form = await request.post() if request.can_read_body else {}
        for key, value in {**dict(request.query), **dict(form)}.items():
            params[key] = self._decode(key, str(value))
        return params, files

    @staticmethod
    def _decode(key: str, value: str) -> Any:
        if key in STRING_PARAMS:
            return value
        try:
            return json.loads(value)
        except ValueError:
            return value

    def _failure(self, method: str, params: dict[str, Any]) -> _Failure | None:
        for f in self._failures:
            if f.method == method and (f.chat_id is None or str(f.chat_id) == str(params.get("chat_id"))):
                f.times -= 1
                if f.times <= 0:
                    self._failures.remove(f)
                return f
        return None

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        params, files = await self._params(request)
        self.calls.append(Call(method, params, files))
        self._notify()
        failure = self._failure(method, params)
        if failure is not None and (failure.deliver or failure.delay):
            if failure.delay:
                await asyncio.sleep(failure.delay)
            response = await self._answered(method, params, files)
            if failure.deliver:
                assert request.transport is not None
                request.transport.close()  # the message is in the chat; the bot never hears so
            return response
        if failure is not None:
            if failure.network:
                assert request.transport is not None
                request.transport.close()
                return web.Response(status=500)
            body: dict[str, Any] = {"ok": False, "error_code": failure.status, "description": failure.description}
            if failure.retry_after is not None:
                body["parameters"] = {"retry_after": failure.retry_after}
            return web.json_response(body, status=failure.status)
        return await self._answered(method, params, files)

    async def _answered(self, method: str, params: dict[str, Any],
                        files: dict[str, tuple[str, bytes]]) -> web.StreamResponse:
        try:
            if method.lower() == "getupdates":
                result = await self._get_updates(params)
            else:
                result = self._answer(method, params, files)
        except _Telegram as err:
            body = {"ok": False, "error_code": err.code, "description": err.description}
            return web.json_response(body, status=err.code)
        self._notify()
        return web.json_response({"ok": True, "result": result})

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook and self.webhook.get("url"):
            raise _Telegram(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = int(params.get("offset") or 0)
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        timeout = float(params.get("timeout") or 0)
        limit = int(params.get("limit") or 100)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not self._updates and not self._stopping:
            remaining = deadline - loop.time()
            if remaining <= 0:
                break
            await self._wait_change(remaining)
        return self._updates[:limit]

    def _answer(self, method: str, params: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> Any:
        m = method.lower()
        if m == "getme":
            return self.bot_user
        if m in {"sendmessage", "editmessagetext", "senddocument", "sendphoto", "editmessagereplymarkup"}:
            return self._outgoing(method, params, files)
        if m == "setmycommands":
            self.commands = list(params.get("commands") or [])
            return True
        if m == "getmycommands":
            return self.commands
        if m == "setwebhook":
            self.webhook = {"url": params.get("url", ""), "secret_token": params.get("secret_token")}
            return True
        if m == "deletewebhook":
            self.webhook = None
            return True
        if m == "getwebhookinfo":
            return {"url": (self.webhook or {}).get("url", ""), "has_custom_certificate": False,
                    "pending_update_count": len(self._updates)}
        if m == "getfile":
            file_id = str(params.get("file_id"))
            if file_id not in self.files:
                raise _Telegram(400, "Bad Request: invalid file_id")
            return {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": len(self.files[file_id]),
                    "file_path": self.file_paths[file_id]}
        if m in TRUE_METHODS:
            return True
        raise _Telegram(404, "Not Found")  # what Telegram answers for a method it does not have

    def _outgoing(self, method: str, params: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> dict:
        if "chat_id" not in params and method.lower() != "editmessagetext":
            raise _Telegram(400, "Bad Request: chat_id is empty")
        raw = params.get("text") if "text" in params else params.get("caption")
        visible = raw
        if raw is not None and str(params.get("parse_mode", "")).upper() == "HTML":
            visible = parse_html(str(raw))
        m = method.lower()
        if m in {"sendmessage", "editmessagetext"} and not (visible or "").strip():
            raise _Telegram(400, "Bad Request: message text is empty")
        limit = MAX_TEXT if m in {"sendmessage", "editmessagetext"} else 1024
        if visible is not None and utf16_len(visible) > limit:
            raise _Telegram(400, "Bad Request: message is too long")
        markup = params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        for row in (markup or {}).get("inline_keyboard", []):
            for button in row:
                if len(str(button.get("callback_data", "")).encode()) > MAX_CALLBACK_DATA:
                    raise _Telegram(400, "Bad Request: BUTTON_DATA_INVALID")
        if m.startswith("edit"):
            old = self.message(int(params["chat_id"]), int(params["message_id"]))
            if old is None:
                raise _Telegram(400, "Bad Request: message to edit not found")
            msg = {k: v for k, v in old.items()}
            if m == "editmessagetext":
                if visible == old.get("text") and markup == old.get("reply_markup"):
                    raise _Telegram(400, "Bad Request: message is not modified")
                msg["text"], msg["raw_text"] = visible, raw
            msg["edit_date"] = int(time.time())
        else:
            chat_id = int(params["chat_id"])
            chat = {"id": chat_id, "type": "private" if chat_id > 0 else "group"}
            msg = {"message_id": next(self._message_ids), "date": int(time.time()), "chat": chat,
                   "from": self.bot_user}
            if m == "sendmessage":
                msg["text"], msg["raw_text"] = visible, raw
            else:
                if raw is not None:
                    msg["caption"], msg["raw_text"] = visible, raw
                field_name = "document" if m == "senddocument" else "photo"
                ref = params.get(field_name)
                part = files.get(field_name)
                if part is None and isinstance(ref, str) and ref.startswith("attach://"):
                    part = files.get(ref.removeprefix("attach://"))
                if part is None and isinstance(ref, str) and ref in self.files:
                    part = (ref, self.files[ref])
                if part is None:
                    raise _Telegram(400, f"Bad Request: there is no {field_name} in the request")
                file_name, content = part
                file_id = self._store_file(content, f"{field_name}s/{file_name}")
                info = {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": len(content)}
                if m == "senddocument":
                    msg["document"] = {**info, "file_name": file_name}
                else:
                    msg["photo"] = [{**info, "width": 800, "height": 600}]
        if markup and "inline_keyboard" in markup:
            msg["reply_markup"] = markup
        elif markup:
            msg["sent_markup"] = markup
        elif m == "editmessagetext":
            msg.pop("reply_markup", None)
        msg["method"] = method
        msg["sent_at"] = time.monotonic()
        self.outbox.append(msg)
        return {k: v for k, v in msg.items() if k not in _PRIVATE_KEYS}

    async def _download(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        path = request.match_info["path"]
        for file_id, stored in self.file_paths.items():
            if stored == path:
                return web.Response(body=self.files[file_id])
        return web.Response(status=404)

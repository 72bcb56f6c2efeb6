"""Console chat: the real Application and handlers, with a Bot API stand-in that talks to the terminal.

ConsoleRequest replaces the HTTP layer: getUpdates turns the next input line into an Update from the console
user (a number presses the matching button of the last keyboard shown), sendMessage/editMessageText print the
text (HTML stripped) and buttons as [1] [2] …, sendDocument/sendPhoto save the file and print its path.
A ForceReply prompt works as in a Telegram client, which opens a reply box: the next typed line (not a button
number) is sent as a reply to the prompt.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from telegram.request import BaseRequest, RequestData

from bot import texts as msg
from planbot.render import visible

COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]+)?(?![^\s])")
EXIT_WORDS = {"exit", "quit", "退出", "/exit", "/quit"}
CONSOLE_BOT = {"id": 1_000_000_001, "is_bot": True, "first_name": "planbot", "username": "planbot_console_bot",
               "can_join_groups": False, "can_read_all_group_messages": False, "supports_inline_queries": False}


class ConsoleRequest(BaseRequest):
    """A Bot API that reads updates from `input` and writes what the bot sends to `output`."""

    def __init__(self, user_id: int, *, input: IO[str], output: IO[str], files_dir: Path,
                 user_name: str = "控制台") -> None:
        self.user = {"id": user_id, "is_bot": False, "first_name": user_name, "language_code": "zh-hans"}
        self.input, self.output, self.files_dir = input, output, files_dir
        self.on_exit: Callable[[], None] | None = None
        self._lines: asyncio.Queue[str | None] | None = None
        self._reader: threading.Thread | None = None
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._messages: dict[int, dict[str, Any]] = {}
        self._buttons: list[tuple[int, str]] = []  # (message id, callback data) of the last keyboard shown
        self._reply_to: int | None = None  # the ForceReply prompt the next typed line answers
        self._closed = False
        self._in_flight = 0  # updates handed out and not yet handled: the next line waits for them
        self._idle = asyncio.Event()
        self._idle.set()

    def update_done(self) -> None:
        """The application finished one update (wired to ChatOrderedProcessor.on_done)."""
        self._in_flight = max(0, self._in_flight - 1)
        if self._in_flight == 0:
            self._idle.set()

    def _hand_out(self, update: dict[str, Any]) -> list[dict[str, Any]]:
        self._in_flight += 1
        self._idle.clear()
        return [update]

    @property
    def read_timeout(self) -> float | None:
        """No HTTP timeouts apply here."""
        return None

    async def initialize(self) -> None:
        """Start reading input lines in a daemon thread (a blocked read must not keep the process alive)."""
        if self._reader is not None:
            return
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[str | None] = asyncio.Queue()
        self._lines = queue

        def read() -> None:
            for line in self.input:
                loop.call_soon_threadsafe(queue.put_nowait, line.rstrip("\r\n"))
            loop.call_soon_threadsafe(queue.put_nowait, None)

        self._reader = threading.Thread(target=read, name="console-input", daemon=True)
        self._reader.start()

    async def shutdown(self) -> None:
        """Nothing to close (the reader thread is a daemon)."""

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Any = None, write_timeout: Any = None, connect_timeout: Any = None,
                         pool_timeout: Any = None) -> tuple[int, bytes]:
        """Answer one Bot API call."""
        name = url.rsplit("/", 1)[-1].lower()
        params = dict(request_data.parameters) if request_data else {}
        files = dict(request_data.multipart_data) if request_data and request_data.contains_files else {}
        if name == "getupdates":
            result: Any = await self._updates(float(str(params.get("timeout") or 0)))
        elif name == "getme":
            result = CONSOLE_BOT
        elif name in {"sendmessage", "senddocument", "sendphoto"}:
            result = self._send(name, params, files)
        elif name in {"editmessagetext", "editmessagereplymarkup"}:
            result = self._edit(name, params)
        elif name == "answercallbackquery":
            if params.get("text"):
                self._print(msg.CONSOLE_NOTICE.plain(text=params["text"]))
            result = True
        elif name == "getmycommands":
            result = []
        elif name == "getfile":
            body = {"ok": False, "error_code": 400, "description": "Bad Request: files are not available here"}
            return 400, json.dumps(body).encode()
        else:  # setMyCommands, deleteWebhook, sendChatAction, close, …
            result = True
        return 200, json.dumps({"ok": True, "result": result}, ensure_ascii=False).encode()

    # --- input --------------------------------------------------------------------------------------
    async def _updates(self, timeout: float) -> list[dict[str, Any]]:
        assert self._lines is not None
        if self._closed:
            await asyncio.sleep(min(timeout, 0.2))
            return []
        try:
            # Replies (and their buttons) are printed before the next line is read, so typed numbers
            # refer to what the user saw, also when input is piped in all at once.
            await asyncio.wait_for(self._idle.wait(), timeout=max(timeout, 0.05))
            line = await asyncio.wait_for(self._lines.get(), timeout=max(timeout, 0.05))
        except TimeoutError:
            return []
        if line is None or line.strip().lower() in EXIT_WORDS:
            self._closed = True
            if self.on_exit is not None:
                self.on_exit()
            return []
        text = line.strip()
        if not text:
            return []
        if text.isdigit() and self._buttons:
            index = int(text)
            if 1 <= index <= len(self._buttons):
                message_id, data = self._buttons[index - 1]
                self._reply_to = None  # pressing a button (跳过) closes the reply box, as in a client
                query = {"id": str(next(self._update_ids)), "from": self.user, "chat_instance": "console",
                         "message": self._public(self._messages[message_id]), "data": data}
                return self._hand_out({"update_id": next(self._update_ids), "callback_query": query})
            self._print(msg.BOT_CONSOLE_BUTTON_GONE.plain(number=index))
            return []
        message: dict[str, Any] = {"message_id": next(self._message_ids), "date": int(time.time()),
                                   "chat": {"id": self.user["id"], "type": "private",
                                            "first_name": self.user["first_name"]},
                                   "from": self.user, "text": text}
        if self._reply_to is not None and self._reply_to in self._messages:
            message["reply_to_message"] = self._public(self._messages[self._reply_to])
        self._reply_to = None
        command = COMMAND.match(text)
        if command is not None:  # as Telegram marks it (a Latin name; "/中文" is plain text)
            length = len(command.group().encode("utf-16-le")) // 2
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return self._hand_out({"update_id": next(self._update_ids), "message": message})

    # --- output -------------------------------------------------------------------------------------
    def _print(self, text: str) -> None:
        self.output.write(text + "\n")
        self.output.flush()

    @staticmethod
    def _public(message: dict[str, Any]) -> dict[str, Any]:
        """The message as Telegram returns it: only an inline keyboard comes back as reply_markup."""
        public = {k: v for k, v in message.items() if not k.startswith("_")}
        if "inline_keyboard" not in (public.get("reply_markup") or {}):
            public.pop("reply_markup", None)
        return public

    def _show(self, message: dict[str, Any], note: str = "") -> None:
        text = message.get("text") or message.get("caption") or ""
        raw = visible(text) if message.get("_html") else text
        lines = [note] if note else []
        lines.append(raw)
        markup = message.get("reply_markup") or {}
        if markup.get("force_reply"):
            lines.append(msg.BOT_CONSOLE_REPLY_BOX)
        keyboard = (message.get("reply_markup") or {}).get("inline_keyboard") or []
        if keyboard:
            self._buttons = []
            labels = []
            for row in keyboard:
                for button in row:
                    if "callback_data" in button:
                        self._buttons.append((message["message_id"], button["callback_data"]))
                        labels.append(f"[{len(self._buttons)}] {button.get('text', '')}")
            lines.append("  ".join(labels))
        self._print("\n".join(lines) + "\n")

    def _send(self, name: str, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        message: dict[str, Any] = {"message_id": next(self._message_ids), "date": int(time.time()),
                                   "chat": {"id": int(params.get("chat_id", self.user["id"])), "type": "private"},
                                   "from": CONSOLE_BOT, "_html": str(params.get("parse_mode", "")).upper() == "HTML"}
        if name == "sendmessage":
            message["text"] = str(params.get("text", ""))
        elif params.get("caption"):
            message["caption"] = str(params["caption"])
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self._messages[message["message_id"]] = message
        if message["chat"]["id"] != self.user["id"]:
            return self._public(message)  # meant for someone else (e.g. a reminder to a bound user)
        if (message.get("reply_markup") or {}).get("force_reply"):
            self._reply_to = message["message_id"]
        saved = [self._save(part) for part in files.values()]
        self._show(message)
        for path in saved:
            self._print(msg.BOT_CONSOLE_FILE.plain(path=path))
        if saved:
            field = "document" if name == "senddocument" else "photo"
            info = {"file_id": f"console-{message['message_id']}", "file_unique_id": f"c{message['message_id']}"}
            message[field] = info if field == "document" else [{**info, "width": 1, "height": 1}]
        return self._public(message)

    def _edit(self, name: str, params: dict[str, Any]) -> dict[str, Any] | bool:
        message = self._messages.get(int(params.get("message_id", 0)))
        if message is None:
            return True
        if name == "editmessagetext":
            message["text"] = str(params.get("text", ""))
            message["_html"] = str(params.get("parse_mode", "")).upper() == "HTML"
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        else:
            message.pop("reply_markup", None)
        self._show(message, msg.BOT_CONSOLE_EDITED)
        return self._public(message)

    def _save(self, part: tuple[Any, ...]) -> Path:
        """Write an uploaded file to the exports folder and return its path."""
        file_name, content = str(part[0]), part[1]
        data = content if isinstance(content, bytes) else content.read()
        self.files_dir.mkdir(parents=True, exist_ok=True)
        path = self.files_dir / Path(file_name).name
        path.write_bytes(data)
        return path

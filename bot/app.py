"""Build the python-telegram-bot Application: services, handler modules, rate limiting, retries."""

from __future__ import annotations

import asyncio
import logging
import re
from collections import defaultdict
from collections.abc import Awaitable, Callable
from types import ModuleType
from typing import Any
from urllib.parse import urlparse

from telegram import Update
from telegram.error import NetworkError, TimedOut
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, BaseRateLimiter, BaseUpdateProcessor
from telegram.request import BaseRequest, HTTPXRequest, RequestData

from bot import texts as msg
from bot.handlers import access, core, desk, learning, reminders, status
from bot.services import Answerer, EngineSlot, Services
from indexer.plans import PlanAccess
from knowledge.model import Plan
from planbot.clock import Clock, system_clock
from planbot.db import Database
from planbot.errors import SettingsError
from planbot.settings import Settings
from reminders.scheduler import Scheduler
from supervision.jobs import tell_plan_ended
from supervision.service import done_work

log = logging.getLogger(__name__)

TOKEN_PATTERN = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{1,100}$")
CONSOLE_TOKEN = "1:console"
_DEFAULT: Any = object()  # "use the production rate limiter"


def api_base(url: str, path: str) -> str:
    """The base URL the token is appended to: a bare server address gets Telegram's `path` (e.g. "/bot")."""
    if "{token}" in url:
        return url
    trimmed = url.rstrip("/")
    if urlparse(url).path.strip("/") == "":
        return trimmed + path
    return trimmed if trimmed.endswith(path) else url


def check_token(token: str | None) -> str:
    """The token if it looks like a Bot API token, else a SettingsError naming the fix."""
    if not token or not TOKEN_PATTERN.match(token):
        raise SettingsError(msg.BOT_TOKEN_MALFORMED)
    return token


class RetryingRequest(HTTPXRequest):
    """HTTPXRequest retrying dropped connections and Telegram's transient 5xx (RetryAfter is the rate limiter's)."""

    attempts = 3

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        """Send, retrying network errors and server errors, but not timeouts (a timed-out send may have arrived)."""
        for attempt in range(1, self.attempts + 1):
            try:
                code, payload = await super().do_request(url, method, request_data, *args, **kwargs)
            except TimedOut:
                raise
            except NetworkError as exc:
                if attempt == self.attempts:
                    raise
                log.warning("network error calling %s (attempt %d): %s", url.rsplit("/", 1)[-1], attempt, exc)
            else:
                if code < 500 or attempt == self.attempts:
                    return code, payload
                log.warning("server error %d calling %s (attempt %d)", code, url.rsplit("/", 1)[-1], attempt)
            await asyncio.sleep(0.2 * attempt)
        raise AssertionError("unreachable")


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Handle updates of different chats concurrently (at most `workers` at once), in order within a chat.

    A slow answer then holds up only its own chat. The chat lock is taken before a worker slot, so updates
    queued behind their chat's lock do not occupy slots others could use.
    """

    def __init__(self, workers: int = 8, queued: int = 1024) -> None:
        super().__init__(queued)
        self._workers = asyncio.Semaphore(workers)
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self.on_done: list[Callable[[], None]] = []  # told after each update (the console paces input by it)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run the update's handlers after earlier updates of the same chat."""
        try:
            chat = update.effective_chat if isinstance(update, Update) else None
            if chat is None:
                async with self._workers:
                    await coroutine
                return
            lock = self._locks[chat.id]
            async with lock, self._workers:
                await coroutine
            if not lock.locked() and not getattr(lock, "_waiters", None):
                self._locks.pop(chat.id, None)  # keep the table small
        finally:
            for callback in self.on_done:
                callback()

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""


HANDLER_MODULES: tuple[ModuleType, ...] = (core, access, reminders, status, learning, desk)  # register/startup order


async def _post_init(application: Application) -> None:
    """Run every handler module's startup hook; one failing feature does not stop the bot."""
    for module in HANDLER_MODULES:
        hook = getattr(module, "startup", None)
        if hook is None:
            continue
        try:
            await hook(application)
        except Exception:
            log.exception("startup of %s failed; continuing without it", module.__name__)


async def _post_shutdown(application: Application) -> None:
    """Run the shutdown hooks (reverse order) and release what build_application opened."""
    for module in reversed(HANDLER_MODULES):
        hook = getattr(module, "shutdown", None)
        if hook is None:
            continue
        try:
            await hook(application)
        except Exception:
            log.exception("shutdown of %s failed", module.__name__)
    if application.bot_data.get("_owns_db"):
        application.bot_data["services"].db.dispose()


def build_application(settings: Settings, *, clock: Clock | None = None, db: Database | None = None,
                      request: BaseRequest | None = None, get_updates_request: BaseRequest | None = None,
                      rate_limiter: BaseRateLimiter | None = _DEFAULT, qa_engine: Answerer | None = None,
                      preload_qa: bool = True, plan_loader: Callable[[], Plan] | None = None,
                      concurrent: bool = True) -> Application:
    """The bot, wired to its services and every handler module; nothing runs until it is started.

    `request`/`get_updates_request` replace the HTTP layer (the console chat uses this); `rate_limiter=None`
    turns off Telegram's flood limits (benchmarks); `qa_engine` is a ready engine (tests, benchmarks), else it
    loads at start-up (`preload_qa`) or on the first question; `plan_loader` replaces the ledger;
    `concurrent=False` handles one update at a time (the benchmark's baseline).
    """
    token = CONSOLE_TOKEN if request is not None and not settings.telegram_bot_token else settings.telegram_bot_token
    builder = (
        ApplicationBuilder()
        .token(check_token(token))
        .base_url(api_base(settings.telegram_base_url, "/bot"))
        .base_file_url(api_base(settings.telegram_base_file_url, "/file/bot"))
        .concurrent_updates(ChatOrderedProcessor() if concurrent else False)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(get_updates_request or request)
    else:
        builder = builder.request(RetryingRequest(connection_pool_size=64, read_timeout=15, write_timeout=30))
        builder = builder.get_updates_request(RetryingRequest(connection_pool_size=2, read_timeout=30))
    if rate_limiter is _DEFAULT:
        rate_limiter = AIORateLimiter(max_retries=3)
    if rate_limiter is not None:
        builder = builder.rate_limiter(rate_limiter)
    application = builder.build()
    owns_db = db is None
    database = db or Database(settings.database_url)
    services = Services(
        settings=settings, db=database, clock=clock or system_clock(settings.tz),
        plans=PlanAccess(database, settings.plan_selector, loader=plan_loader),
        scheduler=Scheduler(database.engine, settings.tz, application),
        completed_tasks=done_work, plan_ended=tell_plan_ended, qa=EngineSlot(engine=qa_engine, preload=preload_qa),
        round_link=desk.round_link(settings) if settings.web_port is not None else None)
    application.bot_data["services"] = services
    application.bot_data["_owns_db"] = owns_db
    for hook_name in ("register", "register_fallbacks"):  # catch-all handlers after every feature's own
        for module in HANDLER_MODULES:
            hook = getattr(module, hook_name, None)
            if hook is not None:
                hook(application)
    return application


def webhook_options(settings: Settings) -> dict[str, Any]:
    """Arguments of Updater.start_webhook / Application.run_webhook taken from settings."""
    assert settings.webhook_url is not None
    return {"listen": settings.webhook_listen, "port": settings.webhook_port,
            "url_path": urlparse(settings.webhook_url).path.lstrip("/"), "webhook_url": settings.webhook_url,
            "secret_token": settings.webhook_secret}


async def start_application(application: Application, *, poll_timeout: int = 10) -> None:
    """Start like run_polling/run_webhook do, but inside the caller's event loop (tests, benchmarks)."""
    settings: Settings = application.bot_data["services"].settings
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    assert application.updater is not None
    if settings.webhook_url:
        await application.updater.start_webhook(**webhook_options(settings))
    else:
        await application.updater.start_polling(poll_interval=0, timeout=poll_timeout)
    await application.start()


async def stop_application(application: Application) -> None:
    """Stop what start_application started, in run_polling's order."""
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)

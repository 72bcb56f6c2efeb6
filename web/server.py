"""Serve the desk with uvicorn in the bot's event loop: `planbot run` with WEB_PORT, and the tests.

Like python-telegram-bot's custom-webhook-server example: the Application is initialized and started, the web
server runs until SIGINT/SIGTERM, then the Application stops. Updates come by long polling, or, with WEBHOOK_URL,
through the desk's own webhook route (PTB's built-in webhook server is not started).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from collections.abc import Iterator
from typing import Any

import uvicorn
from telegram import Update
from telegram.ext import Application

from bot.app import stop_application
from bot.context import services_of
from planbot.settings import Settings
from web import texts
from web.app import create_app


class Server(uvicorn.Server):
    """uvicorn without its own signal handling: the caller stops the bot after the server, then exits."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        """Leave signals to the caller (uvicorn would re-raise them after serving and skip the bot's shutdown)."""
        yield


def make_server(application: Application, settings: Settings) -> Server:  # type: ignore[type-arg]
    """The desk's server over the application's services (the webhook route too when WEBHOOK_URL is set)."""
    assert settings.web_port is not None
    app = create_app(services_of(application), application)
    config = uvicorn.Config(app, host=settings.web_listen, port=settings.web_port, log_level="warning",
                            lifespan="off", access_log=False, proxy_headers=True)
    return Server(config)


async def start_bot(application: Application, settings: Settings,  # type: ignore[type-arg]
                    **polling: Any) -> None:
    """Initialize and start the bot; long polling (`polling`: start_polling options), or the desk's webhook."""
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    if settings.webhook_url:
        await application.bot.set_webhook(settings.webhook_url, secret_token=settings.webhook_secret,
                                          allowed_updates=Update.ALL_TYPES)
    else:
        assert application.updater is not None
        await application.updater.start_polling(allowed_updates=Update.ALL_TYPES, **polling)
    await application.start()


async def serve(application: Application, settings: Settings, *,  # type: ignore[type-arg]
                server: Server | None = None, **polling: Any) -> None:
    """Run the bot and the desk until SIGINT/SIGTERM (or `server.should_exit`: the console's exit)."""
    server = server or make_server(application, settings)
    loop = asyncio.get_running_loop()
    handled = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not the main thread / not supported
            loop.add_signal_handler(sig, lambda: setattr(server, "should_exit", True))
            handled.append(sig)
    await start_bot(application, settings, **polling)
    try:
        print(texts.RUN_ADDRESS.plain(local=f"http://{settings.web_listen}:{settings.web_port}",
                                      base=settings.web_public_url), file=sys.stderr, flush=True)
        await server.serve()
    finally:
        await stop_application(application)
        # A loop keeping handlers can be collected later off the main thread, where removing them fails.
        for sig in handled:
            loop.remove_signal_handler(sig)


async def start_desk(application: Any, settings: Settings) -> tuple[Server, asyncio.Task[None]]:
    """Start the desk's server beside an already running bot (tests): the server and its task, once listening."""
    server = make_server(application, settings)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()  # raises why it could not start (port in use …)
        await asyncio.sleep(0.01)
    return server, task


async def stop_desk(server: Server, task: asyncio.Task[None]) -> None:
    """Stop a server started by start_desk."""
    server.should_exit = True
    await task

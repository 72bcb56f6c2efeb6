"""`planbot run` (Telegram, by long polling or webhook) and `planbot chat` (the same bot in the terminal)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable
from typing import Any

from bot import texts as msg
from indexer.ledger import list_plans, select_plan
from planbot.db import Database
from planbot.settings import Settings
from planbot.storage import open_database

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             add_plan_option: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add this feature's subcommands."""
    run_parser = sub.add_parser("run", help="启动 Telegram 机器人（未设置 TELEGRAM_BOT_TOKEN 时进入控制台对话）")
    run_parser.set_defaults(func=run)
    chat_parser = sub.add_parser("chat", help="在终端里以管理员身份与机器人对话")
    chat_parser.set_defaults(func=chat)
    for parser in (run_parser, chat_parser):
        add_plan_option(parser)


def ensure_plan(settings: Settings, db: Database) -> None:
    """Index the configured plan when the ledger is empty (a fresh data directory); check --plan names one."""
    if not list_plans(db):
        # Imported on use: indexing loads the embedding model and Chroma, which a started bot never needs again.
        from indexer.pipeline import index_document

        print(msg.BOT_INDEXING.plain(path=settings.plan_path), file=sys.stderr, flush=True)
        index_document(settings, db, settings.plan_path)
    select_plan(db, settings.plan_selector)  # PlanNotFound: a clear message before anything starts


def _serving(args: argparse.Namespace, settings: Settings) -> Settings:
    """Settings with the plan chosen by --plan (the newest when not given)."""
    return settings.with_(plan_selector=args.plan) if getattr(args, "plan", None) else settings


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Serve Telegram until SIGINT/SIGTERM; without a token, fall back to the console chat."""
    # Imported on use: telegram and the handlers are not needed by the other commands' start-up.
    from telegram import Update
    from telegram.error import InvalidToken, NetworkError

    from bot.app import build_application, check_token, webhook_options

    settings = _serving(args, settings)
    if not settings.telegram_bot_token:
        print(msg.BOT_TOKEN_MISSING, file=sys.stderr)
        return chat(args, settings)
    check_token(settings.telegram_bot_token)
    db = open_database(settings, "run")
    ensure_plan(settings, db)
    application = build_application(settings, db=db)
    # Ask Telegram who we are first, in the loop run_polling will use: a rejected token or an unreachable
    # server gives one clear line instead of the library's retry-loop traceback.
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(application.bot.initialize())
        if settings.web_port is not None:  # the desk, and the webhook route when WEBHOOK_URL is set
            from web.server import serve

            loop.run_until_complete(serve(application, settings))
        elif settings.webhook_url:
            application.run_webhook(**webhook_options(settings), allowed_updates=Update.ALL_TYPES)
        else:
            application.run_polling(allowed_updates=Update.ALL_TYPES)
    except InvalidToken:
        print(msg.BOT_TOKEN_REJECTED, file=sys.stderr)
        return 2
    except NetworkError as exc:
        print(msg.BOT_NETWORK_DOWN.plain(url=settings.telegram_base_url, detail=exc), file=sys.stderr)
        return 3
    finally:
        db.dispose()
        if not loop.is_closed():
            loop.close()
    code = int(application.bot_data.get("exit_code") or 0)
    if code:
        print(msg.POLL_CONFLICT, file=sys.stderr)
    return code


def chat(args: argparse.Namespace, settings: Settings, *, input: Any = None, output: Any = None) -> int:
    """Talk to the bot in the terminal as an admin (same Application and handlers as `planbot run`)."""
    # Imported on use, as in `run`.
    from bot.app import ChatOrderedProcessor, build_application
    from bot.console import ConsoleRequest

    # Library chatter would drown the conversation; warnings and errors still show.
    logging.getLogger().setLevel(max(logging.WARNING, logging.getLogger().level))
    # With WEB_PORT the console serves the desk as `planbot run` does (web.server.serve), so /web and the
    # round messages' fill-in links work here too; Telegram's webhook has no place in the terminal.
    settings = _serving(args, settings).with_(admins=settings.admins | {settings.console_user_id}, webhook_url=None,
                                              telegram_bot_token=None)
    db = open_database(settings, "chat")
    ensure_plan(settings, db)
    out = output or sys.stdout
    console = ConsoleRequest(settings.console_user_id, input=input or sys.stdin, output=out,
                             files_dir=settings.exports_dir / "console")
    application = build_application(settings, db=db, request=console, rate_limiter=None)
    console.on_exit = application.stop_running
    processor = application.update_processor
    if isinstance(processor, ChatOrderedProcessor):
        processor.on_done.append(console.update_done)
    out.write(msg.BOT_CONSOLE_BANNER.plain(user_id=settings.console_user_id) + "\n\n")
    out.flush()
    try:
        if settings.web_port is not None:
            from web.server import make_server, serve

            server = make_server(application, settings)
            console.on_exit = lambda: setattr(server, "should_exit", True)
            asyncio.run(serve(application, settings, server=server, poll_interval=0, timeout=1))
        else:
            # No signal handlers on a loop left open (Ctrl-C still stops the chat: the library catches it): the loop
            # may be collected later off the main thread, where removing them fails.
            application.run_polling(poll_interval=0, timeout=1, close_loop=False, stop_signals=None)
    finally:
        db.dispose()
    out.write(msg.BOT_CONSOLE_BYE + "\n")
    out.flush()
    return 0

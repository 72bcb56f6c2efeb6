"""A second poller on one token (getUpdates answers 409 Conflict): a process that just started stops, saying why."""

from __future__ import annotations

import logging
import time

from telegram.ext import Application

from bot import texts as msg

log = logging.getLogger(__name__)

CONFLICT_EXIT_WINDOW = 120.0  # seconds after start-up in which a 409 means "we are the second poller"
POLL_CONFLICT_EXIT = 4


def poll_conflict(application: Application) -> None:  # type: ignore[type-arg]
    """getUpdates answered 409: a process that just started is the second poller and stops with a clear
    message; the one that was already polling says so in one line and goes on (Telegram serves one)."""
    started = application.bot_data.setdefault("_started", time.monotonic())
    if application.bot_data.get("exit_code"):
        return
    if time.monotonic() - started > CONFLICT_EXIT_WINDOW:
        log.warning("getUpdates conflict: another process polls with this token")
        return
    log.error(msg.POLL_CONFLICT)
    application.bot_data["exit_code"] = POLL_CONFLICT_EXIT
    application.stop_running()

"""Every command the texts list (help, menu, README) is one the built bot actually handles."""

from __future__ import annotations

from telegram.ext import CommandHandler

from bot.app import build_application
from bot.texts import COMMANDS
from planbot.settings import Settings


def test_every_listed_command_has_a_command_handler(settings: Settings) -> None:
    application = build_application(settings.with_(telegram_bot_token="123:commands-test"), preload_qa=False,
                                    rate_limiter=None)
    handled = {name.lower() for group in application.handlers.values() for handler in group
               if isinstance(handler, CommandHandler) for name in handler.commands}
    assert len(COMMANDS) > 20
    assert [c.name for c in COMMANDS if c.name.lower() not in handled] == []

"""Bot commands as Telegram marks them: a `bot_command` entity at the start of a message's text."""

from __future__ import annotations

from typing import Any

from telegram import Message, MessageEntity
from telegram.ext import Application, CommandHandler, filters


def command(name: str, callback: Any) -> CommandHandler[Any, None]:
    """PTB's CommandHandler for new messages only (edits of a command do not run it again)."""
    return CommandHandler(name, callback, filters=filters.UpdateType.MESSAGE)


def command_of(message: Message | None, bot_username: str | None) -> tuple[str, bool] | None:
    """(name, for this bot) of the command a message starts with, None when it starts with none.

    A command addressed as /name@other_bot is another bot's; /name and /name@this_bot are this bot's.
    """
    if message is None or not message.text or not message.entities:
        return None
    entity = message.entities[0]
    if entity.type != MessageEntity.BOT_COMMAND or entity.offset != 0:
        return None
    name, _, target = message.parse_entity(entity)[1:].partition("@")
    return name.lower(), not target or target.lower() == (bot_username or "").lower()


def known_commands(application: Application) -> set[str]:  # type: ignore[type-arg]
    """Every command any feature registered."""
    return {c.lower() for handlers in application.handlers.values() for handler in handlers
            if isinstance(handler, CommandHandler) for c in handler.commands}

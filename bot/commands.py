"""Slash commands recognised from the text itself, so updates without `bot_command` entities still work."""

from __future__ import annotations

from typing import Any

from telegram import Message, Update
from telegram.ext import Application, BaseHandler, CommandHandler, ContextTypes


def parse_command(message: Message | None, bot_username: str | None) -> tuple[str, list[str]] | None:
    """(command, args) of '/cmd args' or '/cmd@this_bot args'; None for other text or another bot's command."""
    text = (message.text or message.caption or "") if message is not None else ""
    if not text.startswith("/") or len(text) < 2:
        return None
    first, *rest = text.split()
    name, _, target = first[1:].partition("@")
    if not name or (target and target.lower() != (bot_username or "").lower()):
        return None
    return name.lower(), rest


class SlashCommand(BaseHandler[Update, ContextTypes.DEFAULT_TYPE, None]):
    """Like CommandHandler, but tolerant of clients and servers that send no message entities."""

    def __init__(self, command: str, callback: Any) -> None:
        super().__init__(callback)
        self.command = command.lower()

    def check_update(self, update: object) -> list[str] | None:
        """The arguments when the update is this command (new messages only, not edits)."""
        if not isinstance(update, Update) or update.message is None:
            return None
        parsed = parse_command(update.message, update.get_bot().username)
        if parsed is None or parsed[0] != self.command:
            return None
        return parsed[1]

    def collect_additional_context(self, context: ContextTypes.DEFAULT_TYPE, update: Update,
                                   application: Application, check_result: Any) -> None:  # type: ignore[type-arg]
        """Give the handler `context.args` like CommandHandler does."""
        context.args = list(check_result or [])


def known_commands(application: Application) -> set[str]:  # type: ignore[type-arg]
    """Every command any feature registered (SlashCommand or CommandHandler)."""
    out: set[str] = set()
    for handlers in application.handlers.values():
        for handler in handlers:
            if isinstance(handler, SlashCommand):
                out.add(handler.command)
            elif isinstance(handler, CommandHandler):
                out.update(c.lower() for c in handler.commands)
    return out

"""/web: an admin's signed link to the web desk; /web revoke: every link and session handed out stops working."""

from __future__ import annotations

import asyncio

from sqlalchemy.orm import Session
from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application, ContextTypes

from bot.commands import command
from bot.context import services_of
from bot.handlers.access import require_admin
from planbot.render import Html
from planbot.settings import Settings
from supervision.rounds import RoundPeriod
from supervision.service import RoundLink
from web import links, store, texts


def register(application: Application) -> None:  # type: ignore[type-arg]
    """Add /web."""
    application.add_handler(command("web", web_command))


def round_link(settings: Settings) -> RoundLink:
    """The line with a unit's fill-in link that its round message carries (wired when the desk is on)."""
    secret = links.load_secret(settings)

    def line(s: Session, unit: str, rnd: RoundPeriod) -> Html:
        url = links.fill_link(settings, secret, unit, rnd, store.generation(s))
        return texts.ROUND_FILL_LINK.render(url=url)

    return line


async def web_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/web (admins): a signed link to the desk; /web revoke: revoke every link and session."""
    if not await require_admin(update, context) or update.effective_chat is None or update.effective_user is None:
        return
    services, user = services_of(context), update.effective_user
    settings, chat = services.settings, update.effective_chat
    args = [a.lower() for a in context.args or []]
    if settings.web_public_url is None:
        await chat.send_message(texts.WEB_OFF.render(), parse_mode=ParseMode.HTML)
        return
    if args == ["revoke"]:
        now = services.clock()
        gen = await services.db.arun(lambda s: store.revoke(s, user.id, now))
        await chat.send_message(texts.WEB_REVOKED.render(generation=gen), parse_mode=ParseMode.HTML)
        return
    if args:
        await chat.send_message(texts.WEB_USAGE.render(), parse_mode=ParseMode.HTML)
        return
    secret = await asyncio.to_thread(links.load_secret, settings)
    gen = await services.db.arun(store.generation)
    url, _ = links.admin_link(settings, secret, services.clock(), gen)
    await chat.send_message(texts.WEB_LINK.render(hours=settings.web_link_hours, url=url),
                            parse_mode=ParseMode.HTML, disable_web_page_preview=True)

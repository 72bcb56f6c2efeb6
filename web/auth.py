"""Who is asking: the session cookie checked against the secret, the clock and the revocation generation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from starlette.requests import Request
from starlette.responses import Response

from planbot.db import Database
from planbot.settings import Settings
from web import links, store

COOKIE = "planbot_desk"


@dataclass
class Keys:
    """The signing secret, read once when the app is built."""

    secret: bytes


async def generation(db: Database) -> int:
    """The current revocation generation."""
    return await db.arun(store.generation)


async def session(request: Request, db: Database, keys: Keys, now: datetime) -> links.Grant | None:
    """The valid session of this request, or None."""
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    return links.verify(keys.secret, token, links.SESSION, now=now, generation=await generation(db))


async def link(token: str, db: Database, keys: Keys, now: datetime) -> links.Grant | None:
    """The grant of a link token, or None."""
    return links.verify(keys.secret, token, links.LINK, now=now, generation=await generation(db))


def open_session(response: Response, settings: Settings, keys: Keys, grant: links.Grant, now: datetime) -> None:
    """Set the session cookie a link opens (HttpOnly, SameSite=Lax; Secure behind https)."""
    sess = links.session_of(grant)
    secure = (settings.web_public_url or "").startswith("https://")
    response.set_cookie(COOKIE, links.sign(keys.secret, sess, links.SESSION),
                        max_age=max(0, int(grant.expires - now.timestamp())), httponly=True, samesite="lax",
                        secure=secure, path="/")

"""Signed, expiring, revocable grants: an admin's /web link, a lead unit's fill-in link, the session cookie.

A token is base64url(JSON payload) + "." + base64url(HMAC-SHA256(secret, payload)). The payload names its
purpose (a link is not a session), the role (admin, or one unit for one round), the expiry and the revocation
generation it was signed in (web.store). Pure but for reading/creating the secret file.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

from planbot.settings import Settings
from supervision.rounds import RoundPeriod

ADMIN = "admin"
UNIT = "unit"
LINK = "link"
SESSION = "session"


@dataclass(frozen=True)
class Grant:
    """What a valid token allows: the admin's desk, or one unit's fill-in form for one round."""

    role: str  # ADMIN or UNIT
    expires: int  # unix seconds
    generation: int
    unit: str = ""
    round_key: str = ""
    nonce: str = ""  # a session's own random id; the CSRF token is derived from it

    def to_payload(self, purpose: str) -> dict[str, object]:
        """The JSON fields signed."""
        return {"p": purpose, "r": self.role, "x": self.expires, "g": self.generation, "u": self.unit,
                "w": self.round_key, "n": self.nonce}


def load_secret(settings: Settings) -> bytes:
    """WEB_SECRET, else the secret generated once into the data directory (created on first use)."""
    if settings.web_secret:
        return settings.web_secret.encode()
    path: Path = settings.web_secret_file
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # EXCL: two processes agree on one
        try:
            os.write(fd, secrets.token_urlsafe(48).encode())
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
    return path.read_bytes().strip()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(secret: bytes, grant: Grant, purpose: str) -> str:
    """The token for a grant."""
    body = _b64(json.dumps(grant.to_payload(purpose), separators=(",", ":"), ensure_ascii=False).encode())
    mac = hmac.new(secret, body.encode(), hashlib.sha256).digest()
    return f"{body}.{_b64(mac)}"


def verify(secret: bytes, token: str, purpose: str, *, now: datetime, generation: int) -> Grant | None:
    """The grant of a token that is authentic, of this purpose, unexpired and not revoked; else None."""
    body, _, mac = token.partition(".")
    try:
        expected = hmac.new(secret, body.encode(), hashlib.sha256).digest()
        if not mac or not hmac.compare_digest(expected, _unb64(mac)):
            return None
        data = json.loads(_unb64(body))
        grant = Grant(role=str(data["r"]), expires=int(data["x"]), generation=int(data["g"]),
                      unit=str(data.get("u", "")), round_key=str(data.get("w", "")), nonce=str(data.get("n", "")))
    except (ValueError, KeyError, TypeError):
        return None
    if data.get("p") != purpose or grant.role not in (ADMIN, UNIT):
        return None
    if grant.expires <= now.timestamp() or grant.generation != generation:
        return None
    return grant


def admin_grant(settings: Settings, now: datetime, generation: int) -> Grant:
    """An admin's desk for WEB_LINK_HOURS."""
    return Grant(ADMIN, int((now + timedelta(hours=settings.web_link_hours)).timestamp()), generation)


def unit_grant(settings: Settings, unit: str, rnd: RoundPeriod, generation: int) -> Grant:
    """One unit's fill-in form, until the round ends (midnight after its Sunday, in the bureau's zone)."""
    end = datetime.combine(rnd.end + timedelta(days=1), time(0), tzinfo=settings.tz)
    return Grant(UNIT, int(end.timestamp()), generation, unit=unit, round_key=rnd.key)


def session_of(grant: Grant) -> Grant:
    """The session a link opens: same rights and expiry, its own nonce."""
    return Grant(grant.role, grant.expires, grant.generation, grant.unit, grant.round_key, secrets.token_urlsafe(16))


def csrf_token(secret: bytes, session: Grant) -> str:
    """The form token tied to one session."""
    return _b64(hmac.new(secret, f"csrf|{session.nonce}".encode(), hashlib.sha256).digest())


def link_url(settings: Settings, path: str, token: str) -> str:
    """An absolute link under the public base (WEB_BASE_URL)."""
    base = settings.web_public_url
    assert base is not None, "links exist only with the web desk on (WEB_PORT)"
    return f"{base}{path}/{token}"


def admin_link(settings: Settings, secret: bytes, now: datetime, generation: int) -> tuple[str, Grant]:
    """The admin's /web link and what it grants."""
    grant = admin_grant(settings, now, generation)
    return link_url(settings, "/login", sign(secret, grant, LINK)), grant


def fill_link(settings: Settings, secret: bytes, unit: str, rnd: RoundPeriod, generation: int) -> str:
    """A lead unit's fill-in link for one round."""
    return link_url(settings, "/fill", sign(secret, unit_grant(settings, unit, rnd, generation), LINK))

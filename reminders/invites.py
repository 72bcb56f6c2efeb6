"""Per-person invite deep links (`/start <token>`) that bind a user on first start. OWNER: reminders helper.

Contract used by the bot's /start handler:
- redeem_invite(s: Session, token: str, telegram_id: int) -> str | None
  binds the user to the invite's name and returns that name; None for an unknown or used-up token.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from planbot import people
from reminders.store import InviteRow, utcnow_naive


def create_invites(s: Session, names: Iterable[str], now: datetime) -> dict[str, str]:
    """An unused token per name (an existing unused one is reused, so printing twice gives the same link)."""
    out: dict[str, str] = {}
    for name in dict.fromkeys(names):
        token = s.scalar(select(InviteRow.token).where(InviteRow.name == name, InviteRow.used_by.is_(None))
                         .order_by(InviteRow.created_at))
        if token is None:
            # Telegram deep-link payloads allow [A-Za-z0-9_-] up to 64 characters.
            token = secrets.token_urlsafe(18)
            s.add(InviteRow(token=token, name=name, created_at=utcnow_naive(now)))
        out[name] = token
    s.flush()
    return out


def redeem_invite(s: Session, token: str, telegram_id: int, now: datetime | None = None) -> str | None:
    """Bind `telegram_id` to the invite's name; None for an unknown token or one used by someone else."""
    row = s.get(InviteRow, token.strip())
    if row is None:
        return None
    if row.used_by is not None and row.used_by != telegram_id:
        return None
    people.bind(s, telegram_id, row.name, source="invite")
    if row.used_by is None:
        row.used_by = telegram_id
        row.used_at = utcnow_naive(now or datetime.now().astimezone())
    s.flush()
    return row.name


def deep_link(token: str, bot_username: str | None) -> str:
    """The t.me link when the bot's username is known, else the /start command to send."""
    return f"https://t.me/{bot_username}?start={token}" if bot_username else f"/start {token}"

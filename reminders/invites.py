"""Per-person invite deep links (`/start <token>`) that bind a user on first start. OWNER: reminders helper.

Contract used by the bot's /start handler:
- redeem_invite(s: Session, token: str, telegram_id: int) -> str | None
  binds the user to the invite's name and returns that name; None for an unknown or used-up token.
"""

from __future__ import annotations

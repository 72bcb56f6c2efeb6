"""The revocation generation of web links (planbot/migrations/0008 makes the table). OWNER: web.

Every link and session carries the generation it was signed in; `/web revoke` adds a row, so the generation moves
on and everything signed before stops working, in every web process sharing the database.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import BigInteger, DateTime, Integer, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from planbot.db import Base


class RevocationRow(Base):
    """One `/web revoke`."""

    __tablename__ = "web_revocations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger)
    revoked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def generation(s: Session) -> int:
    """The current generation: how many revocations there were."""
    return int(s.scalar(select(func.count()).select_from(RevocationRow)) or 0)


def revoke(s: Session, telegram_id: int, now: datetime) -> int:
    """Revoke every link and session signed so far; the new generation."""
    s.add(RevocationRow(telegram_id=telegram_id, revoked_at=now.astimezone(UTC)))
    s.flush()
    return generation(s)

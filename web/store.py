"""The revocation generation of web links (planbot/migrations/0008 makes the table), and the one read of the
outboxes a task page shows (`deliveries`). OWNER: web.

Every link and session carries the generation it was signed in; `/web revoke` adds a row, so the generation moves
on and everything signed before stops working, in every web process sharing the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import BigInteger, DateTime, Integer, func, literal, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from planbot.db import Base
from reminders.store import PENDING, REMINDER, SENT, ReminderItemRow, ReminderMessageItemRow, ReminderMessageRow
from supervision.store import RequestRow, RoundRow

UNBOUND = "unbound"  # a reminder for a name with no Telegram chat: no message was ever written for it
FAILED = "failed"  # a round message whose last attempt failed (status_requests has no state column)


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


@dataclass(frozen=True)
class Delivery:
    """One scheduled message concerning a task: its kind and state are the outbox's own words (the page labels them)."""

    kind: str  # reminder (an item's kind is its own detail) | request | chase | leader | …
    recipient: str
    at: datetime  # aware UTC: when sent, else when written
    state: str  # pending | sent | undelivered | failed | unbound | anything a later outbox adds
    error: str = ""


def _utc(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def deliveries(s: Session, plan_key: str, task: int, limit: int) -> tuple[list[Delivery], int]:
    """The newest `limit` reminders and round messages concerning `task`, and how many there are in all.

    The one place that knows the outbox tables: a reworked outbox changes this function, not the page.
    """
    out: list[Delivery] = []
    reminders = (select(ReminderItemRow, ReminderMessageRow)
                 .outerjoin(ReminderMessageItemRow, ReminderMessageItemRow.item_id == ReminderItemRow.id)
                 .outerjoin(ReminderMessageRow, (ReminderMessageRow.id == ReminderMessageItemRow.message_id)
                            & (ReminderMessageRow.purpose == REMINDER))
                 .where(ReminderItemRow.plan_key == plan_key, ReminderItemRow.task == task))
    for item, message in s.execute(reminders).all():
        if message is None:
            out.append(Delivery(REMINDER, item.recipient, _utc(item.created_at), UNBOUND))
        else:
            out.append(Delivery(REMINDER, item.recipient, _utc(message.sent_at or message.created_at),
                                message.status, message.error or ""))
    # tasks is "3,17,25": matching ",17," inside ",3,17,25," finds a number, never a part of one
    asked = (literal(",") + RequestRow.tasks + literal(",")).like(f"%,{int(task)},%")
    rounds = (select(RequestRow).join(RoundRow, RequestRow.round_id == RoundRow.id)
              .where(RoundRow.plan_key == plan_key, asked))
    for req in s.scalars(rounds).all():
        state = SENT if req.sent_at is not None else FAILED if req.error else PENDING
        out.append(Delivery(req.kind, req.unit, _utc(req.sent_at or req.created_at), state, req.error or ""))
    out.sort(key=lambda d: d.at, reverse=True)
    return out[:limit], len(out)

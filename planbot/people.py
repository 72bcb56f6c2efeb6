"""Who may use the bot and who they are: users (roles, approval) and bindings to ledger names.

A binding links a Telegram user id to a leader or unit name as the ledger spells it; reminders
and status requests for that name go to every bound id. The directory import, /bind and invite
deep links all write bindings here. A bound user has access like an approved user.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import BigInteger, DateTime, Integer, String, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from planbot.db import Base

ROLE_ADMIN = "admin"
ROLE_STAFF = "staff"
STATUS_PENDING = "pending"
STATUS_APPROVED = "approved"
STATUS_REJECTED = "rejected"


class UserRow(Base):
    """A Telegram user known to the bot (registered, approved or rejected)."""

    __tablename__ = "users"
    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    registered_as: Mapped[str] = mapped_column(String(200), default="")  # what they typed in /register
    status: Mapped[str] = mapped_column(String(20), default=STATUS_PENDING)
    chat_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)  # private chat, for messages
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class BindingRow(Base):
    """A Telegram user bound to a leader or unit name of the ledger."""

    __tablename__ = "bindings"
    __table_args__ = (UniqueConstraint("telegram_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, index=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    source: Mapped[str] = mapped_column(String(20), default="bind")  # bind | directory | invite
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True)
class Binding:
    """A binding, detached from the session."""

    telegram_id: int
    name: str
    source: str


def _now() -> datetime:
    return datetime.now(UTC)


def bind(s: Session, telegram_id: int, name: str, source: str = "bind") -> bool:
    """Bind a user to a name; return False if that binding already existed."""
    exists = s.scalar(select(BindingRow).where(BindingRow.telegram_id == telegram_id, BindingRow.name == name))
    if exists:
        return False
    s.add(BindingRow(telegram_id=telegram_id, name=name, source=source, created_at=_now()))
    s.flush()
    return True


def unbind(s: Session, telegram_id: int, name: str | None = None) -> int:
    """Remove one binding (or all of a user's); return how many were removed."""
    stmt = delete(BindingRow).where(BindingRow.telegram_id == telegram_id)
    if name is not None:
        stmt = stmt.where(BindingRow.name == name)
    return s.execute(stmt).rowcount or 0  # type: ignore[attr-defined]


def names_of(s: Session, telegram_id: int) -> list[str]:
    """The names a user is bound to."""
    return list(s.scalars(select(BindingRow.name).where(BindingRow.telegram_id == telegram_id).order_by(BindingRow.id)))


def ids_of(s: Session, name: str) -> list[int]:
    """The Telegram ids bound to a name."""
    return list(s.scalars(select(BindingRow.telegram_id).where(BindingRow.name == name).order_by(BindingRow.id)))


def all_bindings(s: Session) -> list[Binding]:
    """Every binding, by name."""
    rows = s.scalars(select(BindingRow).order_by(BindingRow.name, BindingRow.telegram_id))
    return [Binding(r.telegram_id, r.name, r.source) for r in rows]


def get_user(s: Session, telegram_id: int) -> UserRow | None:
    """The stored user, if any."""
    return s.get(UserRow, telegram_id)


def upsert_user(s: Session, telegram_id: int, *, status: str | None = None, display_name: str | None = None,
                registered_as: str | None = None, chat_id: int | None = None) -> UserRow:
    """Create or update a user; only the given fields change."""
    row = s.get(UserRow, telegram_id)
    if row is None:
        row = UserRow(telegram_id=telegram_id, status=status or STATUS_PENDING, display_name=display_name or "",
                      registered_as=registered_as or "", chat_id=chat_id, updated_at=_now())
        s.add(row)
    else:
        if status is not None:
            row.status = status
        if display_name is not None:
            row.display_name = display_name
        if registered_as is not None:
            row.registered_as = registered_as
        if chat_id is not None:
            row.chat_id = chat_id
        row.updated_at = _now()
    s.flush()
    return row


def is_approved(s: Session, telegram_id: int) -> bool:
    """Approved in the database, or bound to any name (the directory grants access)."""
    row = s.get(UserRow, telegram_id)
    if row is not None and row.status == STATUS_APPROVED:
        return True
    return s.scalar(select(BindingRow.id).where(BindingRow.telegram_id == telegram_id).limit(1)) is not None

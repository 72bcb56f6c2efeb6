"""Stored Q&A learning (planbot/migrations/ makes the tables): aliases, question → task mappings, recorded misses.

Aliases are vocabulary, shared by every plan (the lexicon applies a pair only when the plan uses its term);
mappings and misses belong to one plan family (its stable key), since task numbers do.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import BigInteger, DateTime, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from knowledge.qa.learning import Miss, question_key
from planbot.db import Base


class AliasRow(Base):
    """An admin's alias: everyday word → the plan's term."""

    __tablename__ = "qa_aliases"
    said: Mapped[str] = mapped_column(String(50), primary_key=True)
    meant: Mapped[str] = mapped_column(String(50))
    added_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MappingRow(Base):
    """A question (by key) the office answered with one task of a plan."""

    __tablename__ = "qa_mappings"
    __table_args__ = (UniqueConstraint("plan_key", "question_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_key: Mapped[str] = mapped_column(String(500))
    question_key: Mapped[str] = mapped_column(String(500))
    question: Mapped[str] = mapped_column(Text)
    task_number: Mapped[int] = mapped_column(Integer)
    added_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MissRow(Base):
    """A question the bot refused or answered with low confidence."""

    __tablename__ = "qa_misses"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_key: Mapped[str] = mapped_column(String(500), index=True)
    question: Mapped[str] = mapped_column(Text)
    question_key: Mapped[str] = mapped_column(String(500))
    telegram_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    asked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    decision: Mapped[str] = mapped_column(String(10))
    pointer: Mapped[int | None] = mapped_column(Integer, nullable=True)


def _aware(value: datetime) -> datetime:
    """SQLite returns naive datetimes; every stored time is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def save_alias(s: Session, said: str, meant: str, by: int | None, now: datetime) -> str | None:
    """Store (or change) an alias; the term it meant before, if it existed."""
    row = s.get(AliasRow, said)
    before = row.meant if row is not None else None
    if row is None:
        s.add(AliasRow(said=said, meant=meant, added_by=by, added_at=now.astimezone(UTC)))
    else:
        row.meant, row.added_by, row.added_at = meant, by, now.astimezone(UTC)
    return before


def aliases(s: Session) -> dict[str, str]:
    """Every stored alias."""
    return {r.said: r.meant for r in s.scalars(select(AliasRow).order_by(AliasRow.said))}


def save_mapping(s: Session, plan_key: str, question: str, task_number: int, by: int | None,
                 now: datetime) -> None:
    """Answer `question` (by its key) from `task_number` from now on (a later mapping of it replaces this one)."""
    key = question_key(question)
    row = s.scalars(select(MappingRow).where(MappingRow.plan_key == plan_key,
                                             MappingRow.question_key == key)).first()
    if row is None:
        s.add(MappingRow(plan_key=plan_key, question_key=key, question=question, task_number=task_number,
                         added_by=by, added_at=now.astimezone(UTC)))
    else:
        row.question, row.task_number, row.added_by, row.added_at = question, task_number, by, now.astimezone(UTC)


def mappings(s: Session, plan_key: str) -> dict[str, int]:
    """Question → task number for one plan."""
    return {r.question: r.task_number for r in s.scalars(select(MappingRow).where(MappingRow.plan_key == plan_key))}


def record_miss(s: Session, plan_key: str, question: str, telegram_id: int | None, decision: str,
                pointer: int | None, now: datetime) -> None:
    """Record one refused or low-confidence question."""
    s.add(MissRow(plan_key=plan_key, question=question, question_key=question_key(question),
                  telegram_id=telegram_id, asked_at=now.astimezone(UTC), decision=decision, pointer=pointer))


def misses_since(s: Session, plan_key: str, since: datetime) -> list[Miss]:
    """The plan's recorded misses from `since` on, oldest first."""
    rows = s.scalars(select(MissRow).where(MissRow.plan_key == plan_key, MissRow.asked_at >= since.astimezone(UTC))
                     .order_by(MissRow.asked_at, MissRow.id))
    return [Miss(r.id, r.question, r.question_key, _aware(r.asked_at), r.decision, r.pointer) for r in rows]


def miss(s: Session, miss_id: int) -> Miss | None:
    """One recorded miss by id."""
    r = s.get(MissRow, miss_id)
    return None if r is None else Miss(r.id, r.question, r.question_key, _aware(r.asked_at), r.decision, r.pointer)

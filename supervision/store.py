"""Status-round tables (rounds, requests, replies) for the ORM (planbot/migrations/ makes them). OWNER: supervision.

Contract used by reminders and views (who completes a task: supervision.status_model):
- completed_tasks(s, plan_key, plan, groups) -> set[int]   complete task numbers
- done_pairs(s, plan_key, plan, groups) -> set[(task, lead unit)]   lead units done with a task

Replies are keyed by plan key + task number (not by a ledger row id), so re-indexing a changed plan keeps them.
Every reply is a new row: the last one of a (round, task, unit) counts, earlier ones are the history.
Note prompts (the ForceReply asking for a note after a status) are rows keyed by their chat and message id, so
only a reply to the prompt is taken as the note, and a pending prompt survives a restart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from knowledge.model import Plan
from planbot.db import Base, insert_ignore
from supervision import status_model
from supervision.records import KIND_CHASE, KIND_REQUEST, Reply, Request, latest_by_unit
from supervision.rounds import CLOSED, REOPENED, RoundPeriod

__all__ = ["KIND_CHASE", "KIND_REQUEST", "Reply", "Request", "latest_by_unit"]  # kept importable here


class RoundRow(Base):
    """One weekly round of one plan."""

    __tablename__ = "status_rounds"
    __table_args__ = (UniqueConstraint("plan_key", "round_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_key: Mapped[str] = mapped_column(String(300), index=True)
    round_key: Mapped[str] = mapped_column(String(20))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RequestRow(Base):
    """A message of a round to one bound user of a unit; written before sending, marked after (outbox)."""

    __tablename__ = "status_requests"
    __table_args__ = (UniqueConstraint("round_id", "kind", "unit", "telegram_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("status_rounds.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    unit: Mapped[str] = mapped_column(String(200))
    telegram_id: Mapped[int] = mapped_column(BigInteger)
    tasks: Mapped[str] = mapped_column(Text, default="")  # comma-separated task numbers asked about
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    # migration 0010-outbox-for-everything: Telegram's id of the delivered message, from the dispatcher
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class ReplyRow(Base):
    """One status reply (or an admin's reopen) for a task, by a unit, in a round."""

    __tablename__ = "status_replies"
    __table_args__ = (Index("ix_status_replies_plan_task", "plan_key", "task_number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_key: Mapped[str] = mapped_column(String(300))
    round_key: Mapped[str] = mapped_column(String(20), index=True)
    task_number: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    telegram_id: Mapped[int] = mapped_column(BigInteger)
    reporter: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class NotePromptRow(Base):
    """A ForceReply prompt asking for the note of one status report; only a reply to it is the note."""

    __tablename__ = "status_note_prompts"
    __table_args__ = (Index("ix_status_note_prompts_user", "telegram_id"),)
    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    message_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger)
    reply_ids: Mapped[str] = mapped_column(Text)  # comma-separated ids of the replies the note belongs to
    step: Mapped[str] = mapped_column(String(10))  # "note" or "reason"
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


def _utc(at: datetime) -> datetime:
    """Store UTC: SQLite keeps no offset, so every stored time is UTC and read back as such."""
    return at.astimezone(UTC)


def _aware(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at


def _reply(r: ReplyRow) -> Reply:
    return Reply(r.id, r.plan_key, r.round_key, r.task_number, r.unit, r.role, r.status, r.note, r.reason,
                 r.telegram_id, r.reporter, _aware(r.created_at))


def ensure_round(s: Session, plan_key: str, period: RoundPeriod, now: datetime) -> RoundRow:
    """The round row of `period`, created on first use."""
    query = select(RoundRow).where(RoundRow.plan_key == plan_key, RoundRow.round_key == period.key)
    row = s.scalar(query)
    if row is None:  # insert-or-ignore: another process may open the same round at the same moment
        insert_ignore(s, RoundRow.__table__, [{  # type: ignore[arg-type]
            "plan_key": plan_key, "round_key": period.key, "starts_on": period.start, "ends_on": period.end,
            "opened_at": _utc(now)}], ["plan_key", "round_key"])
        row = s.scalar(query)
        assert row is not None
    return row


def add_reply(s: Session, *, plan_key: str, round_key: str, task: int, unit: str, role: str, status: str,
              telegram_id: int, now: datetime, note: str = "", reason: str = "", reporter: str = "") -> Reply:
    """Store a reply; earlier replies of the same unit stay as history."""
    row = ReplyRow(plan_key=plan_key, round_key=round_key, task_number=task, unit=unit, role=role, status=status,
                   note=note, reason=reason, telegram_id=telegram_id, reporter=reporter, created_at=_utc(now))
    s.add(row)
    s.flush()
    return _reply(row)


def set_note(s: Session, reply_id: int, *, note: str | None = None, reason: str | None = None) -> Reply | None:
    """Attach the note (and reason) asked for after a button; None if the reply is gone."""
    row = s.get(ReplyRow, reply_id)
    if row is None:
        return None
    if note is not None:
        row.note = note
    if reason is not None:
        row.reason = reason
    s.flush()
    return _reply(row)


def reopen(s: Session, *, plan_key: str, round_key: str, task: int, telegram_id: int, now: datetime,
           reporter: str = "", note: str = "") -> Reply:
    """An admin reopens a task reported 已完成: its overdue reminders and round requests resume."""
    return add_reply(s, plan_key=plan_key, round_key=round_key, task=task, unit="", role="admin", status=REOPENED,
                     telegram_id=telegram_id, now=now, note=note, reporter=reporter)


def replies(s: Session, plan_key: str, *, round_key: str | None = None) -> list[Reply]:
    """Replies of a plan (optionally of one round), oldest first."""
    stmt = select(ReplyRow).where(ReplyRow.plan_key == plan_key)
    if round_key is not None:
        stmt = stmt.where(ReplyRow.round_key == round_key)
    return [_reply(r) for r in s.scalars(stmt.order_by(ReplyRow.id))]


def close(s: Session, *, plan_key: str, round_key: str, task: int, telegram_id: int, now: datetime,
          reporter: str = "", note: str = "") -> Reply:
    """An admin closes a task (/close N 说明): complete whatever its lead units reported."""
    return add_reply(s, plan_key=plan_key, round_key=round_key, task=task, unit="", role="admin", status=CLOSED,
                     telegram_id=telegram_id, now=now, note=note, reporter=reporter)


Groups = Mapping[str, Iterable[str]]


def completed_tasks(s: Session, plan_key: str, plan: Plan, groups: Groups) -> set[int]:
    """Numbers of the complete tasks (every lead unit 已完成, or closed by an admin)."""
    return status_model.completed(plan, replies(s, plan_key), groups)


def done_pairs(s: Session, plan_key: str, plan: Plan, groups: Groups) -> set[tuple[int, str]]:
    """(task, lead unit) pairs whose unit reported 已完成 (or whose task is complete)."""
    return status_model.done_pairs(plan, replies(s, plan_key), groups)


def open_prompt(s: Session, *, chat_id: int, message_id: int, telegram_id: int, reply_ids: Iterable[int],
                step: str, now: datetime) -> None:
    """Remember a note prompt; earlier open prompts of the same user are closed (one pending note at a time)."""
    for row in s.scalars(select(NotePromptRow).where(NotePromptRow.telegram_id == telegram_id,
                                                     NotePromptRow.closed_at.is_(None))):
        row.closed_at = _utc(now)
    s.add(NotePromptRow(chat_id=chat_id, message_id=message_id, telegram_id=telegram_id,
                        reply_ids=",".join(map(str, reply_ids)), step=step, created_at=_utc(now)))
    s.flush()


@dataclass(frozen=True)
class Prompt:
    """An open note prompt."""

    chat_id: int
    message_id: int
    telegram_id: int
    reply_ids: tuple[int, ...]
    step: str


def _prompt(row: NotePromptRow) -> Prompt:
    return Prompt(row.chat_id, row.message_id, row.telegram_id,
                  tuple(int(x) for x in row.reply_ids.split(",") if x), row.step)


def find_prompt(s: Session, chat_id: int, message_id: int) -> Prompt | None:
    """The open prompt this message id is, or None."""
    row = s.get(NotePromptRow, (chat_id, message_id))
    return _prompt(row) if row is not None and row.closed_at is None else None


def latest_prompt(s: Session, telegram_id: int, reply_id: int | None = None) -> Prompt | None:
    """The user's open prompt (the one for `reply_id` when given)."""
    rows = s.scalars(select(NotePromptRow).where(NotePromptRow.telegram_id == telegram_id,
                                                 NotePromptRow.closed_at.is_(None))
                     .order_by(NotePromptRow.created_at.desc())).all()
    for row in rows:
        prompt = _prompt(row)
        if reply_id is None or reply_id in prompt.reply_ids:
            return prompt
    return None


def close_prompt(s: Session, prompt: Prompt, now: datetime) -> None:
    """Mark a prompt answered or skipped."""
    row = s.get(NotePromptRow, (prompt.chat_id, prompt.message_id))
    if row is not None:
        row.closed_at = _utc(now)


def record_request(s: Session, round_row: RoundRow, *, kind: str, unit: str, telegram_id: int,
                   tasks: list[int], now: datetime) -> RequestRow | None:
    """Write a request before sending it; None if it was already sent (never send twice)."""
    query = select(RequestRow).where(RequestRow.round_id == round_row.id, RequestRow.kind == kind,
                                     RequestRow.unit == unit, RequestRow.telegram_id == telegram_id)
    row = s.scalar(query)
    if row is None:  # insert-or-ignore: two processes may run the same round at once
        insert_ignore(s, RequestRow.__table__, [{  # type: ignore[arg-type]
            "round_id": round_row.id, "kind": kind, "unit": unit, "telegram_id": telegram_id,
            "tasks": ",".join(map(str, tasks)), "created_at": _utc(now)}], ["round_id", "kind", "unit", "telegram_id"])
        row = s.scalar(query)
        assert row is not None
    if row.sent_at is not None:
        return None
    row.tasks = ",".join(map(str, tasks))
    return row


def delivered(s: Session, message: Any) -> None:
    """The dispatcher settled an outbox message of a request: sent once all its parts are, else its error."""
    from reminders.store import SENT, ReminderMessageRow

    row = s.get(RequestRow, message.ref_id)
    if row is None:
        return
    if message.status != SENT:
        row.error = message.error or message.status
        return
    parts = s.scalars(select(ReminderMessageRow.status).where(ReminderMessageRow.ref_id == message.ref_id,
                                                               ReminderMessageRow.kind == message.kind)).all()
    if all(status == SENT for status in parts):
        row.sent_at = _aware(message.sent_at)
        row.telegram_message_id = message.telegram_message_id
        row.error = None


def mark_sent(s: Session, request_id: int, now: datetime, error: str | None = None) -> None:
    """Mark a request sent (or note why it could not be delivered; it stays unsent and is retried)."""
    row = s.get(RequestRow, request_id)
    if row is None:
        return
    if error is None:
        row.sent_at = _utc(now)
        row.error = None
    else:
        row.error = error


def requests(s: Session, plan_key: str, *, round_key: str | None = None, kind: str | None = None,
             since: date | None = None, until: date | None = None) -> list[Request]:
    """Round messages of a plan (optionally one round, one kind, or rounds starting within [since, until])."""
    stmt = select(RequestRow, RoundRow).join(RoundRow, RequestRow.round_id == RoundRow.id)
    stmt = stmt.where(RoundRow.plan_key == plan_key)
    if round_key is not None:
        stmt = stmt.where(RoundRow.round_key == round_key)
    if kind is not None:
        stmt = stmt.where(RequestRow.kind == kind)
    if since is not None:
        stmt = stmt.where(RoundRow.ends_on >= since)
    if until is not None:
        stmt = stmt.where(RoundRow.starts_on <= until)
    out = []
    for req, rnd in s.execute(stmt.order_by(RequestRow.id)).all():
        nums = tuple(int(x) for x in req.tasks.split(",") if x)
        sent = _aware(req.sent_at) if req.sent_at else None
        out.append(Request(req.id, rnd.round_key, req.kind, req.unit, req.telegram_id, nums, sent,
                           _aware(req.created_at)))
    return out

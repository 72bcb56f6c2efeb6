"""The outbox: reminders written (idempotently) before anything is sent, one message per chat per day."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, and_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from planbot.render import Html, join, join_lines
from reminders import texts as msg
from reminders.rules import Reminder
from reminders.store import (
    DIGEST,
    PENDING,
    REMINDER,
    UNDELIVERED,
    ReminderItemRow,
    ReminderMessageItemRow,
    ReminderMessageRow,
    utcnow_naive,
)

MAX_TASKS_PER_MESSAGE = 25  # keeps text and keyboard well inside Telegram's limits


@dataclass
class EnqueueStats:
    """What one enqueue wrote."""

    items: int = 0  # items in the call
    new_items: int = 0
    new_messages: int = 0
    unreachable: list[str] = field(default_factory=list)  # recipients with no Telegram id


def _insert_ignore(s: Session, table: Table, rows: Sequence[dict[str, Any]], keys: Sequence[str]) -> int:
    """INSERT … ON CONFLICT DO NOTHING on SQLite and PostgreSQL; returns rows inserted."""
    if not rows:
        return 0
    dialect = s.get_bind().dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite
    # One cached statement run as executemany (SQLAlchemy batches it into multi-row VALUES); RETURNING
    # counts the inserted rows reliably on both (a multi-row rowcount is -1 under psycopg).
    stmt = module.insert(table).on_conflict_do_nothing(index_elements=list(keys)).returning(table.c[keys[0]])
    return len(s.execute(stmt, list(rows)).all())


def enqueue(s: Session, plan_key: str, reminders: Iterable[Reminder], now: datetime,
            chats_for: Callable[[str], list[int]]) -> EnqueueStats:
    """Write items and their chats' messages for one day's reminders; safe to call again (idempotent)."""
    reminders = list(reminders)
    stats = EnqueueStats(items=len(reminders))
    if not reminders:
        return stats
    created = utcnow_naive(now)
    items_t: Table = ReminderItemRow.__table__  # type: ignore[assignment]
    stats.new_items = _insert_ignore(s, items_t, [
        {"plan_key": plan_key, "task": r.task, "title": r.title, "deadline": r.due, "recipient": r.recipient,
         "role": r.role, "kind": r.kind, "day": r.day, "days_left": r.days_left, "created_at": created}
        for r in reminders], ["plan_key", "task", "deadline", "recipient", "kind", "day"])
    days = sorted({r.day for r in reminders})
    item_ids: dict[tuple[int, date, str, str, date], int] = {}
    for row in s.execute(select(ReminderItemRow.id, ReminderItemRow.task, ReminderItemRow.deadline,
                                ReminderItemRow.recipient, ReminderItemRow.kind, ReminderItemRow.day)
                         .where(ReminderItemRow.plan_key == plan_key, ReminderItemRow.day.in_(days))):
        item_ids[(row.task, row.deadline, row.recipient, row.kind, row.day)] = row.id
    chats: dict[str, list[int]] = {}
    for name in dict.fromkeys(r.recipient for r in reminders):
        chats[name] = chats_for(name)
        if not chats[name]:
            stats.unreachable.append(name)
    wanted = {(r.day, chat) for r in reminders for chat in chats[r.recipient]}
    messages_t: Table = ReminderMessageRow.__table__  # type: ignore[assignment]
    stats.new_messages = _insert_ignore(s, messages_t, [
        {"day": day, "chat_id": chat, "purpose": REMINDER, "status": PENDING, "next_attempt_at": created,
         "attempts": 0, "error": "", "created_at": created} for day, chat in sorted(wanted)],
        ["day", "chat_id", "purpose"])
    open_messages: dict[tuple[date, int], int] = {}
    for mid, mday, mchat in s.execute(
            select(ReminderMessageRow.id, ReminderMessageRow.day, ReminderMessageRow.chat_id)
            .where(ReminderMessageRow.day.in_(days), ReminderMessageRow.purpose == REMINDER,
                   ReminderMessageRow.status == PENDING, ReminderMessageRow.claim_token.is_(None))):
        open_messages[(mday, mchat)] = mid
    links: list[dict[str, Any]] = []
    for r in reminders:
        item = item_ids[(r.task, r.due, r.recipient, r.kind, r.day)]
        for chat in chats[r.recipient]:
            # A message already sent (or being sent) today is not reopened: one message per chat per day.
            message = open_messages.get((r.day, chat))
            if message is not None:
                links.append({"message_id": message, "item_id": item})
    _insert_ignore(s, ReminderMessageItemRow.__table__, links, ["message_id", "item_id"])  # type: ignore[arg-type]
    return stats


@dataclass(frozen=True)
class Line:
    """One task line of a reminder message (items for the same deadline and kind merged across names)."""

    task: int
    title: str
    due: date
    kind: str
    days_left: int
    recipients: tuple[str, ...]


def message_lines(s: Session, message_id: int) -> list[Line]:
    """The task lines a message carries, by task."""
    rows = s.execute(select(ReminderItemRow).join(ReminderMessageItemRow, and_(
        ReminderMessageItemRow.item_id == ReminderItemRow.id, ReminderMessageItemRow.message_id == message_id))
        .order_by(ReminderItemRow.task, ReminderItemRow.deadline)).scalars()
    merged: dict[tuple[int, date, str], list[ReminderItemRow]] = defaultdict(list)
    for row in rows:
        merged[(row.task, row.deadline, row.kind)].append(row)
    return [Line(task, group[0].title, due, kind, group[0].days_left,
                 tuple(dict.fromkeys(r.recipient for r in group))) for (task, due, kind), group in merged.items()]


def _when(line: Line) -> Html | str:
    if line.kind == "overdue":
        return msg.REMINDER_WHEN_OVERDUE.render(days=-line.days_left)
    if line.days_left <= 0:
        return msg.REMINDER_WHEN_DUE
    return msg.REMINDER_WHEN_BEFORE.render(days=line.days_left)


def render_reminder(day: date, lines: Sequence[Line], own: Collection[str] = (),
                    ) -> tuple[Html, list[list[tuple[str, str]]]]:
    """HTML text and inline buttons (label, callback data) of one reminder message; `own`: the reader's names."""
    shown = list(lines[:MAX_TASKS_PER_MESSAGE])
    marks = {"before": "🔔", "due": "⚠️", "overdue": "❗"}
    parts: list[str] = [msg.REMINDER_HEADER.render(day=day.isoformat(), count=len(lines))]
    for line in shown:
        others = [r for r in line.recipients if r not in own]
        text = msg.REMINDER_LINE.render(mark=marks.get(line.kind, "•"), task=line.task, title=line.title,
                                        due=line.due.isoformat(), when=_when(line))
        if others:
            text += msg.REMINDER_LINE_FOR.render(recipients=others)
        parts.append(text)
    if len(lines) > len(shown):
        parts.append(msg.REMINDER_MORE.render(count=len(lines) - len(shown)))
    parts.append(msg.REMINDER_FOOTER)
    buttons: list[list[tuple[str, str]]] = []
    # "t:<n>:card" opens the bot's own task card (bot/keyboards.py); "status:<n>" starts a status reply.
    for task in dict.fromkeys(line.task for line in shown):
        buttons.append([(msg.REMINDER_BUTTON_VIEW.plain(task=task), f"t:{task}:card"),
                        (msg.REMINDER_BUTTON_REPORT.plain(task=task), f"status:{task}")])
    return join(parts, "\n\n"), buttons


def _tasks(numbers: Iterable[int]) -> str:
    return "、".join(str(n) for n in sorted(set(numbers)))


def digest_text(s: Session, day: date) -> Html:
    """What admins need to know about a day's reminders that did not reach anyone (HTML)."""
    lines = undelivered_lines(s, day)
    if not lines:
        return msg.DIGEST_EMPTY.render(day=day.isoformat())
    return join_lines([msg.DIGEST_HEADER.render(day=day.isoformat()), *lines])


def undelivered_lines(s: Session, day: date) -> list[Html]:
    """One HTML-safe line per unreachable name, failed chat or chat still being retried on `day`."""
    lines: list[Html] = []
    linked = select(ReminderMessageItemRow.item_id)
    orphans = s.execute(select(ReminderItemRow.recipient, ReminderItemRow.task)
                        .where(ReminderItemRow.day == day, ReminderItemRow.id.not_in(linked))).all()
    by_name: dict[str, list[int]] = defaultdict(list)
    for name, task in orphans:
        by_name[name].append(task)
    for name, numbers in sorted(by_name.items()):
        lines.append(msg.DIGEST_NO_BINDING.render(recipient=name, tasks=_tasks(numbers)))
    failed = s.scalars(select(ReminderMessageRow).where(
        ReminderMessageRow.day == day, ReminderMessageRow.purpose == REMINDER,
        ReminderMessageRow.status.in_([UNDELIVERED, PENDING])).order_by(ReminderMessageRow.chat_id)).all()
    for row in failed:
        tasks = _tasks(line.task for line in message_lines(s, row.id))
        if row.status == UNDELIVERED:
            lines.append(msg.DIGEST_FAILED.render(chat_id=row.chat_id, error=row.error[:120],
                                                  tasks=tasks))
        elif row.attempts > 0:
            lines.append(msg.DIGEST_PENDING.render(chat_id=row.chat_id, attempts=row.attempts, tasks=tasks))
    return lines


def enqueue_digest(s: Session, day: date, admins: Iterable[int], now: datetime) -> int:
    """A digest message per admin for `day` (rendered when sent, so it shows the latest state)."""
    created = utcnow_naive(now)
    return _insert_ignore(s, ReminderMessageRow.__table__, [  # type: ignore[arg-type]
        {"day": day, "chat_id": admin, "purpose": DIGEST, "status": PENDING, "next_attempt_at": created,
         "attempts": 0, "error": "", "created_at": created} for admin in sorted(set(admins))],
        ["day", "chat_id", "purpose"])

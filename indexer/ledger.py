"""The SQL ledger of plans and tasks (adapter over SQLAlchemy). OWNER: ledger helper.

Contract used by every other feature:
- save_plan(db, plan, source) -> PlanRecord   (idempotent for the same document; replaces tasks of a changed one)
- load_plan(db, selector=None) -> Plan         (newest plan when selector is None; else match year or title part)
- list_plans(db) -> list[PlanRecord]
- current_plan_key(db, selector=None) -> str   (stable key of a plan version family, e.g. "2023:<title>")
Raises planbot.errors.PlanNotFound when nothing matches.
Also: select_plan(db, selector) -> PlanRecord, load_task(db, number, selector) -> Task (raises TaskNotFound).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from indexer import texts as msg
from indexer.schema import PlanRow, TaskRow
from knowledge.model import Plan, Task
from planbot.db import Database
from planbot.errors import PlanNotFound, TaskNotFound
from planbot.render import LIST_SEPARATOR


@dataclass(frozen=True)
class PlanRecord:
    """A plan family as stored, detached from the session (the plan itself: load_plan)."""

    id: int
    key: str
    year: int
    title: str
    version: int
    sha256: str
    source: str
    collection: str | None
    embedding_model: str | None
    created_at: datetime
    indexed_at: datetime
    task_count: int


def plan_key(plan: Plan) -> str:
    """The stable key of a plan family: year and title (a changed document of the same plan keeps it)."""
    return f"{plan.year}:{plan.title.strip()}"


def plan_json(plan: Plan) -> str:
    """Canonical JSON of a plan (sorted keys), so equal plans give equal text."""
    from knowledge.serialize import plan_to_dict

    return json.dumps(plan_to_dict(plan), ensure_ascii=False, sort_keys=True)


def text_sha256(text: str) -> str:
    """Fingerprint of a document's text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def matches(selector: str, year: int, title: str, key: str) -> bool:
    """Does --plan `selector` name this plan? A 4-digit year, the key, or a part of the title."""
    wanted = selector.strip().casefold()
    if wanted.isdigit():
        return int(wanted) == year
    return wanted == key.casefold() or wanted in title.casefold()


def _utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _record(s: Session, row: PlanRow) -> PlanRecord:
    count = s.scalar(select(func.count()).select_from(TaskRow).where(TaskRow.plan_id == row.id)) or 0
    return PlanRecord(
        id=row.id, key=row.key, year=row.year, title=row.title, version=row.version, sha256=row.sha256,
        source=row.source, collection=row.collection, embedding_model=row.embedding_model,
        created_at=_utc(row.created_at), indexed_at=_utc(row.indexed_at), task_count=int(count),
    )


def _newest_first(s: Session) -> list[PlanRow]:
    return list(s.scalars(select(PlanRow).order_by(PlanRow.year.desc(), PlanRow.indexed_at.desc(), PlanRow.id.desc())))


def _select_row(s: Session, selector: str | None) -> PlanRow:
    rows = _newest_first(s)
    if not rows:
        raise PlanNotFound(msg.NO_PLAN)
    if selector is None or not selector.strip():
        return rows[0]
    for row in rows:
        if matches(selector, row.year, row.title, row.key):
            return row
    available = LIST_SEPARATOR.join(msg.PLAN_ITEM.plain(year=r.year, title=r.title) for r in rows)
    raise PlanNotFound(msg.PLAN_NOT_FOUND.plain(selector=selector, available=available, example=rows[0].year))


def list_plans(db: Database) -> list[PlanRecord]:
    """Every stored plan, newest first (by year, then by index time)."""
    with db.session() as s:
        return [_record(s, row) for row in _newest_first(s)]


def select_plan(db: Database, selector: str | None = None) -> PlanRecord:
    """The plan that --plan `selector` names (newest when None)."""
    with db.session() as s:
        return _record(s, _select_row(s, selector))


def get_record(db: Database, key: str) -> PlanRecord | None:
    """The plan with this key, if stored."""
    with db.session() as s:
        row = s.scalars(select(PlanRow).where(PlanRow.key == key)).one_or_none()
        return _record(s, row) if row else None


def load_plan(db: Database, selector: str | None = None) -> Plan:
    """The parsed plan that `selector` names (newest when None)."""
    from knowledge.serialize import plan_from_dict

    with db.session() as s:
        body = _select_row(s, selector).plan_json
    return plan_from_dict(json.loads(body))


def current_plan_key(db: Database, selector: str | None = None) -> str:
    """Stable key of the plan that `selector` names (newest when None)."""
    with db.session() as s:
        return _select_row(s, selector).key


def task_not_found(plan: Plan, number: int) -> TaskNotFound:
    """The error for a task number the plan does not have, naming the valid range."""
    numbers = sorted(t.number for t in plan.tasks)
    return TaskNotFound(msg.TASK_NOT_FOUND.plain(
        title=plan.title, number=number, count=len(numbers),
        first=numbers[0] if numbers else 0, last=numbers[-1] if numbers else 0,
    ))


def load_task(db: Database, number: int, selector: str | None = None) -> Task:
    """One task of the selected plan; TaskNotFound names the valid numbers."""
    plan = load_plan(db, selector)
    task = plan.task(number)
    if task is None:
        raise task_not_found(plan, number)
    return task


def _write_tasks(s: Session, plan_id: int, plan: Plan) -> None:
    for task in plan.tasks:
        s.add(TaskRow(plan_id=plan_id, number=task.number, title=task.title, section=task.section,
                      data_json=json.dumps(task.to_dict(), ensure_ascii=False, sort_keys=True)))


def save_plan(
    db: Database,
    plan: Plan,
    source: str,
    *,
    sha256: str | None = None,
    collection: str | None = None,
    embedding_model: str | None = None,
    now: datetime | None = None,
) -> PlanRecord:
    """Store `plan` under its key in one transaction.

    Same content (sha256 of the text and the parsed JSON) writes nothing; changed content bumps the version
    and replaces the task rows. `collection` (when given) becomes the plan's active Chroma collection.
    """
    body = plan_json(plan)
    digest = sha256 or text_sha256(body)
    key = plan_key(plan)
    stamp = (now or datetime.now(UTC)).astimezone(UTC)  # SQLite keeps no offset: store UTC only

    def work(s: Session) -> PlanRecord:
        row = s.scalars(select(PlanRow).where(PlanRow.key == key)).one_or_none()
        if row is None:
            row = PlanRow(key=key, year=plan.year, title=plan.title.strip(), version=1, sha256=digest, source=source,
                          plan_json=body, collection=collection, embedding_model=embedding_model,
                          created_at=stamp, indexed_at=stamp)
            s.add(row)
            s.flush()
            _write_tasks(s, row.id, plan)
        elif row.sha256 != digest or row.plan_json != body:
            row.version += 1
            row.sha256, row.plan_json, row.source, row.indexed_at = digest, body, source, stamp
            # Old task rows go; other tables refer to tasks by (plan key, number), so nothing else is lost.
            s.execute(delete(TaskRow).where(TaskRow.plan_id == row.id))
            _write_tasks(s, row.id, plan)
        if collection is not None and (row.collection, row.embedding_model) != (collection, embedding_model):
            row.collection, row.embedding_model = collection, embedding_model
        s.flush()
        return _record(s, row)

    return db.run(work)


def stored_plan_json(db: Database, key: str) -> str | None:
    """The stored JSON of the plan with this key (to tell an unchanged document from a changed one)."""
    with db.session() as s:
        return s.scalar(select(PlanRow.plan_json).where(PlanRow.key == key))

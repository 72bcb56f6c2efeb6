"""Ledger tables (plans, tasks) for the ORM; their schema is created by planbot/migrations/.

A plan row is one plan family, identified by a stable `key` (year + title); re-indexing a changed document
bumps `version` and replaces the family's task rows, so everything keyed elsewhere by (plan key, task
number) survives. `plan_json` holds the whole parsed plan; the task rows are a queryable copy.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from planbot.db import Base


class PlanRow(Base):
    """One plan family (stable key) at its current version."""

    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(500), unique=True)  # "2023:<title>"
    year: Mapped[int] = mapped_column(Integer, index=True)
    title: Mapped[str] = mapped_column(String(500))
    version: Mapped[int] = mapped_column(Integer, default=1)
    sha256: Mapped[str] = mapped_column(String(64))  # of the document text
    source: Mapped[str] = mapped_column(String(1000), default="")  # path or name the text came from
    plan_json: Mapped[str] = mapped_column(Text)
    collection: Mapped[str | None] = mapped_column(String(200), nullable=True)  # active Chroma collection
    embedding_model: Mapped[str | None] = mapped_column(String(500), nullable=True)  # model of that collection
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    indexed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # last time the content changed


class TaskRow(Base):
    """One task of a plan's current version."""

    __tablename__ = "tasks"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(1000))
    section: Mapped[str] = mapped_column(String(500), default="")
    data_json: Mapped[str] = mapped_column(Text)  # Task.to_dict()


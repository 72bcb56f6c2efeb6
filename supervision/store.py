"""Status-round tables (rounds, replies) and their migrations. OWNER: supervision helper.

Contract used by reminders (overdue reminders stop when a task is reported done):
- completed_tasks(s: Session, plan_key: str) -> set[int]   task numbers whose latest status is 已完成
  (and not reopened by an admin). plan_key as indexer.ledger.current_plan_key gives it.
"""

from __future__ import annotations

from planbot.db import Migration

MIGRATIONS: list[Migration] = []

"""The SQL ledger of plans and tasks (adapter over SQLAlchemy). OWNER: ledger helper.

Contract used by every other feature:
- save_plan(db, plan, source) -> PlanRecord   (idempotent for the same document; replaces tasks of a changed one)
- load_plan(db, selector=None) -> Plan         (newest plan when selector is None; else match year or title part)
- list_plans(db) -> list[PlanRecord]
- current_plan_key(db, selector=None) -> str   (stable key of a plan version family, e.g. "2023:<title>")
Raises planbot.errors.PlanNotFound when nothing matches.
"""

from __future__ import annotations

"""The one way to the plan being served: the ledger's plan that --plan names (newest by default), parsed once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from indexer.ledger import list_plans, load_plan, matches, plan_key, select_plan
from knowledge.model import Plan
from knowledge.parser import parse_plan
from planbot.db import Database
from planbot.errors import PlanNotFound

Stamp = tuple[str, int, str]  # key, version and fingerprint of a stored plan


class PlanAccess:
    """The current plan of one database (bot, jobs and commands all read it through this).

    `loader` replaces the ledger (tests, benchmarks); `fallback` is a plan document read directly while the
    ledger is still empty (commands that must work before anyone ran `planbot index`; nothing is written).
    """

    def __init__(self, db: Database, selector: str | None = None, *, loader: Callable[[], Plan] | None = None,
                 fallback: Path | None = None) -> None:
        self.db, self.selector, self.loader, self.fallback = db, selector, loader, fallback
        self._cached: tuple[Stamp, Plan] | None = None

    def stamp(self) -> Stamp | None:
        """The stored version the plan comes from (None when a loader replaces the ledger)."""
        if self.loader is not None:
            return None
        record = select_plan(self.db, self.selector)
        return (record.key, record.version, record.sha256)

    def get(self) -> Plan:
        """The plan (PlanNotFound when none is stored and there is no fallback), parsed once per version."""
        if self.loader is not None:
            return self.loader()
        try:
            stamp = self.stamp()
        except PlanNotFound as missing:
            return self._from_fallback(missing)
        assert stamp is not None
        cached = self._cached
        if cached is not None and cached[0] == stamp:
            return cached[1]
        plan = load_plan(self.db, stamp[0])
        self._cached = (stamp, plan)
        return plan

    def key(self) -> str:
        """The ledger's stable key of the plan."""
        return plan_key(self.get())

    async def current(self) -> Plan:
        """`get` off the event loop."""
        return await asyncio.to_thread(self.get)

    def _from_fallback(self, missing: PlanNotFound) -> Plan:
        """The fallback document's plan, or `missing` (which lists the stored plans) when it does not apply."""
        if self.fallback is None or (self.selector and list_plans(self.db)):
            raise missing
        plan = parse_plan(self.fallback.read_text(encoding="utf-8"))
        if self.selector and not matches(self.selector, plan.year, plan.title, plan_key(plan)):
            raise missing
        return plan

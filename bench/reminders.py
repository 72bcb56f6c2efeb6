"""Benchmark: reminder rules, outbox generation and dispatch, each against the obvious alternative.

Synthetic ledger: 50 plans × 37 tasks = 1,850 tasks, 20 recipients each (2 leaders, 3 lead units, 15 units),
1-3 due dates per task in 2023; each task is reported done 0-6 weeks after its last due date (until then it
gets weekly overdue reminders). Prints one table; ratios compare approaches measured in the same run.

    .venv/bin/python bench/reminders.py [--plans 50] [--dispatch 300]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from knowledge.model import Plan, Task, TimeExpr
from planbot.clock import FrozenClock
from planbot.db import Database
from reminders.rules import Reminder, RuleConfig, reminders_between, reminders_on

TZ = ZoneInfo("Asia/Shanghai")
START, END = date(2023, 1, 1), date(2023, 12, 31)
CONFIG = RuleConfig(tz=TZ)



def _ratio(baseline: float, ours: float) -> str:
    """'N.Nx faster' or 'N.Nx slower' than the baseline, never a faster below 1."""
    return f"{baseline / ours:.1f}x faster" if ours <= baseline else f"{ours / baseline:.1f}x slower"

def synthetic_plans(count: int, seed: int = 7) -> tuple[list[Plan], dict[tuple[str, int], date]]:
    """`count` plans of 37 tasks with 20 recipients each, and the day each task is reported done."""
    rng = random.Random(seed)
    plans = []
    done_on: dict[tuple[str, int], date] = {}
    for p in range(count):
        tasks = []
        for n in range(1, 38):
            dues = sorted({START + timedelta(days=rng.randrange(365)) for _ in range(rng.randint(1, 3))})
            tasks.append(Task(
                number=n, title=f"任务{p}-{n}", text="", section="（一）", leaders=(f"领导{p}-{n % 5}", f"领导{p}-x"),
                lead_units=tuple(f"牵头{p}-{(n + k) % 9}" for k in range(3)),
                units=tuple(f"单位{p}-{(n + k) % 40}" for k in range(15)),
                deadlines=tuple(TimeExpr("due", d.isoformat(), d) for d in dues)))
            done_on[(f"合成方案{p}", n)] = dues[-1] + timedelta(days=rng.randrange(43))
        plans.append(Plan(title=f"合成方案{p}", year=2023, tasks=tuple(tasks)))
    return plans, done_on


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds and result of one run."""
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


Done = dict[tuple[str, int], date]


def per_day(plans: list[Plan], done_on: Done) -> int:
    """The obvious way: every day, evaluate every task (with the tasks done by then)."""
    total, day = 0, START
    while day <= END:
        for plan in plans:
            done = {t.number for t in plan.tasks if done_on[(plan.title, t.number)] <= day}
            total += len(reminders_on(plan, day, CONFIG, done))
        day += timedelta(days=1)
    return total


def by_day(plans: list[Plan], done_on: Done) -> dict[date, list[tuple[str, Reminder]]]:
    """Ours: each deadline's send days computed once for the year, cut at the day the task is done."""
    out: dict[date, list[tuple[str, Reminder]]] = {}
    for plan in plans:
        done = {t.number: done_on[(plan.title, t.number)] for t in plan.tasks}
        for day, items in reminders_between(plan, START, END, CONFIG, done_on=done).items():
            out.setdefault(day, []).extend((plan.title, r) for r in items)
    return out


def per_deadline(plans: list[Plan], done_on: Done) -> int:
    """Count of `by_day`."""
    return sum(len(items) for items in by_day(plans, done_on).values())


def enqueue_bulk(db: Database, days: dict[date, list[tuple[str, Reminder]]]) -> int:
    """Ours: one transaction per day; per plan, multi-row INSERT … ON CONFLICT DO NOTHING per table."""
    from reminders.outbox import enqueue

    def chats(name: str) -> list[int]:
        return [abs(hash(name)) % 5000 + 1]

    total = 0
    for day, pairs in days.items():
        now = datetime.combine(day, CONFIG.send_time, tzinfo=TZ)
        plans: dict[str, list[Reminder]] = {}
        for key, r in pairs:
            plans.setdefault(key, []).append(r)
        def work(s: Any, plans: dict[str, list[Reminder]] = plans, now: datetime = now) -> int:
            return sum(enqueue(s, key, items, now, chats).new_items for key, items in plans.items())

        total += db.run(work)
    return total


def enqueue_rowwise(db: Database, days: dict[date, list[tuple[str, Reminder]]]) -> int:
    """The obvious alternative: look each item up, insert it if missing, one ORM row at a time."""
    from sqlalchemy import select

    from reminders.store import ReminderItemRow

    total = 0
    for day, pairs in days.items():
        def work(s: Any, pairs: list[tuple[str, Reminder]] = pairs, day: date = day) -> int:
            added = 0
            for key, r in pairs:
                exists = s.scalar(select(ReminderItemRow.id).where(
                    ReminderItemRow.plan_key == key, ReminderItemRow.task == r.task, ReminderItemRow.deadline == r.due,
                    ReminderItemRow.recipient == r.recipient, ReminderItemRow.kind == r.kind,
                    ReminderItemRow.day == day))
                if exists is None:
                    s.add(ReminderItemRow(plan_key=key, task=r.task, title=r.title, deadline=r.due,
                                          recipient=r.recipient, role=r.role, kind=r.kind, day=day,
                                          days_left=r.days_left, created_at=datetime(2023, 1, 1)))
                    s.flush()
                    added += 1
            return added

        total += db.run(work)
    return total


async def dispatch_run(messages: int, limit: int) -> float:
    """Seconds to dispatch `messages` one-per-chat reminders through the fake Bot API with claim batches of `limit`."""
    from telegram import Bot

    from reminders.dispatcher import dispatch
    from reminders.outbox import enqueue
    from tests.fake_bot_api import FakeBotAPI

    fake = await FakeBotAPI().start()
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/bench.db")
        now = datetime(2023, 10, 31, 9, 0, tzinfo=TZ)
        items = [Reminder(1, "任务", date(2023, 10, 31), "due", f"对象{i}", "unit", now, 0) for i in range(messages)]
        db.run(lambda s: enqueue(s, "bench", items, now, lambda name: [int(name.removeprefix("对象")) + 1]))
        try:
            async with Bot(fake.token, base_url=fake.base_url) as bot:
                start = time.perf_counter()
                stats = await dispatch(db, bot, FrozenClock(now), limit=limit, max_batches=10**6)
                elapsed = time.perf_counter() - start
            assert stats.sent == messages, stats
        finally:
            db.dispose()
            await fake.stop()
    return elapsed


def main() -> None:
    """Run and print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=50)
    parser.add_argument("--dispatch", type=int, default=300, help="messages for the dispatch benchmark")
    parser.add_argument("--rowwise-days", type=int, default=20, help="days enqueued row by row (it is slow)")
    args = parser.parse_args()
    plans, done_on = synthetic_plans(args.plans)
    tasks = sum(len(p.tasks) for p in plans)

    t_day, n_day = timed(lambda: per_day(plans, done_on))
    t_deadline, n_deadline = timed(lambda: per_deadline(plans, done_on))
    assert n_day == n_deadline, (n_day, n_deadline)
    days = by_day(plans, done_on)
    sample = dict(list(days.items())[: args.rowwise_days])
    sample_items = sum(len(v) for v in sample.values())
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/bulk.db")
        t_bulk, n_bulk = timed(lambda: enqueue_bulk(db, days))
        db.dispose()
        db = Database(f"sqlite:///{tmp}/bulk_sample.db")
        t_bulk_s, _ = timed(lambda: enqueue_bulk(db, sample))
        db.dispose()
        db = Database(f"sqlite:///{tmp}/rowwise.db")
        t_row, n_row = timed(lambda: enqueue_rowwise(db, sample))
        db.dispose()
    assert n_bulk == n_deadline and n_row == sample_items
    t_one = asyncio.run(dispatch_run(args.dispatch, limit=1))
    t_batch = asyncio.run(dispatch_run(args.dispatch, limit=50))

    rows = [
        ("rules: year, per-day recomputation", f"{tasks} tasks", n_day, t_day, ""),
        ("rules: year, per-deadline (ours)", f"{tasks} tasks", n_deadline, t_deadline,
         _ratio(t_day, t_deadline)),
        ("outbox: row-by-row lookup+insert", f"{len(sample)} days", sample_items, t_row, ""),
        ("outbox: bulk insert-ignore (ours)", f"{len(sample)} days", sample_items, t_bulk_s,
         _ratio(t_row, t_bulk_s)),
        ("outbox: bulk, whole year", f"{len(days)} days", n_bulk, t_bulk, f"{n_bulk / t_bulk:,.0f} items/s"),
        ("dispatch: claim 1 per transaction", "fake Bot API", args.dispatch, t_one,
         f"{args.dispatch / t_one:,.0f} msg/s"),
        ("dispatch: claim 50 per batch (ours)", "fake Bot API", args.dispatch, t_batch,
         f"{args.dispatch / t_batch:,.0f} msg/s, {t_one / t_batch:.2f}x"),
    ]
    print(f"{'step':40} {'scope':>14} {'items':>9} {'seconds':>9}  ratio")
    for name, scope, n, t, ratio in rows:
        print(f"{name:40} {scope:>14} {n:>9,} {t:>9.3f}  {ratio}")
    print("Note: production dispatch also passes PTB's AIORateLimiter (about 30 messages/s to Telegram).")


if __name__ == "__main__":
    main()

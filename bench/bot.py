"""Updates handled per second and update→reply latency, through the fake Bot API server (real PTB, real SQLite).

A burst of updates from many users — questions (the real Q&A engine over the bundled plan, warmed first),
/task N and 原文/时限/责任 button presses — is pushed at once; each update's latency is the time from its push
to the bot's reply (sendMessage or editMessageText) in that chat. Compared in the same run:

- planbot: updates of different chats handled concurrently, in order within a chat, with AIORateLimiter
  (Telegram's flood limits: ~30 messages/s overall — what production must respect);
- the same without the rate limiter (what the bot itself can do);
- python-telegram-bot's default, one update at a time (the obvious alternative), without the rate limiter;
- both again with a slow answer pipeline (each question +200 ms, as when the optional LLM phrases answers).

    .venv/bin/python bench/bot.py [--users 20] [--per-user 12]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import build_application, start_application, stop_application
from indexer.ledger import save_plan
from knowledge.parser import parse_plan
from knowledge.qa.engine import QAEngine
from planbot.db import Database
from planbot.settings import BUNDLED_PLAN, Settings
from tests.fake_bot_api import FakeBotAPI

QUESTIONS = ["扬尘治理由谁牵头？", "第5项任务什么时候完成？", "燃气锅炉低氮改造有什么要求？",
             "10月底前要完成哪些任务？", "哪些任务涉及柴油货车？", "秸秆禁烧由哪个单位负责？"]
VIEWS = ("text", "time", "resp")
FIRST_USER = 5000


class SlowEngine:
    """The engine plus a fixed delay per question (an LLM round trip)."""

    def __init__(self, engine: QAEngine, delay: float) -> None:
        self.engine, self.delay = engine, delay

    def ask(self, question: str, now: Any) -> Any:
        """Answer after the delay."""
        time.sleep(self.delay)
        return self.engine.ask(question, now)


def workload(user_index: int, per_user: int, task_count: int) -> list[tuple[str, str]]:
    """One user's updates: ("say", text) or ("press", view), mixing questions, /task and buttons."""
    out: list[tuple[str, str]] = []
    for i in range(per_user):
        kind = i % 3
        if kind == 0:
            out.append(("say", QUESTIONS[(user_index + i) % len(QUESTIONS)]))
        elif kind == 1:
            out.append(("say", f"/task {(user_index * 7 + i) % task_count + 1}"))
        else:
            out.append(("press", VIEWS[(i // 3) % len(VIEWS)]))
    return out


async def scenario(name: str, settings: Settings, db: Database, engine: Any, users: int, per_user: int,
                   task_count: int, **build: Any) -> dict[str, Any]:
    """Run the burst against a fresh bot; return throughput and latency figures."""
    fake = await FakeBotAPI().start()
    hooked = settings.with_(telegram_bot_token=fake.token, telegram_base_url=fake.base_url,
                            telegram_base_file_url=fake.base_file_url,
                            allowed_users=frozenset(range(FIRST_USER, FIRST_USER + users)))
    app = build_application(hooked, db=db, qa_engine=engine, preload_qa=False, **build)
    await start_application(app, poll_timeout=5)
    try:
        cards: dict[int, dict[str, Any]] = {}
        for u in range(users):  # a card per user to press buttons on (not measured)
            uid = FIRST_USER + u
            fake.push_message(uid, "/task 1")
            cards[uid] = await fake.wait_for_message(uid, contains="第 1 项", timeout=60)
        start_mark = fake.mark()
        pushed: dict[int, list[float]] = {FIRST_USER + u: [] for u in range(users)}
        plans = {FIRST_USER + u: workload(u, per_user, task_count) for u in range(users)}
        started = time.monotonic()
        for step in range(per_user):  # interleave users, as a busy bureau would
            for uid, plan in plans.items():
                kind, value = plan[step]
                if kind == "say":
                    fake.push_message(uid, value)
                else:
                    fake.press(uid, cards[uid], f"t:1:{value}")
                pushed[uid].append(time.monotonic())
        total = users * per_user
        deadline = time.monotonic() + 600
        while len(fake.outbox) - start_mark < total and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        replies: dict[int, list[float]] = {uid: [] for uid in pushed}
        for m in fake.outbox[start_mark:]:
            replies[m["chat"]["id"]].append(m["sent_at"])
        latencies = [r - p for uid in pushed for p, r in zip(pushed[uid], replies[uid], strict=False)]
        finished = max(max(r) for r in replies.values() if r)
    finally:
        await stop_application(app)
        await fake.stop()
    latencies.sort()
    return {"name": name, "updates": len(latencies), "seconds": finished - started,
            "rate": len(latencies) / (finished - started), "p50": statistics.median(latencies) * 1000,
            "p95": latencies[int(0.95 * (len(latencies) - 1))] * 1000}


async def paced(settings: Settings, db: Database, engine: Any, rounds: int, task_count: int) -> dict[str, Any]:
    """Latency of single updates (push, wait for the reply, next) with the production setup."""
    fake = await FakeBotAPI().start()
    uid = FIRST_USER
    hooked = settings.with_(telegram_bot_token=fake.token, telegram_base_url=fake.base_url,
                            telegram_base_file_url=fake.base_file_url, allowed_users=frozenset({uid}))
    app = build_application(hooked, db=db, qa_engine=engine, preload_qa=False)
    await start_application(app, poll_timeout=5)
    latencies: list[float] = []
    try:
        fake.push_message(uid, "/task 1")
        card = await fake.wait_for_message(uid, contains="第 1 项", timeout=60)
        for kind, value in workload(0, rounds, task_count):
            mark = fake.mark()
            pushed = time.monotonic()
            if kind == "say":
                fake.push_message(uid, value)
            else:
                fake.press(uid, card, f"t:1:{value}")
            reply = await fake.wait_for_message(uid, since=mark, timeout=60)
            latencies.append(reply["sent_at"] - pushed)
            await asyncio.sleep(0.05)  # a person does not type that fast; keeps the rate limiter out of it
    finally:
        await stop_application(app)
        await fake.stop()
    latencies.sort()
    return {"p50": statistics.median(latencies) * 1000, "p95": latencies[int(0.95 * (len(latencies) - 1))] * 1000,
            "updates": len(latencies)}


async def main() -> None:
    """Warm the answer pipeline, run the three scenarios, print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--per-user", type=int, default=12)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    plan = parse_plan(BUNDLED_PLAN.read_text(encoding="utf-8"))
    engine = QAEngine(plan)
    warm = time.perf_counter()
    for q in QUESTIONS:
        engine.ask(q, __import__("datetime").datetime.now().astimezone())
    per_question = (time.perf_counter() - warm) / len(QUESTIONS) * 1000
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp) / "data")
        db = Database(settings.database_url)
        save_plan(db, plan, str(BUNDLED_PLAN))
        common = (settings, db, engine, args.users, args.per_user, len(plan.tasks))
        slow = (settings, db, SlowEngine(engine, 0.2), args.users, args.per_user, len(plan.tasks))
        rows = [
            await scenario("planbot (per-chat concurrent + AIORateLimiter)", *common),
            await scenario("per-chat concurrent, no rate limiter", *common, rate_limiter=None),
            await scenario("sequential (PTB default), no rate limiter", *common, rate_limiter=None, concurrent=False),
            await scenario("slow answers: per-chat concurrent, no limiter", *slow, rate_limiter=None),
            await scenario("slow answers: sequential, no limiter", *slow, rate_limiter=None, concurrent=False),
        ]
        single = await paced(settings, db, engine, 60, len(plan.tasks))
        db.dispose()
    bases = {r["name"]: r["rate"] for r in rows}
    print(f"\n{args.users} users × {args.per_user} updates (questions, /task, button presses); "
          f"warm Q&A engine: {per_question:.1f} ms per question on its own\n")
    print(f"{'scenario':<50} {'updates':>7} {'seconds':>8} {'updates/s':>10} {'p50 ms':>8} {'p95 ms':>8} "
          f"{'× sequential':>12}")
    for r in rows:
        base = bases["slow answers: sequential, no limiter" if r["name"].startswith("slow") else
                     "sequential (PTB default), no rate limiter"]
        print(f"{r['name']:<50} {r['updates']:>7} {r['seconds']:>8.2f} {r['rate']:>10.1f} {r['p50']:>8.0f} "
              f"{r['p95']:>8.0f} {r['rate'] / base:>12.2f}")
    print(f"\nOne update at a time (production setup, {single['updates']} updates): "
          f"p50 {single['p50']:.1f} ms, p95 {single['p95']:.1f} ms from update to reply.")


if __name__ == "__main__":
    asyncio.run(main())

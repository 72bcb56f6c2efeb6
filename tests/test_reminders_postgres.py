"""Two dispatchers (two engines, two threads, as two bot processes) sharing one PostgreSQL outbox."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text

from indexer.ledger import current_plan_key, save_plan
from knowledge.model import Plan
from planbot.clock import FrozenClock
from planbot.db import Database
from planbot.settings import BUNDLED_PLAN, Settings
from reminders.dispatcher import dispatch
from reminders.outbox import enqueue
from reminders.rules import RuleConfig, reminders_on
from reminders.store import SENT, ReminderMessageRow
from tests.support_reminders import RecordingBot

pytestmark = pytest.mark.slow  # subprocesses / real servers: `make test-fast` skips this module

CHATS_PER_NAME = 8


@pytest.fixture
def pg_db(postgres_url: str) -> Iterator[Database]:
    """A fresh database on the throwaway server, migrated."""
    name = f"planbot_{uuid.uuid4().hex[:10]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = postgres_url.replace("/postgres?", f"/{name}?")
    db = Database(url)
    yield db
    db.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


class MeetingBot(RecordingBot):
    """Each dispatcher's first send waits until the other one holds a claim too, so claims really overlap."""

    def __init__(self, barrier: threading.Barrier) -> None:
        super().__init__()
        self.barrier = barrier

    async def send_message(self, chat_id: int, text: str, **kwargs: Any) -> Any:
        """Meet the other dispatcher once, then record."""
        if self.calls == 0:
            await asyncio.to_thread(self.barrier.wait, 20)
        return await super().send_message(chat_id, text, **kwargs)


def test_two_dispatchers_claim_disjoint_rows(pg_db: Database, reminder_settings: Settings,
                                             bundled_plan: Plan) -> None:
    save_plan(pg_db, bundled_plan, str(BUNDLED_PLAN))
    key = current_plan_key(pg_db)
    day = date(2023, 10, 31)
    now = datetime(2023, 10, 31, 9, 0, tzinfo=reminder_settings.tz)
    items = reminders_on(bundled_plan, day, RuleConfig.from_settings(reminder_settings))
    names = sorted({r.recipient for r in items})
    chats = {n: [100_000 + i * CHATS_PER_NAME + k for k in range(CHATS_PER_NAME)] for i, n in enumerate(names)}
    stats = pg_db.run(lambda s: enqueue(s, key, items, now, lambda n: chats[n]))
    assert stats.new_messages == len(names) * CHATS_PER_NAME
    again = pg_db.run(lambda s: enqueue(s, key, items, now, lambda n: chats[n]))
    assert (again.new_items, again.new_messages) == (0, 0)  # ON CONFLICT DO NOTHING on PostgreSQL too

    barrier = threading.Barrier(2)
    bots = [MeetingBot(barrier), MeetingBot(barrier)]
    errors: list[BaseException] = []

    def run(bot: MeetingBot, worker: str) -> None:
        db = Database(pg_db.url)  # its own engine and connections, like a second process
        try:
            asyncio.run(dispatch(db, bot, FrozenClock(now), limit=7, worker=worker))
        except BaseException as exc:  # reported to the test thread
            errors.append(exc)
        finally:
            db.dispose()

    threads = [threading.Thread(target=run, args=(b, f"bot{i}")) for i, b in enumerate(bots)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    sent = Counter(m.chat_id for b in bots for m in b.sent)
    assert len(sent) == stats.new_messages and set(sent.values()) == {1}
    assert all(b.sent for b in bots)  # both processes did part of the work
    left = pg_db.run(lambda s: s.scalar(select(func.count()).select_from(ReminderMessageRow)
                                        .where(ReminderMessageRow.status != SENT)))
    assert left == 0

"""Dispatch through the fake Bot API server with a real telegram.Bot: HTML, buttons, RetryAfter, blocked, network."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select
from telegram import Bot

from indexer.ledger import current_plan_key
from knowledge.model import Plan
from planbot import people
from planbot.clock import FrozenClock
from planbot.db import Database
from planbot.settings import Settings
from reminders.dispatcher import dispatch
from reminders.jobs import enqueue_day
from reminders.outbox import digest_text
from reminders.store import PENDING, SENT, UNDELIVERED, ReminderMessageRow
from supervision.service import done_work
from tests.fake_bot_api import FakeBotAPI

LIU, DAQI, QINDU = 3001, 3002, 3003
DAY = date(2023, 10, 31)


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotAPI]:
    """The fake Bot API server."""
    server = await FakeBotAPI().start()
    yield server
    await server.stop()


@pytest.fixture
async def bot(fake: FakeBotAPI) -> AsyncIterator[Bot]:
    """A real Bot (no rate limiter, so Telegram's errors reach the dispatcher) talking to the fake server."""
    async with Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url) as b:
        yield b


@pytest.fixture
def clock(reminder_settings: Settings) -> FrozenClock:
    """09:00 on the day nine tasks fall due."""
    return FrozenClock(datetime(2023, 10, 31, 9, 0, tzinfo=reminder_settings.tz))


def _enqueue(db: Database, settings: Settings, plan: Plan, clock: FrozenClock) -> None:
    def work(s: object) -> None:
        people.bind(s, LIU, "刘鲲")  # type: ignore[arg-type]
        people.bind(s, DAQI, "大气办")  # type: ignore[arg-type]
        people.bind(s, QINDU, "秦都分局")  # type: ignore[arg-type]  # member of 各分局 through the aliases

    db.run(work)
    enqueue_day(db, settings, DAY, clock(), plan, current_plan_key(db), done_work)


def _status(db: Database) -> dict[int, str]:
    return db.run(lambda s: {r.chat_id: r.status for r in s.scalars(select(ReminderMessageRow))})


async def test_sends_chinese_reminders_with_buttons(fake: FakeBotAPI, bot: Bot, reminder_db: Database,
                                                    reminder_settings: Settings, bundled_plan: Plan,
                                                    clock: FrozenClock) -> None:
    _enqueue(reminder_db, reminder_settings, bundled_plan, clock)
    stats = await dispatch(reminder_db, bot, clock)
    assert (stats.sent, stats.retry, stats.undelivered) == (3, 0, 0)
    message = await fake.wait_for_message(QINDU, contains="任务提醒")
    assert "今天到期" in message["text"] and "2023-10-31" in message["text"]
    assert "各分局" in message["text"]  # reached through the group alias
    buttons = fake.buttons(message)
    assert ("报送进展 4", "status:4") in buttons and ("查看任务 4", "t:4:card") in buttons
    liu = await fake.wait_for_message(LIU, contains="第20项")
    assert "推进禁燃区划定" in liu["text"]
    assert _status(reminder_db) == {LIU: SENT, DAQI: SENT, QINDU: SENT}
    ids = reminder_db.run(lambda s: {r.telegram_message_id for r in s.scalars(select(ReminderMessageRow))})
    assert ids == {m["message_id"] for m in fake.outbox}  # Telegram's message ids are recorded


async def test_retry_after_reschedules_without_loss_or_duplicate(fake: FakeBotAPI, bot: Bot, reminder_db: Database,
                                                                reminder_settings: Settings, bundled_plan: Plan,
                                                                clock: FrozenClock) -> None:
    _enqueue(reminder_db, reminder_settings, bundled_plan, clock)
    fake.fail_next("sendMessage", status=429, retry_after=30)
    stats = await dispatch(reminder_db, bot, clock)
    # Flood control: the batch is handed back, nothing marked failed.
    assert stats.sent == 0 and stats.retry == 1
    assert set(_status(reminder_db).values()) == {PENDING}
    assert (await dispatch(reminder_db, bot, clock)).claimed == 0  # not before retry_after
    clock.advance(timedelta(seconds=31))
    assert (await dispatch(reminder_db, bot, clock)).sent == 3
    assert sorted(m["chat"]["id"] for m in fake.outbox) == [LIU, DAQI, QINDU]


async def test_blocked_bot_is_undelivered_and_in_the_digest(fake: FakeBotAPI, bot: Bot, reminder_db: Database,
                                                            reminder_settings: Settings, bundled_plan: Plan,
                                                            clock: FrozenClock) -> None:
    _enqueue(reminder_db, reminder_settings, bundled_plan, clock)
    fake.fail_next("sendMessage", status=403, description="Forbidden: bot was blocked by the user")
    stats = await dispatch(reminder_db, bot, clock)
    assert (stats.sent, stats.undelivered) == (2, 1)
    status = _status(reminder_db)
    blocked = next(chat for chat, st in status.items() if st == UNDELIVERED)
    clock.advance(timedelta(days=1))
    assert (await dispatch(reminder_db, bot, clock)).claimed == 0  # permanent: not retried
    digest = reminder_db.run(lambda s: digest_text(s, DAY))
    assert str(blocked) in digest and "blocked" in digest and "/start" in digest


@pytest.mark.parametrize("dropped", [False, True])
async def test_network_error_retries_later(dropped: bool, fake: FakeBotAPI, bot: Bot, reminder_db: Database,
                                           reminder_settings: Settings, bundled_plan: Plan,
                                           clock: FrozenClock) -> None:
    _enqueue(reminder_db, reminder_settings, bundled_plan, clock)
    fake.fail_next("sendMessage", status=502, network=dropped)  # a gateway error, or the connection dropped
    stats = await dispatch(reminder_db, bot, clock)
    assert (stats.sent, stats.retry) == (2, 1)
    clock.advance(timedelta(minutes=2))
    assert (await dispatch(reminder_db, bot, clock)).sent == 1
    assert set(_status(reminder_db).values()) == {SENT}
    assert sorted(m["chat"]["id"] for m in fake.outbox) == [LIU, DAQI, QINDU]

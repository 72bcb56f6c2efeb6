"""Delivery under faults: the real bot over HTTP to the fake Bot API (refusing, 500, delivered-then-dropped,
slow, blocked), a frozen clock moved by hand, restarts after downtime and two processes on one database.
Counts are what the fake server received."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import build_application, stop_application
from bot.polling import POLL_CONFLICT_EXIT
from planbot.clock import FrozenClock
from planbot.db import Database
from planbot.settings import Settings
from reminders.dispatcher import LEASE, MAX_BACKOFF, UNCERTAIN_DELAY, DispatchStats, claim
from reminders.scheduler import INSTALLED, record_run
from reminders.store import PENDING, ReminderMessageRow
from supervision import store
from tests.fake_bot_api import FakeBotAPI
from tests.support_bot import point_at
from tests.support_supervision import ADMIN, MONDAY, TZ, bind_units

AIR, EIA, JINGYANG, LIU = 3001, 3002, 3003, 3101
BINDINGS = {AIR: "大气办", EIA: "环评科", JINGYANG: "泾阳分局", LIU: "刘鲲"}
UNITS = (AIR, EIA, JINGYANG)
EVER = 10**6


def texts(fake: FakeBotAPI, chat: int, word: str, since: int = 0) -> list[str]:
    """Texts (or captions) containing `word` the fake server received for `chat`."""
    return [str(m.get("text") or m.get("caption") or "") for m in fake.outbox[since:]
            if m["chat"]["id"] == chat and word in str(m.get("text") or m.get("caption") or "")]


def copies(fake: FakeBotAPI, word: str, since: int = 0) -> Counter[int]:
    """How many copies of each message containing `word` each chat received, at most (a unit's round may
    have several pages: each page counts once when it arrived once)."""
    pages = Counter((m["chat"]["id"], m.get("text")) for m in fake.outbox[since:] if word in str(m.get("text") or ""))
    out: Counter[int] = Counter()
    for (chat, _), n in pages.items():
        out[chat] = max(out[chat], n)
    return out


async def tick(app: Any) -> list[str]:
    """What the scheduler does every few seconds (due jobs, caught up once), run by hand at the frozen clock."""
    ran: list[str] = await app.bot_data["services"].scheduler.tick()
    return ran


async def deliver_now(app: Any) -> DispatchStats:
    """The scheduler's outbox dispatch with this process's claims, run by hand."""
    stats: DispatchStats = await app.bot_data["services"].scheduler.deliver_now()
    return stats


@pytest.fixture
def bound(sv_db: Database) -> Database:
    """The supervision database with three lead units and a leader bound."""
    bind_units(sv_db, BINDINGS)
    return sv_db


async def _start(running_bot: Any, settings: Settings, db: Database, clock: FrozenClock) -> Any:
    app = await running_bot(settings, clock=clock, db=db)
    await tick(app)  # the start-up catch-up, deterministically (the scheduler's own tick is idempotent with it)
    return app


async def test_outage_over_nine_everything_goes_out_once_after_recovery(
        fake_api: FakeBotAPI, running_bot: Any, sv_settings: Settings, bound: Database) -> None:
    clock = FrozenClock(MONDAY - timedelta(minutes=1))
    app = await _start(running_bot, sv_settings, bound, clock)
    await fake_api.refuse_connections()
    try:
        for minute in range(5):  # down from 08:59 to 09:04: the jobs run, every send is refused
            clock.set(MONDAY + timedelta(minutes=minute, seconds=30))
            await tick(app)
            await deliver_now(app)
    finally:
        await fake_api.accept_connections()
    assert copies(fake_api, "周调度") == Counter()
    clock.advance(MAX_BACKOFF + timedelta(seconds=1))
    await deliver_now(app)
    assert copies(fake_api, "周调度") == Counter(dict.fromkeys(UNITS, 1))
    assert copies(fake_api, "任务提醒")[LIU] == 1 and set(copies(fake_api, "任务提醒").values()) == {1}


async def test_eighty_minutes_of_server_errors_then_all_delivered_once(
        fake_api: FakeBotAPI, running_bot: Any, sv_settings: Settings, bound: Database) -> None:
    clock = FrozenClock(MONDAY - timedelta(minutes=1))
    app = await _start(running_bot, sv_settings, bound, clock)
    fake_api.fail_next("sendMessage", status=500, times=EVER)
    clock.set(MONDAY)
    await tick(app)
    for _ in range(80):
        clock.advance(timedelta(minutes=1))
        await deliver_now(app)
    fake_api.heal()
    clock.advance(MAX_BACKOFF + timedelta(seconds=1))
    await tick(app)
    await deliver_now(app)
    assert copies(fake_api, "周调度") == Counter(dict.fromkeys(UNITS, 1))
    assert copies(fake_api, "任务提醒")[LIU] == 1
    assert not texts(fake_api, ADMIN, "消息未送达")  # nothing was given up on


async def test_delivered_then_dropped_gives_at_most_one_extra_copy(
        fake_api: FakeBotAPI, running_bot: Any, sv_settings: Settings, bound: Database) -> None:
    clock = FrozenClock(MONDAY - timedelta(minutes=1))
    app = await _start(running_bot, sv_settings, bound, clock)
    fake_api.fail_next("sendMessage", deliver=True, times=EVER)
    clock.set(MONDAY)
    await tick(app)
    for _ in range(4):
        clock.advance(UNCERTAIN_DELAY + timedelta(seconds=1))
        await deliver_now(app)
    fake_api.heal()
    await tick(app)  # the failures are reported once
    await deliver_now(app)
    rounds = Counter({k: n for k, n in copies(fake_api, "周调度").items() if k in UNITS})
    reminders = Counter({k: n for k, n in copies(fake_api, "任务提醒").items() if k != ADMIN})
    assert set(rounds) == set(UNITS) and max(rounds.values()) == 2
    assert reminders[LIU] == 2 and max(reminders.values()) == 2
    (report,) = texts(fake_api, ADMIN, "消息未送达")
    assert "可能未送达" in report and "不再重发" in report


async def test_slow_answers_are_sent_at_most_twice(fake_api: FakeBotAPI, running_bot: Any, sv_settings: Settings,
                                                   bound: Database) -> None:
    clock = FrozenClock(MONDAY - timedelta(minutes=1))
    app = await _start(running_bot, sv_settings.with_(telegram_read_timeout=0.5), bound, clock)
    fake_api.fail_next("sendMessage", delay=1.0, times=EVER, chat_id=AIR)
    clock.set(MONDAY)
    await tick(app)
    for _ in range(3):
        clock.advance(UNCERTAIN_DELAY + timedelta(seconds=1))
        await deliver_now(app)
    await asyncio.sleep(1.2)  # let the server finish answering the last slow call (the count is what arrived)
    assert copies(fake_api, "周调度")[AIR] == 2 and copies(fake_api, "周调度")[EIA] == 1


async def test_blocked_unit_is_reported_once_and_stays_unanswered(
        fake_api: FakeBotAPI, running_bot: Any, sv_settings: Settings, bound: Database) -> None:
    from supervision import jobs

    clock = FrozenClock(MONDAY - timedelta(minutes=1))
    app = await _start(running_bot, sv_settings, bound, clock)
    fake_api.fail_next("sendMessage", status=403, times=EVER, chat_id=JINGYANG)
    clock.set(MONDAY)
    await tick(app)
    for _ in range(3):  # later ticks and a restart's catch-up do not retry a permanent failure
        clock.advance(timedelta(minutes=10))
        await tick(app)
        await deliver_now(app)
    blocked_calls = [c for c in fake_api.calls_of("sendMessage") if str(c.params.get("chat_id")) == str(JINGYANG)]
    assert len(blocked_calls) == 2  # the round and the reminder, once each
    (report,) = texts(fake_api, ADMIN, "消息未送达")
    assert "/start" in report and "周调度" in report
    clock.set(MONDAY + timedelta(days=4))  # Friday: the unit the round never reached is still 未报送
    await jobs.friday_digest(app)
    digest = texts(fake_api, ADMIN, "周调度情况")[-1]
    assert "泾阳分局" in digest.split("未报送")[1]


async def test_friday_to_wednesday_downtime_catches_up_once(
        fake_api: FakeBotAPI, running_bot: Any, sv_settings: Settings, bound: Database) -> None:
    clock = FrozenClock(datetime(2023, 10, 27, 9, 30, tzinfo=TZ))  # Friday
    app = await _start(running_bot, sv_settings, bound, clock)
    await stop_application(app)
    mark = fake_api.mark()
    clock.set(datetime(2023, 11, 1, 9, 30, tzinfo=TZ))  # Wednesday, after the round, the chase and the 1st
    await _start(running_bot, sv_settings, bound, clock)
    assert copies(fake_api, "周调度", mark) == Counter(dict.fromkeys(UNITS, 1))
    assert all(any("催报" in t for t in texts(fake_api, u, "周调度", mark)) for u in UNITS)  # folded into the round
    reminders = copies(fake_api, "任务提醒", mark)
    assert reminders[LIU] == 1 and set(reminders.values()) == {1}
    assert all("2023-11-01" in t for t in texts(fake_api, LIU, "任务提醒", mark))
    summaries = [m for m in fake_api.outbox[mark:] if "document" in m and m["chat"]["id"] == ADMIN]
    assert len(summaries) == 1 and "2023年10月" in summaries[0]["caption"]


async def test_stopping_hands_back_claims(fake_api: FakeBotAPI, running_bot: Any, sv_settings: Settings,
                                          bound: Database) -> None:
    assert timedelta(seconds=60) >= LEASE  # a killed process's claims expire within a minute
    clock = FrozenClock(MONDAY - timedelta(minutes=1))
    app = await _start(running_bot, sv_settings, bound, clock)
    await fake_api.refuse_connections()
    try:
        clock.set(MONDAY)
        await tick(app)
    finally:
        await fake_api.accept_connections()
    worker = app.bot_data["services"].scheduler.worker
    clock.advance(timedelta(minutes=10))
    held = claim(bound, clock(), f"{worker}-stopping")
    assert held
    await stop_application(app)  # what SIGTERM does
    left = bound.run(lambda s: list(s.scalars(select(ReminderMessageRow.claim_token).where(
        ReminderMessageRow.status == PENDING))))
    assert left and all(t is None for t in left)
    assert claim(bound, clock(), "other-process")  # another process can send them at once


async def test_second_poller_exits_with_a_clear_message(fake_api: FakeBotAPI, running_bot: Any,
                                                        sv_settings: Settings, bound: Database) -> None:
    app = await running_bot(sv_settings, clock=FrozenClock(MONDAY), db=bound)
    stopped: list[bool] = []
    app.stop_running = lambda: stopped.append(True)  # run_polling's loop is the test's here: record, not stop
    fake_api.fail_next("getUpdates", status=409, times=EVER)
    for _ in range(100):
        if app.bot_data.get("exit_code"):
            break
        await fake_api.wait_for_call("getUpdates")
        await asyncio.sleep(0.05)
    assert app.bot_data["exit_code"] == POLL_CONFLICT_EXIT and stopped == [True]
    fake_api.heal()


def _two_processes(url: str, settings: Settings, fake: FakeBotAPI, clock: FrozenClock) -> Iterator[Any]:
    for _ in range(2):
        yield build_application(point_at(settings, fake), clock=clock, db=Database(url), preload_qa=False)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_two_processes_with_unsent_round_send_it_once(backend: str, fake_api: FakeBotAPI,
                                                            sv_settings: Settings, bound: Database,
                                                            request: pytest.FixtureRequest,
                                                            bundled_plan: Any) -> None:
    from indexer.ledger import load_plan, save_plan
    from supervision.service import prepare_round

    url = bound.url
    if backend == "postgresql":
        url = request.getfixturevalue("pg_db").url
        pg = Database(url)
        save_plan(pg, bundled_plan, "bundled")
        bind_units(pg, BINDINGS)
        pg.dispose()
    clock = FrozenClock(MONDAY + timedelta(hours=2))
    db = Database(url)
    plan = load_plan(db)
    record_run(db, INSTALLED, MONDAY - timedelta(days=7), MONDAY - timedelta(days=7))  # an earlier run
    db.run(lambda s: prepare_round(s, plan, sv_settings, clock()))  # recorded, then the process died
    db.dispose()
    apps = list(_two_processes(url, sv_settings, fake_api, clock))
    for app in apps:
        await app.initialize()
        await app.post_init(app)
    try:
        await asyncio.gather(*(tick(app) for app in apps))
        await asyncio.gather(*(deliver_now(app) for app in apps))
    finally:
        for app in apps:
            await app.shutdown()
            await app.post_shutdown(app)
            app.bot_data["services"].db.dispose()
    assert copies(fake_api, "周调度") == Counter(dict.fromkeys(UNITS, 1))
    check = Database(url)
    sent = check.run(lambda s: [r.sent_at is not None for r in s.scalars(select(store.RequestRow))
                                 .all() if r.kind == store.KIND_REQUEST])
    check.dispose()
    assert sent and all(sent)

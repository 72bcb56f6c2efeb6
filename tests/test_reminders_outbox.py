"""Outbox + dispatcher on SQLite: a whole year replayed day by day, crashes mid-batch, leases, idempotency."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from indexer.ledger import current_plan_key
from indexer.plans import PlanAccess
from knowledge.model import Plan
from planbot import people
from planbot.clock import FrozenClock
from planbot.db import Database
from planbot.settings import Settings
from reminders.directory import resolve_ids
from reminders.dispatcher import LEASE, claim, dispatch
from reminders.jobs import enqueue_day
from reminders.outbox import digest_text
from reminders.ports import CompletedTasks, PlanEnded
from reminders.rules import Reminder, RuleConfig, reminders_on
from reminders.scheduler import Scheduler
from reminders.store import SENT, ReminderItemRow, ReminderMessageRow
from supervision.service import done_work
from tests.support_reminders import ADMIN_ID, Crash, RecordingBot

UNBOUND = "局直属有关单位"  # nobody stands for it: its reminders must show up in the admin digest
SHARED_ID = 50_000  # one person bound to a leader and a unit: still one message a day


def _bind_directory(db: Database, plan: Plan, settings: Settings) -> dict[str, int]:
    ids: dict[str, int] = {}
    names = [n for n in (*plan.leaders, *plan.unit_names) if n != UNBOUND and n not in settings.group_aliases]
    members = {m for group in settings.group_aliases.values() for m in group}

    def work(s: object) -> None:
        for i, name in enumerate(dict.fromkeys([*names, *members])):
            ids[name] = 10_000 + i
            people.bind(s, ids[name], name, source="directory")  # type: ignore[arg-type]
        people.bind(s, SHARED_ID, "刘鲲")  # type: ignore[arg-type]
        people.bind(s, SHARED_ID, "大气办")  # type: ignore[arg-type]

    db.run(work)
    return ids


def _nine(day: date, tz: object) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=tz)  # type: ignore[arg-type]


@pytest.mark.slow
async def test_replay_2023_day_by_day(reminder_db: Database, reminder_settings: Settings,
                                      bundled_plan: Plan) -> None:
    settings = reminder_settings
    _bind_directory(reminder_db, bundled_plan, settings)
    key = current_plan_key(reminder_db)
    config = RuleConfig.from_settings(settings)
    clock = FrozenClock(_nine(date(2023, 1, 1), settings.tz))
    bot = RecordingBot()
    expected_items = 0
    expected_per_day: dict[date, set[int]] = {}
    day = date(2023, 1, 1)
    while day <= date(2023, 12, 31):
        clock.set(_nine(day, settings.tz))
        todays = reminders_on(bundled_plan, day, config)
        expected_items += len(todays)
        def chats_of(s: Session, todays: list[Reminder] = todays) -> set[int]:
            return {c for r in todays for c in resolve_ids(s, r.recipient, settings.group_aliases)}

        chats = reminder_db.run(chats_of)
        if chats:
            expected_per_day[day] = chats
        before = len(bot.sent)
        stats = enqueue_day(reminder_db, settings, day, clock(), bundled_plan, key, done_work)
        assert stats.items == len(todays)
        assert stats.unreachable == ([UNBOUND] if any(r.recipient == UNBOUND for r in todays) else [])
        await dispatch(reminder_db, bot, clock)
        sent_today = Counter(m.chat_id for m in bot.sent[before:])
        assert set(sent_today) == expected_per_day.get(day, set()), day
        assert all(n == 1 for n in sent_today.values()), day  # one message per chat per day
        day += timedelta(days=1)

    total_items = reminder_db.run(lambda s: s.scalar(select(func.count()).select_from(ReminderItemRow)))
    assert total_items == expected_items
    assert len(bot.sent) == sum(len(c) for c in expected_per_day.values())
    assert reminder_db.run(lambda s: s.scalar(select(func.count()).where(ReminderMessageRow.status != SENT)
                                              .select_from(ReminderMessageRow))) == 0
    # The leader of most tasks got exactly one message on each day any of his tasks needed a reminder.
    liu_days = {d for d in expected_per_day
                if any(r.recipient == "刘鲲" for r in reminders_on(bundled_plan, d, config))}
    liu_id = reminder_db.run(lambda s: people.ids_of(s, "刘鲲"))[0]
    assert Counter(m.chat_id for m in bot.sent)[liu_id] == len(liu_days)
    # Sharing a leader and a unit gives one message listing both names' tasks, naming neither: both are the
    # reader's own names.
    last = [m for m in bot.sent if m.chat_id == SHARED_ID][-1]
    assert "第8项" in last.text and "第32项" in last.text and "提醒对象" not in last.text

    # Idempotent: writing a past day again adds nothing and sends nothing.
    sent = len(bot.sent)
    again = enqueue_day(reminder_db, settings, date(2023, 10, 31), clock(), bundled_plan, key, done_work)
    assert (again.new_items, again.new_messages) == (0, 0)
    await dispatch(reminder_db, bot, clock)
    assert len(bot.sent) == sent


async def test_unreachable_names_are_in_the_admin_digest(reminder_db: Database, reminder_settings: Settings,
                                                         bundled_plan: Plan) -> None:
    key = current_plan_key(reminder_db)
    day = date(2023, 5, 31)  # task 13 (市宣教信息中心 / 局直属有关单位) falls due
    stats = enqueue_day(reminder_db, reminder_settings, day, _nine(day, reminder_settings.tz), bundled_plan, key,
                        done_work)
    assert UNBOUND in stats.unreachable
    text = reminder_db.run(lambda s: digest_text(s, day))
    assert UNBOUND in text and "13" in text and "planbot directory import" in text


async def _fill_one_day(db: Database, settings: Settings, plan: Plan) -> tuple[FrozenClock, int]:
    _bind_directory(db, plan, settings)
    day = date(2023, 10, 31)
    clock = FrozenClock(_nine(day, settings.tz))
    stats = enqueue_day(db, settings, day, clock(), plan, current_plan_key(db), done_work)
    return clock, stats.new_messages


@pytest.mark.parametrize("dies_at", [1, 4, -1])
async def test_killed_mid_batch_then_restarted(dies_at: int, reminder_db: Database, reminder_settings: Settings,
                                               bundled_plan: Plan) -> None:
    clock, messages = await _fill_one_day(reminder_db, reminder_settings, bundled_plan)
    assert messages >= 6
    # The process dies just before the n-th send of the batch (first, middle, last): the earlier ones
    # were sent and marked one by one.
    dies_at = messages if dies_at == -1 else dies_at
    bot = RecordingBot(crash_before=dies_at)
    with pytest.raises(Crash):
        await dispatch(reminder_db, bot, clock, limit=50)
    assert len(bot.sent) == dies_at - 1
    # Restarted at once: the crashed claims still hold their lease, nothing is taken twice.
    survivor = RecordingBot()
    await dispatch(reminder_db, survivor, clock)
    assert survivor.sent == []
    # After the lease expires the rest goes out; in total every chat got exactly one message.
    clock.advance(LEASE + timedelta(seconds=1))
    await dispatch(reminder_db, survivor, clock)
    total = Counter(m.chat_id for m in [*bot.sent, *survivor.sent])
    assert len(total) == messages and set(total.values()) == {1}


async def test_crash_after_send_before_mark_is_not_lost(reminder_db: Database, reminder_settings: Settings,
                                                        bundled_plan: Plan) -> None:
    clock, messages = await _fill_one_day(reminder_db, reminder_settings, bundled_plan)
    bot = RecordingBot(crash_after=2)  # the 2nd message reached Telegram, the process died before marking it
    with pytest.raises(Crash):
        await dispatch(reminder_db, bot, clock)
    clock.advance(LEASE + timedelta(seconds=1))
    survivor = RecordingBot()
    await dispatch(reminder_db, survivor, clock)
    total = Counter(m.chat_id for m in [*bot.sent, *survivor.sent])
    assert len(total) == messages  # nobody lost
    # Only the one message in flight at the crash can go out twice (Telegram has no idempotency key).
    assert sum(total.values()) == messages + 1
    assert total[bot.sent[1].chat_id] == 2


async def test_claims_do_not_overlap(reminder_db: Database, reminder_settings: Settings,
                                     bundled_plan: Plan) -> None:
    clock, messages = await _fill_one_day(reminder_db, reminder_settings, bundled_plan)
    first = claim(reminder_db, clock(), "a", limit=3)
    second = claim(reminder_db, clock(), "b", limit=100)
    assert len(first) == 3 and len(second) == messages - 3
    assert not set(first) & set(second)
    assert claim(reminder_db, clock(), "c", limit=100) == []


async def test_every_message_lists_tasks_with_buttons(reminder_db: Database, reminder_settings: Settings,
                                                      bundled_plan: Plan) -> None:
    clock, _ = await _fill_one_day(reminder_db, reminder_settings, bundled_plan)
    bot = RecordingBot()
    await dispatch(reminder_db, bot, clock)
    by_chat = defaultdict(list)
    for m in bot.sent:
        by_chat[m.chat_id].append(m)
    liu = reminder_db.run(lambda s: people.ids_of(s, "刘鲲"))[0]
    (message,) = by_chat[liu]
    for task in (3, 4, 6, 10, 20, 22):
        assert f"第{task}项" in message.text
        buttons = [(b.text, b.callback_data) for row in message.reply_markup.inline_keyboard for b in row]
        assert (f"查看任务 {task}", f"t:{task}:card") in buttons
        assert (f"报送进展 {task}", f"status:{task}") in buttons
    assert "今天到期" in message.text and "2023-10-31" in message.text


async def _plan_not_ended(application: object, plan: Plan) -> None:
    raise AssertionError("the 2023 plan has not ended on these days")


@dataclass
class _JobServices:
    """What the reminder jobs read from bot.services.Services."""

    settings: Settings
    db: Database
    clock: FrozenClock
    plans: PlanAccess
    scheduler: Scheduler
    completed_tasks: CompletedTasks
    plan_ended: PlanEnded = _plan_not_ended


class _FakeApp:
    """Just what the reminder jobs read from an Application: bot_data['services'] and bot."""

    def __init__(self, settings: Settings, db: Database, clock: FrozenClock, bot: RecordingBot) -> None:
        scheduler = Scheduler(db, clock, settings.tz, self)
        self.bot_data = {"services": _JobServices(settings, db, clock, PlanAccess(db), scheduler, done_work)}
        self.bot = bot


@pytest.mark.parametrize("down_since", [date(2023, 10, 27), date(2023, 10, 13)])
async def test_restart_after_an_outage_folds_the_missed_days_into_today(
        down_since: date, reminder_db: Database, reminder_settings: Settings, bundled_plan: Plan) -> None:
    from reminders.jobs import daily_reminders, missed_days

    ids = _bind_directory(reminder_db, bundled_plan, reminder_settings)
    key = current_plan_key(reminder_db)
    tz = reminder_settings.tz
    # Last run on `down_since`; down over the days before the 10-31 deadlines (3 days / 18 days).
    enqueue_day(reminder_db, reminder_settings, down_since, _nine(down_since, tz), bundled_plan, key, done_work)
    clock = FrozenClock(datetime(2023, 10, 31, 9, 30, tzinfo=tz))
    missed = missed_days(reminder_db, key, clock(), reminder_settings.reminder_time)
    assert missed[0] > down_since and [d for d in missed if d < date(2023, 10, 31)][-1] == date(2023, 10, 30)
    bot = RecordingBot()
    await daily_reminders(_FakeApp(reminder_settings, reminder_db, clock, bot))
    # One message per person, today's text only: the missed "1 day before" is restated as due today.
    per_chat = Counter(m.chat_id for m in bot.sent)
    assert per_chat and set(per_chat.values()) == {1}
    assert all("2023-10-31" in m.text.split("\n")[0] for m in bot.sent)
    liu = next(m for m in bot.sent if m.chat_id == ids["刘鲲"])
    assert "今天到期" in liu.text and "还有 1 天" not in liu.text
    assert missed_days(reminder_db, key, clock(), reminder_settings.reminder_time) == []
    # Run again the same day (a restart, a second process): nothing more.
    await daily_reminders(_FakeApp(reminder_settings, reminder_db, clock, bot))
    assert Counter(m.chat_id for m in bot.sent) == per_chat


async def test_catch_up_before_the_send_time_folds_the_missed_days_into_todays_waiting_message(
        reminder_db: Database, reminder_settings: Settings, bundled_plan: Plan) -> None:
    from reminders.jobs import catch_up, missed_days

    ids = _bind_directory(reminder_db, bundled_plan, reminder_settings)
    key = current_plan_key(reminder_db)
    tz = reminder_settings.tz
    # Last run on Friday 10-27 (3 days before the 10-31 deadlines); down over Monday 10-30 (1 day before).
    enqueue_day(reminder_db, reminder_settings, date(2023, 10, 27), _nine(date(2023, 10, 27), tz), bundled_plan, key,
                done_work)
    clock = FrozenClock(datetime(2023, 10, 31, 8, 0, tzinfo=tz))
    assert missed_days(reminder_db, key, clock(), reminder_settings.reminder_time) == [
        date(2023, 10, 28), date(2023, 10, 29), date(2023, 10, 30)]
    bot = RecordingBot()
    app = _FakeApp(reminder_settings, reminder_db, clock, bot)
    await catch_up(app)
    # Before today's send time nothing goes out: the missed days are folded into today's message, which waits.
    assert not [m for m in bot.sent if m.chat_id == ids["刘鲲"] and "（2023-10-31）" in m.text]
    assert not [m for m in bot.sent if "（2023-10-30）" in m.text or "（2023-10-28）" in m.text]
    assert missed_days(reminder_db, key, clock(), reminder_settings.reminder_time) == []
    # At 09:30 (the dispatcher, or a restart) one message per chat, reading as of today: Monday's "还有 1 天"
    # is restated as "今天到期", never sent as a past day's text.
    clock.set(datetime(2023, 10, 31, 9, 30, tzinfo=tz))
    await catch_up(app)
    today = [m for m in bot.sent if m.chat_id == ids["刘鲲"] and "（2023-10-27）" not in m.text]
    assert len(today) == 1 and "今天到期" in today[0].text and "还有 1 天" not in today[0].text
    assert missed_days(reminder_db, key, clock(), reminder_settings.reminder_time) == []


async def test_status_reply_done_stops_overdue_reminders_until_reopened(
        reminder_db: Database, reminder_settings: Settings, bundled_plan: Plan) -> None:
    from supervision.rounds import DONE, ROLE_LEAD
    from supervision.store import add_reply, reopen

    key = current_plan_key(reminder_db)
    monday = date(2023, 11, 6)  # weekly overdue day of the nine 10-31 deadlines
    now = _nine(monday, reminder_settings.tz)

    def tasks_on(day: date) -> set[int]:
        done, pairs = reminder_db.run(lambda s: done_work(s, bundled_plan, reminder_settings))
        return {r.task for r in reminders_on(bundled_plan, day, RuleConfig.from_settings(reminder_settings), done,
                                             pairs)}

    assert 20 in tasks_on(monday)
    reminder_db.run(lambda s: add_reply(s, plan_key=key, round_key="w", task=20, unit="大气办", role=ROLE_LEAD,
                                        status=DONE, telegram_id=1, now=now))
    assert 20 not in tasks_on(monday) and 3 in tasks_on(monday)
    stats = enqueue_day(reminder_db, reminder_settings, monday, now, bundled_plan, key, done_work)
    items = reminder_db.run(lambda s: set(s.scalars(select(ReminderItemRow.task).where(ReminderItemRow.day == monday))))
    assert stats.items > 0 and 20 not in items
    reminder_db.run(lambda s: reopen(s, plan_key=key, round_key="w", task=20, telegram_id=ADMIN_ID, now=now))
    assert 20 in tasks_on(monday)


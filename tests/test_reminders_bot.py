"""The reminder feature inside the real bot (fake Bot API server): scheduler, catch-up, restart, admin views."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import create_engine, inspect, select

from bot import texts as bot_msg
from planbot import people
from planbot.clock import FrozenClock
from planbot.db import Database
from planbot.settings import Settings
from reminders import jobs
from reminders.invites import create_invites
from reminders.scheduler import JOB_TABLE, MISFIRE_GRACE_SECONDS, func_ref, run_job
from reminders.store import SENT, ReminderMessageRow
from tests.fake_bot_api import FakeBotAPI
from tests.support_reminders import ADMIN_ID

LIU = 3101


def _bind(db: Database) -> None:
    db.run(lambda s: people.bind(s, LIU, "刘鲲", source="directory"))


async def test_start_catches_up_and_restart_sends_nothing_twice(fake_api: FakeBotAPI, running_bot: object,
                                                                reminder_db: Database,
                                                                reminder_settings: Settings) -> None:
    _bind(reminder_db)
    # The bot comes up at 10:00, after the 09:00 run it missed: today's reminders go out at start.
    clock = FrozenClock(datetime(2023, 10, 31, 10, 0, tzinfo=reminder_settings.tz))
    app = await running_bot(reminder_settings, clock=clock, db=reminder_db)  # type: ignore[operator]
    message = await fake_api.wait_for_message(LIU, contains="任务提醒")
    assert "第20项" in message["text"] and "今天到期" in message["text"]

    sched = app.bot_data["services"].scheduler
    jobs_by_id = {j.id: j for j in sched.get_jobs()}
    assert {"reminders:daily", "reminders:digest", "reminders:dispatch"} <= set(jobs_by_id)
    daily = jobs_by_id["reminders:daily"]
    assert daily.misfire_grace_time == MISFIRE_GRACE_SECONDS and daily.coalesce is True
    # Next fires at REMINDER_TIME (09:00) the next day, in the bureau's zone.
    assert daily.trigger.get_next_fire_time(None, clock()) == datetime(2023, 11, 1, 9, 0, tzinfo=reminder_settings.tz)

    # The 查看任务 button opens the bot's task card.
    fake_api.press(LIU, message, "t:20:card")
    card = await fake_api.wait_for_message(LIU, contains="推进禁燃区划定")
    assert card["message_id"] != message["message_id"]

    # The 09:00 job fired again the same day (e.g. by a second process) sends nothing new.
    await run_job(func_ref(jobs.daily_reminders), app)
    assert len([m for m in fake_api.messages_to(LIU) if "任务提醒" in (m.get("text") or "")]) == 1
    sent = reminder_db.run(lambda s: [r.status for r in s.scalars(select(ReminderMessageRow))])
    assert sent == [SENT]


async def test_jobs_persist_in_the_database(fake_api: FakeBotAPI, running_bot: object, reminder_db: Database,
                                            reminder_settings: Settings) -> None:
    clock = FrozenClock(datetime(2023, 10, 30, 8, 0, tzinfo=reminder_settings.tz))
    await running_bot(reminder_settings, clock=clock, db=reminder_db)  # type: ignore[operator]
    engine = create_engine(reminder_db.url)
    try:
        assert inspect(engine).has_table(JOB_TABLE)
        with engine.connect() as conn:
            ids = {row[0] for row in conn.exec_driver_sql(f"SELECT id FROM {JOB_TABLE}")}
    finally:
        engine.dispose()
    assert {"reminders:daily", "reminders:digest", "reminders:dispatch"} <= ids
    # 08:00: the day's run has not happened yet, so the start-up catch-up wrote nothing.
    assert reminder_db.run(lambda s: s.scalars(select(ReminderMessageRow)).all()) == []

    # An invite link (`planbot directory invite`) binds whoever starts the bot with it.
    tokens = reminder_db.run(lambda s: create_invites(s, ["大气办"], clock()))
    fake_api.push_message(3201, f"/start {tokens['大气办']}")
    assert await fake_api.wait_for_message(3201, contains="大气办")
    assert reminder_db.run(lambda s: people.ids_of(s, "大气办")) == [3201]


async def test_daily_job_then_admin_digest(fake_api: FakeBotAPI, running_bot: object, reminder_db: Database,
                                           reminder_settings: Settings) -> None:
    clock = FrozenClock(datetime(2023, 10, 24, 8, 0, tzinfo=reminder_settings.tz))
    app = await running_bot(reminder_settings, clock=clock, db=reminder_db)  # type: ignore[operator]
    _bind(reminder_db)
    clock.set(datetime(2023, 10, 24, 9, 0, tzinfo=reminder_settings.tz))
    await run_job(func_ref(jobs.daily_reminders), app)
    reminder = await fake_api.wait_for_message(LIU, contains="还有 7 天")
    assert "2023-10-31" in reminder["text"]
    clock.set(datetime(2023, 10, 24, 11, 0, tzinfo=reminder_settings.tz))
    await run_job(func_ref(jobs.admin_digest), app)
    digest = await fake_api.wait_for_message(ADMIN_ID, contains="未送达提醒汇总")
    assert "大气办" in digest["text"] and "未登记" in digest["text"]


async def test_admin_commands(fake_api: FakeBotAPI, running_bot: object, reminder_db: Database,
                              reminder_settings: Settings) -> None:
    _bind(reminder_db)
    clock = FrozenClock(datetime(2023, 10, 31, 8, 0, tzinfo=reminder_settings.tz))
    await running_bot(reminder_settings, clock=clock, db=reminder_db)  # type: ignore[operator]
    # Pushed together: the fake server's long poll delivers them in one batch.
    fake_api.push_message(ADMIN_ID, "/unreachable")
    fake_api.push_message(LIU, "/unreachable")
    fake_api.push_message(LIU, "/reminders")
    reply = await fake_api.wait_for_message(ADMIN_ID, contains="暂时无法送达")
    assert "大气办：未登记 Telegram 账号" in reply["text"]
    assert "刘鲲：已登记但从未启动机器人" in reply["text"]
    assert await fake_api.wait_for_message(LIU, contains=bot_msg.BOT_ADMIN_ONLY)
    mine = await fake_api.wait_for_message(LIU, contains="今天（2023-10-31）")
    assert "刘鲲：第20项" in mine["text"] and "大气办" not in mine["text"]

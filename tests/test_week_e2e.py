"""A week of the round on a frozen clock, the real bot over HTTP against the fake Bot API: two lead units of one
task, its leader, another unit and the office; Monday round, presses and notes, a group question, a restart with a
note prompt pending, Wednesday chase (also the 1st), Friday digest and leader summary, a public holiday; exact
counts."""

from __future__ import annotations

import io
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from openpyxl import load_workbook

from bot.app import stop_application
from planbot.clock import FrozenClock
from planbot.db import Database
from planbot.settings import Settings
from reminders import jobs as reminder_jobs
from supervision import jobs
from tests.fake_bot_api import FakeBotAPI
from tests.support_supervision import ADMIN, MONDAY, TZ, bind_units

AIR, ENF, LEADER, JINGYANG = 3001, 3005, 3006, 3003
BINDINGS = {AIR: "大气办", ENF: "市生态环境保护综合执法支队", LEADER: "刘鲲", JINGYANG: "泾阳分局"}
GROUP = -500
NOTE = "已完成低效设施排查共21家"
REASON = "执法车辆不足，需市局协调"


def text(m: dict[str, Any]) -> str:
    """What the user sees of a message."""
    return str(m.get("text") or m.get("caption") or "")


def button(fake: FakeBotAPI, message: dict[str, Any], task: int, status: str) -> str:
    """The callback data of the button labelled with the task and the status word, as a user would press it."""
    [data] = [d for label, d in fake.buttons(message) if label.startswith(f"{task}·") and status in label]
    return data


def reminders_per_chat(fake: FakeBotAPI, since: int) -> Counter[int]:
    """How many reminder messages each chat got since a mark."""
    return Counter(m["chat"]["id"] for m in fake.outbox[since:]
                   if m["method"] == "sendMessage" and "任务提醒" in text(m))


async def day(app: Any, fake: FakeBotAPI, clock: FrozenClock, at: datetime) -> int:
    """Move to 09:00 of a day, run the daily reminders; returns the outbox mark before them."""
    clock.set(at)
    mark = fake.mark()
    await reminder_jobs.daily_reminders(app)
    return mark


async def test_a_week_of_the_round(fake_api: FakeBotAPI, running_bot: Any, sv_settings: Settings, sv_db: Database,
                                   sv_clock: FrozenClock) -> None:
    fake = fake_api
    bind_units(sv_db, BINDINGS)
    app = await running_bot(sv_settings, clock=sv_clock, db=sv_db)
    catch_up = app.bot_data["services"].background.get("reminders:catch_up")
    if catch_up is not None:
        await catch_up

    # Monday 09:00: reminders (one message per chat), then the round to lead units only (not the leader).
    mark = await day(app, fake, sv_clock, MONDAY)
    assert all(n == 1 for n in reminders_per_chat(fake, mark).values())
    round_mark = fake.mark()
    await jobs.weekly_dispatch(app)
    rounds = [m for m in fake.outbox[round_mark:] if "周调度" in text(m)]
    # 大气办 leads 14 open tasks, 执法支队 13: two pages each (10 tasks a page); 泾阳分局 2.
    assert Counter(m["chat"]["id"] for m in rounds) == {AIR: 2, ENF: 2, JINGYANG: 1}
    assert all(len(fake.buttons(m)) <= 100 for m in rounds)
    air_page = next(m for m in rounds if m["chat"]["id"] == AIR and "开展低效治污设施排查整治" in text(m))

    # 大气办 presses 6·已完成: the round message is edited (task 6 answered, its buttons gone), a ForceReply asks.
    mark = fake.mark()
    fake.press(AIR, air_page, button(fake, air_page, 6, "已完成"))
    prompt = await fake.wait_for_message(AIR, where=fake.asks_reply, since=mark)
    edited = fake.message(AIR, air_page["message_id"])
    assert edited is not None and "本周已报送：已完成" in text(edited)
    assert not [d for _, d in fake.buttons(edited) if d.startswith("status:6:")]
    assert [d for _, d in fake.buttons(edited) if d.startswith("status:3:")]
    # A question in a group meanwhile is answered, not taken as the note.
    mark = fake.mark()
    fake.push_message(AIR, f"@{fake.bot_user['username']} 燃气锅炉氮氧化物限值是多少", chat_id=GROUP,
                      chat_type="group")
    answer = await fake.wait_for_message(GROUP, since=mark)
    assert "说明已保存" not in text(answer)
    # The reply to the prompt is the note.
    fake.push_message(AIR, NOTE, reply_to=prompt)
    await fake.wait_for_message(AIR, contains="说明已保存")
    # A forged button stores nothing and is answered.
    answers = len(fake.calls_of("answerCallbackQuery"))
    fake.press(AIR, air_page, "status:6:done:extra")
    await fake.wait_for_call("answerCallbackQuery", where=lambda c: "按钮已失效" in str(c.params))
    assert len(fake.calls_of("answerCallbackQuery")) == answers + 1

    # The leader's 已完成 is a comment: task 22 stays open; on task 6 it is shown apart.
    fake.push_message(LEADER, "/status 22 已完成")
    await fake.wait_for_message(LEADER, contains="领导意见")
    fake.push_message(LEADER, "/status 6 需协调 请执法支队加快")
    await fake.wait_for_message(LEADER, contains="领导意见")
    # A manual chase on Monday.
    fake.push_message(ADMIN, "/chase")
    await fake.wait_for_message(ADMIN, contains="催报已发出")

    fake.push_message(ADMIN, "/overdue")
    overdue = text(await fake.wait_for_message(ADMIN, contains="已过时限"))
    assert "第6项" in overdue and "第22项" in overdue  # one of two lead units, and a leader, do not complete
    assert "第30项" not in overdue and "第34项" not in overdue  # seasons are never overdue

    # Tuesday 31 October (deadline of task 6): 大气办 is done with 6, the support unit and the leader are not.
    mark = await day(app, fake, sv_clock, MONDAY + timedelta(days=1))
    per_chat = reminders_per_chat(fake, mark)
    assert per_chat[AIR] == per_chat[ENF] == per_chat[LEADER] == 1
    todays = {chat: text(m) for m in fake.outbox[mark:] if "任务提醒" in text(m) for chat in [m["chat"]["id"]]}
    assert "第6项" not in todays[AIR] and "第6项" in todays[ENF] and "第6项" in todays[LEADER]
    assert "刘鲲" not in todays[LEADER]  # the reader's own name is not repeated

    # 执法支队 presses 6·滞后; the bot restarts with its note prompt pending; the reply still counts.
    enf_page = next(m for m in rounds if m["chat"]["id"] == ENF and "开展低效治污设施排查整治" in text(m))
    mark = fake.mark()
    fake.press(ENF, enf_page, button(fake, enf_page, 6, "滞后"))
    enf_prompt = await fake.wait_for_message(ENF, where=fake.asks_reply, since=mark)
    await stop_application(app)
    app = await running_bot(sv_settings, clock=sv_clock, db=sv_db)
    fake.push_message(ENF, "太长" * 600, reply_to=enf_prompt)  # 1,200 characters: refused whole
    await fake.wait_for_message(ENF, contains="超过 1000 字")
    fake.push_message(ENF, REASON, reply_to=enf_prompt)
    await fake.wait_for_message(ENF, contains="说明已保存")

    # Wednesday 1 November: chase per (task, lead unit) despite Monday's manual chase; once a day.
    sv_clock.set(MONDAY + timedelta(days=2))
    mark = fake.mark()
    await jobs.chase_nonresponders(app)
    await jobs.chase_nonresponders(app)
    chased = [m for m in fake.outbox[mark:] if "催报" in text(m)]  # the header is on a chase's first page
    assert Counter(m["chat"]["id"] for m in chased) == {AIR: 1, ENF: 1, JINGYANG: 1}
    pages = [m for m in fake.outbox[mark:] if "周调度" in text(m)]
    assert Counter(m["chat"]["id"] for m in pages) == {AIR: 2, ENF: 2, JINGYANG: 1}  # 13, 12 and 2 tasks left
    assert not [m for m in pages if "开展低效治污设施排查整治" in text(m)]  # task 6 answered by both
    # The 1st: last month's summary, once.
    await jobs.monthly_summary(app)
    await jobs.monthly_summary(app)
    assert len([m for m in fake.outbox[mark:] if m["chat"]["id"] == ADMIN and "document" in m]) == 1

    # Friday: one digest to the office.
    sv_clock.set(MONDAY + timedelta(days=4))
    mark = fake.mark()
    await jobs.friday_digest(app)
    await jobs.friday_digest(app)
    assert Counter(m["chat"]["id"] for m in fake.outbox[mark:] if "周调度情况" in text(m)) == {ADMIN: 1}
    # The leader gets the round summary of the tasks he leads, once: each lead unit's status this round.
    summaries = [m for m in fake.outbox[mark:] if "分管任务" in text(m)]
    assert [m["chat"]["id"] for m in summaries] == [LEADER]
    assert "大气办 已完成；市生态环境保护综合执法支队 滞后" in text(summaries[0])

    # /task 6: each lead unit's status and the leader's comment apart; the export holds the notes.
    fake.push_message(ADMIN, "/task 6")
    card = text(await fake.wait_for_message(ADMIN, contains="第 6 项"))
    assert "大气办：已完成" in card and "市生态环境保护综合执法支队：滞后" in card
    assert "领导意见（刘鲲）：需协调" in card
    fake.push_message(ADMIN, "/export 周")
    exported = await fake.wait_for_message(ADMIN, where=lambda m: "document" in m and "进展表" in text(m))
    wb = load_workbook(io.BytesIO(fake.file_bytes(exported)))
    rows = [[c.value for c in r] for r in wb["明细"].iter_rows()]
    head = rows[0]
    six = {r[head.index("单位")]: r for r in rows[1:] if r[head.index("任务编号")] == 6}
    assert set(six) == {"大气办", "市生态环境保护综合执法支队"}  # the leader is not a unit row
    assert six["大气办"][head.index("状态")] == "已完成" and six["大气办"][head.index("进展说明")] == NOTE
    assert REASON in str(six["市生态环境保护综合执法支队"][head.index("原因/需协调事项")])
    assert "需协调" in str(six["大气办"][head.index("领导意见")])

    # The second lead unit's 已完成 completes task 6: /overdue drops it; an admin /close completes 22.
    mark = fake.mark()
    fake.push_message(ENF, "/status 6 办结")
    await fake.wait_for_message(ENF, contains="已记录", since=mark)
    fake.push_message(ADMIN, "/close 22 经核实已完成")
    await fake.wait_for_message(ADMIN, contains="已关闭")
    mark = fake.mark()
    fake.push_message(ADMIN, "/overdue")
    overdue = text(await fake.wait_for_message(ADMIN, contains="已过时限", since=mark))
    assert "第6项" not in overdue and "第22项" not in overdue


async def test_the_round_moves_off_a_holiday(fake_api: FakeBotAPI, running_bot: Any, sv_settings: Settings,
                                             sv_db: Database) -> None:
    bind_units(sv_db, BINDINGS)
    clock = FrozenClock(datetime(2023, 5, 1, 9, 0, tzinfo=TZ))  # 劳动节
    app = await running_bot(sv_settings, clock=clock, db=sv_db)
    await jobs.weekly_dispatch(app)
    assert not [m for m in fake_api.outbox if "周调度" in text(m)]
    clock.set(datetime(2023, 5, 4, 9, 0, tzinfo=TZ))  # the first working day after it
    await jobs.weekly_dispatch(app)
    await fake_api.wait_for_message(JINGYANG, contains="周调度")


async def test_forgiving_input(fake_api: FakeBotAPI, running_bot: Any, sv_settings: Settings, sv_db: Database,
                               sv_clock: FrozenClock) -> None:
    bind_units(sv_db, BINDINGS)
    await running_bot(sv_settings, clock=sv_clock, db=sv_db)
    for sent, expected in (("/status 2已完成", "已记录"), ("/status 二 完成了", "已记录"),
                           ("/task 十二", "第 12 项"), ("/task -1", "没有第 -1 项"), ("/task 0", "没有第 0 项")):
        mark = fake_api.mark()
        fake_api.push_message(AIR, sent)
        await fake_api.wait_for_message(AIR, contains=expected, since=mark)
    mark = fake_api.mark()
    fake_api.push_message(4004, "/start")
    start = text(await fake_api.wait_for_message(4004, since=mark))
    assert "/register" in start and "/help" not in start

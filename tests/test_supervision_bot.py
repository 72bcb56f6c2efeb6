"""The weekly round end to end: the real bot over HTTP against the fake Bot API server, a frozen clock."""

from __future__ import annotations

import asyncio
import io
import re
import sqlite3
import threading
from datetime import datetime, timedelta
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from planbot.clock import FrozenClock
from planbot.db import Database
from planbot.settings import Settings
from reminders import jobs as reminder_jobs
from supervision.rounds import next_fire_times
from supervision.store import ReplyRow
from tests.fake_bot_api import FakeBotAPI
from tests.support_supervision import ADMIN, MONDAY, bind_units

AIR, EIA, JINGYANG, QINDU = 3001, 3002, 3003, 3004
BINDINGS = {AIR: "大气办", EIA: "环评科", JINGYANG: "泾阳分局", QINDU: "秦都分局"}
NOTE = "已完成保留橡胶企业现场核查"


def reply_count(db: Database) -> int:
    """How many status replies are stored."""
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(ReplyRow)) or 0)


def complete(db: Database, settings: Settings) -> set[int]:
    """The complete tasks now."""
    from indexer.ledger import load_plan
    from supervision.service import completion

    plan = load_plan(db)
    return db.run(lambda s: completion(s, plan, settings)[0])


async def start(running_bot: Any, settings: Settings, db: Database, clock: FrozenClock) -> Any:
    bind_units(db, BINDINGS)
    return await running_bot(settings, clock=clock, db=db)


async def test_round_end_to_end(fake_api: FakeBotAPI, running_bot: Any, sv_settings: Settings, sv_db: Database,
                                sv_clock: FrozenClock) -> None:
    await start(running_bot, sv_settings, sv_db, sv_clock)

    fake_api.push_message(ADMIN, "/weekly")
    done = await fake_api.wait_for_message(ADMIN, contains="周调度已发出")
    unreachable = done["text"].split("无法送达：")[1]
    assert "市宣教信息中心" in unreachable and "泾阳分局" not in unreachable and "大气办" not in unreachable
    request = await fake_api.wait_for_message(AIR, contains="周调度")
    assert "大气办" in request["text"] and "加快橡胶行业绩效升级" in request["text"]
    assert ("2·按计划推进", "status:2:ok") in fake_api.buttons(request)
    # 环评科 leads task 1, not task 2: its message has no buttons for task 2.
    eia_request = await fake_api.wait_for_message(EIA, contains="周调度")
    assert all(not data.startswith("status:2:") for _, data in fake_api.buttons(eia_request))
    # 秦都分局 leads nothing: it gets no round message.
    assert not [m for m in fake_api.messages_to(QINDU) if "周调度" in (m.get("text") or "")]

    # Button, then the note.
    fake_api.press(AIR, request, "status:2:ok")
    asked = await fake_api.wait_for_message(AIR, contains="已记录")
    assert "进展说明" in asked["text"]
    prompt = await fake_api.wait_for_message(AIR, where=fake_api.asks_reply)
    fake_api.push_message(AIR, NOTE, reply_to=prompt)  # only a reply to the prompt is the note
    await fake_api.wait_for_message(AIR, contains="说明已保存")

    # Text form; a lagging task without a reason asks for it, which can be skipped.
    fake_api.push_message(EIA, "/status 1 滞后")
    asked = await fake_api.wait_for_message(EIA, contains="已记录")
    assert "原因" in asked["text"]
    fake_api.push_message(EIA, "/skip")
    await fake_api.wait_for_message(EIA, contains="不补充说明")
    # With the reason typed inline, it is stored as the reason and not asked again.
    mark = fake_api.mark()
    fake_api.push_message(EIA, "/status 1 滞后 审批系统升级中")
    asked = await fake_api.wait_for_message(EIA, contains="已记录", since=mark)
    assert "原因" not in asked["text"]

    fake_api.push_message(ADMIN, "/report")
    report = await fake_api.wait_for_message(ADMIN, contains="进展报告")
    text = report["text"]
    assert NOTE in text and "审批系统升级中" in text
    assert text.index("严格项目准入") < text.index("加快橡胶行业绩效升级")  # lagging first

    fake_api.push_message(ADMIN, "/export")
    exported = await fake_api.wait_for_message(ADMIN, where=lambda m: "document" in m)
    assert exported["document"]["file_name"].endswith(".xlsx")
    wb = load_workbook(io.BytesIO(fake_api.file_bytes(exported)))
    detail = wb["明细"]
    headers = [c.value for c in detail[1]]
    rows = [dict(zip(headers, (c.value for c in row), strict=True)) for row in detail.iter_rows(min_row=2)]
    mine = next(r for r in rows if r["任务编号"] == 2 and r["单位"] == "大气办")
    assert mine["状态"] == "按计划推进" and mine["进展说明"] == NOTE and mine["报送人"]
    assert mine["报送时间"].startswith("2023-10-30") and "2023-03-31" in mine["时限"]
    assert detail.freeze_panes == "A2"
    assert wb["时间轴"]._images  # the timeline picture is embedded
    # Weeks read in Chinese everywhere people see them (the stored key 2023-W44 stays as it is).
    shown = [wb.sheetnames, *(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row)]
    assert not [v for v in shown if re.search(r"\d{4}-W\d{2}", str(v))]
    assert any(str(v).startswith("2023年第44周（10月30日—11月5日）") for v in shown)  # an unanswered round
    assert "2023年第44周（10月30日—11月5日）" in text and "-W44" not in text  # /report

    # The reminders' 报送进展 button sends status:<task>: the four choices come back.
    fake_api.press(AIR, request, "status:3")
    choices = await fake_api.wait_for_message(AIR, contains="请选择状态")
    assert [d for _, d in fake_api.buttons(choices)] == ["status:3:done", "status:3:ok", "status:3:late",
                                                         "status:3:help"]

    fake_api.push_message(ADMIN, "/chase")
    summary = (await fake_api.wait_for_message(ADMIN, contains="催报已发出"))["text"]
    # The units still owing replies are named with their tasks (task 2 answered by 大气办, task 1 by 环评科).
    assert summary.splitlines()[1:4] == ["· 环评科：第 9、31 项",
                                         "· 大气办：第 3—6、8、10、12、16、20、29、32、36—37 项",
                                         "· 泾阳分局：第 7、23 项"]
    # The unbound lead units owe replies too: named, with their tasks, and how to bind them.
    assert summary.splitlines()[4].startswith("另有 9 个单位未绑定，无法催报：市生态环境保护综合执法支队（第6、")
    assert "3 个单位尚未报送" in summary
    await fake_api.wait_for_message(JINGYANG, contains="催报")
    chased = {m["chat"]["id"]: m["text"] for m in fake_api.outbox if "催报" in (m.get("text") or "")}
    # Chased per (task, lead unit): 大气办 answered task 2 of its 14, it is chased for the others only.
    assert set(chased) - {ADMIN} == {JINGYANG, AIR, EIA}  # 秦都分局 leads nothing
    assert "加快橡胶行业绩效升级" not in chased[AIR] and "加快铸造行业治污设施升级改造" in chased[AIR]
    assert "严格项目准入" not in chased[EIA]  # task 1 answered by 环评科


@pytest.mark.parametrize(("user", "text", "expected"), [
    (AIR, "/status abc 滞后", "任务编号应为数字"),
    (AIR, "/status 99 滞后", "没有第 99 项任务"),
    (AIR, "/status 2 很好", "无法识别状态"),
    (AIR, "/status 1 滞后 不归我管", "不能报送"),  # task 1 is 环评科's (and 各分局's)
    (AIR, "/status 2", "用法：/status"),
    (2001, "/status 2 已完成", "尚未绑定"),  # an approved user bound to no unit
])
async def test_bad_status_stores_nothing(fake_api: FakeBotAPI, running_bot: Any, sv_settings: Settings,
                                         sv_db: Database, sv_clock: FrozenClock, user: int, text: str,
                                         expected: str) -> None:
    await start(running_bot, sv_settings, sv_db, sv_clock)
    fake_api.push_message(user, text)
    await fake_api.wait_for_message(user, contains=expected)
    assert reply_count(sv_db) == 0


async def test_group_member_and_admin_on_behalf_and_reopen(fake_api: FakeBotAPI, running_bot: Any,
                                                           sv_settings: Settings, sv_db: Database,
                                                           sv_clock: FrozenClock) -> None:
    await start(running_bot, sv_settings.with_(group_aliases={"各分局": ("秦都分局", "渭城分局")}), sv_db, sv_clock)
    # 秦都分局 answers for task 1 through the group 各分局 named as its responsible units.
    fake_api.push_message(QINDU, "/status 1 按计划推进 已排查3家")
    await fake_api.wait_for_message(QINDU, contains="已记录")
    # An admin reports on behalf of the lead unit; 已完成 closes the task, /reopen opens it again.
    fake_api.push_message(ADMIN, "/status 7 已完成 已验收")
    await fake_api.wait_for_message(ADMIN, contains="已代 泾阳分局 记录")
    assert complete(sv_db, sv_settings) == {7}
    fake_api.push_message(ADMIN, "/report 月")
    monthly = await fake_api.wait_for_message(ADMIN, contains="2023年10月 进展报告")
    assert "已排查3家" in monthly["text"]
    fake_api.push_message(ADMIN, "/report 2023-W99")
    await fake_api.wait_for_message(ADMIN, contains="无法识别期间")
    fake_api.push_message(QINDU, "/timeline")  # any bound user may look at the picture
    photo = await fake_api.wait_for_message(QINDU, where=lambda m: "photo" in m)
    assert fake_api.file_bytes(photo).startswith(b"\x89PNG") and "时限分布" in photo["caption"]
    fake_api.push_message(QINDU, "/weekly")
    await fake_api.wait_for_message(QINDU, contains="仅限督查室管理员")
    fake_api.push_message(ADMIN, "/reopen 7")
    await fake_api.wait_for_message(ADMIN, contains="已重新打开")
    assert complete(sv_db, sv_settings) == set()


async def test_schedule_fires_on_frozen_clock(fake_api: FakeBotAPI, running_bot: Any, sv_settings: Settings,
                                              sv_db: Database) -> None:
    from reminders.scheduler import latest_slot
    from supervision import jobs

    clock = FrozenClock(MONDAY - timedelta(days=3, hours=1))  # Friday 08:00 before the round
    app = await start(running_bot, sv_settings, sv_db, clock)
    scheduler = app.bot_data["services"].scheduler
    expected = next_fire_times(clock(), sv_settings)
    assert expected["dispatch"] == MONDAY and expected["chase"] == expected["monthly"]  # Wednesday 1 November
    # The weekly jobs fire daily at their time and run only once their (holiday-moved) day has come.
    for job_id in ("supervision:dispatch", "supervision:chase", "supervision:digest"):
        spec = scheduler.specs[job_id]
        assert latest_slot(spec, clock().replace(hour=9)) == clock().replace(hour=9)
    spec = scheduler.specs["supervision:monthly"]
    assert latest_slot(spec, expected["monthly"]) == expected["monthly"]
    await scheduler.tick()  # Friday 08:00: the install; nothing of the office's is due

    def fired(chat: int, words: str) -> int:
        return len([m for m in fake_api.messages_to(chat) if words in (m.get("text") or "")])

    clock.set(expected["dispatch"])  # Monday 09:00: the scheduler's tick starts the round
    assert "supervision:dispatch" in await scheduler.tick()
    await fake_api.wait_for_message(JINGYANG, contains="周调度")
    assert fired(JINGYANG, "催报") == 0
    assert "supervision:dispatch" not in await scheduler.tick()  # done: a later tick does not run it again
    await jobs.weekly_dispatch(app)  # the job fired again (restart, two processes) sends nothing again
    assert fired(JINGYANG, "周调度") == 1

    clock.advance(timedelta(hours=1))
    fake_api.push_message(AIR, "/status 2 需协调 需市工信局提供保留名单")
    await fake_api.wait_for_message(AIR, contains="已记录")

    clock.set(expected["chase"])  # Wednesday 1 November 09:00: the chase and October's summary
    assert {"supervision:chase", "supervision:monthly"} <= set(await scheduler.tick())
    await fake_api.wait_for_message(JINGYANG, contains="催报")
    air_chase = await fake_api.wait_for_message(AIR, contains="催报")
    assert "加快橡胶行业绩效升级" not in air_chase["text"]  # answered this round: not chased
    summary = await fake_api.wait_for_message(ADMIN, where=lambda m: "document" in m)
    assert "2023年10月" in summary["caption"]
    await jobs.monthly_summary(app)
    assert len([m for m in fake_api.messages_to(ADMIN) if "document" in m]) == 1

    clock.set(expected["digest"] + timedelta(days=7))  # Friday 09:00 of the round
    assert "supervision:digest" in await scheduler.tick()
    digest = await fake_api.wait_for_message(ADMIN, contains="周调度情况")
    assert "未报送" in digest["text"] and "泾阳分局" in digest["text"]
    assert digest["text"].index("需市工信局提供保留名单") < digest["text"].index("按单位")


async def test_reply_while_database_locked_is_retried(fake_api: FakeBotAPI, running_bot: Any,
                                                      sv_settings: Settings, sv_db: Database,
                                                      sv_clock: FrozenClock) -> None:
    app = await start(running_bot, sv_settings, sv_db, sv_clock)
    # The start-up catch-up's writes are done before the lock is taken.
    await app.bot_data["services"].scheduler.tick()
    path = sv_settings.database_url.removeprefix("sqlite:///")
    locker = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    locker.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
    released = threading.Event()

    def release_after_reply_arrives() -> None:
        released.wait()
        locker.execute("COMMIT")

    threading.Thread(target=release_after_reply_arrives, daemon=True).start()
    mark = fake_api.mark()
    fake_api.push_message(AIR, "/status 2 按计划推进 锁住时报送")
    await asyncio.sleep(0.5)  # let the bot reach the locked write (no assertion depends on the duration)
    assert not [m for m in fake_api.outbox[mark:] if "已记录" in (m.get("text") or "")]
    released.set()
    await fake_api.wait_for_message(AIR, contains="已记录", since=mark)
    locker.close()
    with sv_db.session() as s:
        notes = list(s.scalars(select(ReplyRow.note)))
    assert notes == ["锁住时报送"]


async def test_undelivered_round_message_is_sent_once_after_restart(fake_api: FakeBotAPI, running_bot: Any,
                                                                    sv_settings: Settings, sv_db: Database,
                                                                    sv_clock: FrozenClock) -> None:
    from bot.app import stop_application
    from indexer.ledger import load_plan
    from supervision.service import prepare_round

    bind_units(sv_db, BINDINGS)
    plan = load_plan(sv_db)
    # The bot recorded the round's messages and died before sending them.
    sv_db.run(lambda s: prepare_round(s, plan, sv_settings, sv_clock()))

    def round_messages(chat: int) -> list[dict[str, Any]]:
        return [m for m in fake_api.messages_to(chat) if "周调度" in (m.get("text") or "")]

    for _ in range(2):  # start, stop, start again
        app = await running_bot(sv_settings, clock=sv_clock, db=sv_db)
        await app.bot_data["services"].scheduler.tick()  # the start-up catch-up: this round's job is due
        await stop_application(app)
    # 大气办 leads 14 open tasks: two pages of 10 and 4, each sent once.
    assert len(round_messages(JINGYANG)) == 1 and len(round_messages(AIR)) == 2


async def test_admins_are_told_once_that_the_plan_ended(fake_api: FakeBotAPI, running_bot: Any,
                                                        sv_settings: Settings, sv_db: Database) -> None:
    clock = FrozenClock(datetime(2025, 4, 7, 9, 0, tzinfo=sv_settings.tz))  # > 90 days after the last deadline
    app = await start(running_bot, sv_settings, sv_db, clock)
    await fake_api.wait_for_message(ADMIN, contains="自动提醒已停止")  # the start-up catch-up tells them
    for _ in range(2):  # the next days' reminder jobs: nobody is told again
        clock.advance(timedelta(days=1))
        await reminder_jobs.daily_reminders(app)
    told = [m for m in fake_api.messages_to(ADMIN) if "自动提醒已停止" in str(m.get("text"))]
    assert len(told) == 1 and "2024-12-31" in told[0]["text"]


async def test_admin_for_a_task_with_several_lead_units_chooses_the_unit(
        fake_api: FakeBotAPI, running_bot: Any, sv_settings: Settings, sv_db: Database, sv_clock: FrozenClock) -> None:
    await start(running_bot, sv_settings, sv_db, sv_clock)
    fake_api.push_message(ADMIN, "/status 6 滞后 资金未到位")  # task 6: 大气办 and 市生态环境保护综合执法支队 lead
    ask = await fake_api.wait_for_message(ADMIN, contains="多个牵头单位")
    assert [label for label, _ in fake_api.buttons(ask)] == ["大气办", "市生态环境保护综合执法支队"]
    assert reply_count(sv_db) == 0  # nothing filed for all lead units at once
    fake_api.press(ADMIN, ask, "status:6:late:u7")  # stale or forged: refused, answered, nothing stored
    stale = await fake_api.wait_for_call("answerCallbackQuery",
                                         where=lambda c: "按钮已失效" in c.params.get("text", ""))
    assert stale.params.get("show_alert") in (True, "true", "True")
    fake_api.press(ADMIN, ask, fake_api.buttons(ask)[1][1])
    await fake_api.wait_for_message(ADMIN, contains="已代 市生态环境保护综合执法支队 记录")
    with sv_db.session() as s:
        rows = s.scalars(select(ReplyRow)).all()
        # The note typed with 滞后 is the reason, kept across the choice of lead unit.
        assert [(r.unit, r.status, r.note, r.reason) for r in rows] == [
            ("市生态环境保护综合执法支队", "滞后", "", "资金未到位")]
    fake_api.push_message(ADMIN, "/status 6 按计划推进 @大气办")  # or named in the command
    await fake_api.wait_for_message(ADMIN, contains="已代 大气办 记录")
    fake_api.push_message(ADMIN, "/status 6 按计划推进 @没有这个单位")
    await fake_api.wait_for_message(ADMIN, contains="没有唯一匹配「没有这个单位」")
    assert reply_count(sv_db) == 2


async def test_weekly_for_an_ended_plan_is_sent_with_a_note(
        fake_api: FakeBotAPI, running_bot: Any, sv_settings: Settings, sv_db: Database) -> None:
    # Three years after the 2023 plan's last deadline (the condition that stops automatic reminders): an admin's
    # explicit /weekly is still honoured, and the reply says the plan has ended and how to load the next one.
    clock = FrozenClock(datetime(2026, 11, 23, 9, 0, tzinfo=MONDAY.tzinfo))
    await start(running_bot, sv_settings, sv_db, clock)
    fake_api.push_message(ADMIN, "/weekly")
    sent = await fake_api.wait_for_message(ADMIN, contains="周调度已发出")
    assert "方案已结束" in sent["text"] and "planbot index 新方案文件" in sent["text"]
    await fake_api.wait_for_message(AIR, contains="2026年第48周（11月23日—11月29日） 周调度")

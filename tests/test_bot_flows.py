"""End to end through the fake Bot API server: the real Application, real SQLite ledger, frozen clock."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot import texts as bot_msg
from knowledge.model import Plan
from planbot.clock import FrozenClock
from planbot.db import Database
from planbot.settings import Settings
from tests.fake_bot_api import FakeBotAPI
from tests.support_bot import FakeEngine

TZ = ZoneInfo("Asia/Shanghai")
ADMIN, STAFF, STRANGER = 1001, 2001, 3001
NOW = datetime(2023, 10, 20, 9, 0, tzinfo=TZ)


@pytest.fixture
async def bot(running_bot: Any, settings: Settings, plan_db: Database) -> Any:
    """The bot over the bundled plan with a fake Q&A engine, on 2023-10-20."""
    return await running_bot(settings, db=plan_db, clock=FrozenClock(NOW),
                             qa_engine=FakeEngine("扬尘治理由大气办牵头。", tasks=[3, 5]))


async def nothing_else(fake: FakeBotAPI, chat_id: int, user_id: int) -> None:
    """Prove the chat got no reply to what was pushed before: updates of a chat are handled in order, so a
    /whoami pushed now is answered after any such reply."""
    before = len(fake.messages_to(chat_id))
    fake.push_message(user_id, "/whoami", chat_id=chat_id, chat_type="private" if chat_id > 0 else "supergroup")
    reply = await fake.wait_for_message(chat_id, contains=f"用户 ID：{user_id}")
    assert fake.messages_to(chat_id)[before:] == [reply]


async def test_task_card_buttons_switch_views_in_place(bot: Any, fake_api: FakeBotAPI, bundled_plan: Plan) -> None:
    task = bundled_plan.tasks[2]
    fake_api.push_message(STAFF, f"/task {task.number}")
    card = await fake_api.wait_for_message(STAFF, contains=f"第 {task.number} 项")
    assert task.title in card["text"]
    assert [label for label, _ in fake_api.buttons(card)] == ["原文", "时限", "责任"]
    for (label, data), expected in zip(fake_api.buttons(card), [task.text[:20], "前（", task.lead_units[0]],
                                       strict=True):
        fake_api.press(STAFF, card, data)
        edited = await fake_api.wait_for_message(STAFF, contains=expected, where=lambda m: "edit_date" in m)
        assert edited["message_id"] == card["message_id"], label
        assert fake_api.buttons(edited) == fake_api.buttons(card)
    assert len(fake_api.calls_of("answerCallbackQuery")) == 3


@pytest.mark.parametrize(("command", "reply"), [
    ("/task", "用法：/task 编号"),
    ("/task 第999项", "没有第 999 项任务。本方案共 37 项，编号 1–37"),
    ("/due abc", "用法：/due [天数]"),
    ("/due 0", "用法：/due [天数]"),
    ("/ask", "请在 /ask 后写上问题"),
    ("/mine", "/bind 2001 名称"),
])
async def test_bad_input_gets_an_actionable_message(bot: Any, fake_api: FakeBotAPI, command: str, reply: str) -> None:
    fake_api.push_message(STAFF, command)
    await fake_api.wait_for_message(STAFF, contains=reply)


async def test_tasks_pages_navigate_with_buttons(bot: Any, fake_api: FakeBotAPI) -> None:
    fake_api.push_message(STAFF, "/tasks")
    page = await fake_api.wait_for_message(STAFF, contains="第 1/4 页")
    assert fake_api.buttons(page) == [("下一页 ▶", "ts:2")]
    fake_api.press(STAFF, page, "ts:2")
    second = await fake_api.wait_for_message(STAFF, contains="第 2/4 页")
    assert "\n11. " in second["text"] and "\n1. " not in second["text"]
    assert fake_api.buttons(second) == [("◀ 上一页", "ts:1"), ("下一页 ▶", "ts:3")]
    fake_api.press(STAFF, second, "ts:4")
    last = await fake_api.wait_for_message(STAFF, contains="第 4/4 页")
    assert "\n37. " in last["text"] and fake_api.buttons(last) == [("◀ 上一页", "ts:3")]


async def test_due_and_overdue_follow_the_clock(bot: Any, fake_api: FakeBotAPI) -> None:
    fake_api.push_message(STAFF, "/due 11")
    due = await fake_api.wait_for_message(STAFF, contains="今后 11 天内到期")
    assert "2023年10月31日" in due["text"] and "还有 11 天" in due["text"]
    fake_api.push_message(STAFF, "/due 10")
    await fake_api.wait_for_message(STAFF, contains="没有到期的任务")
    fake_api.push_message(STAFF, "/overdue")
    overdue = await fake_api.wait_for_message(STAFF, contains="截至 2023年10月20日")
    assert "2023年3月31日 已过 203 天" in overdue["text"]


async def test_plain_text_and_ask_are_answered_with_cited_task_buttons(bot: Any, fake_api: FakeBotAPI) -> None:
    engine = bot.bot_data["services"].qa.engine
    fake_api.push_message(STAFF, "扬尘治理谁牵头？")
    answer = await fake_api.wait_for_message(STAFF, contains="由大气办牵头")
    assert fake_api.buttons(answer) == [("第3项", "t:3:card"), ("第5项", "t:5:card")]
    fake_api.push_message(STAFF, "/ask 禁燃区 何时划定")
    await fake_api.wait_for_message(STAFF, contains="由大气办牵头")
    assert [q for q, _ in engine.questions] == ["扬尘治理谁牵头？", "禁燃区 何时划定"]
    assert all(now == NOW for _, now in engine.questions)
    fake_api.press(STAFF, answer, "t:5:card")
    card = await fake_api.wait_for_message(STAFF, contains="第 5 项")
    assert card["message_id"] != answer["message_id"]  # the answer stays; the card comes as a new message


async def test_grounded_answer_from_the_real_engine(running_bot: Any, fake_api: FakeBotAPI, settings: Settings,
                                                    plan_db: Database, bundled_plan: Plan) -> None:
    engine_module = pytest.importorskip("knowledge.qa.engine")
    engine = engine_module.QAEngine(bundled_plan)
    await running_bot(settings, db=plan_db, clock=FrozenClock(NOW), qa_engine=engine)
    task = bundled_plan.task(3)
    assert task is not None
    fake_api.push_message(STAFF, f"第{task.number}项任务的牵头单位是哪个？")
    reply = await fake_api.wait_for_message(STAFF, contains=task.lead_units[0])
    assert ("第3项", "t:3:card") in fake_api.buttons(reply)


async def test_a_long_answer_is_split_at_line_boundaries(running_bot: Any, fake_api: FakeBotAPI,
                                                         settings: Settings, plan_db: Database) -> None:
    lines = [f"第{i}条：" + "细化措施<落实>&督办" * 20 for i in range(60)]
    await running_bot(settings, db=plan_db, qa_engine=FakeEngine("\n".join(lines), tasks=[1]))
    fake_api.push_message(STAFF, "全部措施有哪些")
    last = await fake_api.wait_for_message(STAFF, contains="第59条")
    parts = fake_api.messages_to(STAFF)
    assert len(parts) >= 3 and parts[-1] is last
    assert all(len(p["text"]) <= 4096 for p in parts)
    assert "\n".join(p["text"] for p in parts).split("\n") == lines  # split only between lines, nothing lost
    assert [bool(fake_api.buttons(p)) for p in parts] == [False] * (len(parts) - 1) + [True]


async def test_a_failing_handler_apologises_and_the_bot_keeps_going(running_bot: Any, fake_api: FakeBotAPI,
                                                                   settings: Settings, plan_db: Database) -> None:
    await running_bot(settings, db=plan_db, qa_engine=FakeEngine(fail_on="爆炸"))
    fake_api.push_message(STAFF, "这个问题会让引擎爆炸")
    await fake_api.wait_for_message(STAFF, contains=bot_msg.GENERIC_ERROR)
    fake_api.push_message(STAFF, "/task 1")
    await fake_api.wait_for_message(STAFF, contains="第 1 项")


@pytest.mark.parametrize("failure", [
    {"status": 429, "retry_after": 1},
    {"status": 500},
    {"network": True},
])
async def test_telegram_failures_are_retried(bot: Any, fake_api: FakeBotAPI, failure: dict[str, Any]) -> None:
    fake_api.fail_next("sendMessage", **failure)
    fake_api.push_message(STAFF, "/task 2")
    await fake_api.wait_for_message(STAFF, contains="第 2 项")
    assert len(fake_api.calls_of("sendMessage")) == 2
    assert len(fake_api.messages_to(STAFF)) == 1  # delivered once


async def test_command_menu_is_published_in_chinese(bot: Any, fake_api: FakeBotAPI) -> None:
    calls = fake_api.calls_of("setMyCommands")
    default = [c for c in calls if c.params.get("scope", {}).get("type") == "default"]
    admin = [c for c in calls if c.params.get("scope", {}).get("chat_id") == ADMIN]
    assert {c["command"] for c in default[0].params["commands"]} >= {"start", "help", "ask", "task", "tasks", "due",
                                                                     "overdue", "mine", "whoami", "register"}
    assert {c["command"] for c in admin[0].params["commands"]} >= {"bind", "unbind", "users"}
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in c["description"]) for c in admin[0].params["commands"])


async def test_plan_text_is_escaped(running_bot: Any, fake_api: FakeBotAPI, settings: Settings) -> None:
    from indexer.ledger import save_plan
    from tests.support_ledger import make_plan, make_task

    hostile = make_plan(2030, tasks=(make_task(1, "<b>加强</b> & 管控", text="PM2.5<35 & O3>160 <i>",
                                                    due=date(2030, 10, 31)),))
    db = Database(settings.database_url)
    save_plan(db, hostile, "hostile")
    await running_bot(settings, db=db, clock=FrozenClock(datetime(2031, 1, 1, tzinfo=TZ)))
    for command in ("/task 1", "/tasks", "/overdue"):
        fake_api.push_message(STAFF, command)
        reply = await fake_api.wait_for_message(STAFF)  # the fake refuses malformed HTML (400) like Telegram
        assert "<b>加强</b> & 管控" in reply["text"], command
    fake_api.press(STAFF, fake_api.messages_to(STAFF)[0], "t:1:text")
    await fake_api.wait_for_message(STAFF, contains="PM2.5<35 & O3>160 <i>")
    db.dispose()


async def test_group_chats_answer_only_commands_and_mentions(bot: Any, fake_api: FakeBotAPI) -> None:
    group = -100500
    fake_api.push_message(STAFF, "大家好，今天开会", chat_id=group, chat_type="supergroup")
    fake_api.push_message(STAFF, "/task@other_bot 3", chat_id=group, chat_type="supergroup")
    fake_api.push_message(STRANGER, "随便聊聊", chat_id=group, chat_type="supergroup")
    await nothing_else(fake_api, group, STAFF)
    fake_api.push_message(STAFF, "@planbot_test_bot 扬尘谁管", chat_id=group, chat_type="supergroup")
    await fake_api.wait_for_message(group, contains="由大气办牵头")
    fake_api.push_message(STAFF, "/task@planbot_test_bot 3", chat_id=group, chat_type="supergroup")
    await fake_api.wait_for_message(group, contains="第 3 项")
    fake_api.push_message(STRANGER, "@planbot_test_bot 扬尘谁管", chat_id=group, chat_type="supergroup")
    await fake_api.wait_for_message(group, contains="还没有使用本助手的权限")


async def test_commands_are_matched_and_unknown_ones_are_explained(bot: Any, fake_api: FakeBotAPI) -> None:
    fake_api.push_message(STAFF, "/TASK@planbot_test_bot 5")
    await fake_api.wait_for_message(STAFF, contains="第 5 项")
    fake_api.push_message(STAFF, "/frobnicate 1")
    await fake_api.wait_for_message(STAFF, contains="没有 /frobnicate 这个命令")
    fake_api.push_message(STAFF, "/中文")  # no command entity from Telegram, yet no question either
    await fake_api.wait_for_message(STAFF, contains="没有 /中文 这个命令")
    assert bot.bot_data["services"].qa.engine.questions == []  # not taken for questions

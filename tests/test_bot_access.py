"""Access and roles end to end: default deny, /register with admin approval, /bind /unbind /users, invites."""

from __future__ import annotations

from typing import Any

import pytest

from knowledge.model import Plan
from planbot import people
from planbot.db import Database
from planbot.settings import Settings
from tests.fake_bot_api import FakeBotAPI
from tests.support_bot import FakeEngine

ADMIN, STAFF, STRANGER = 1001, 2001, 3001


@pytest.fixture
async def bot(running_bot: Any, settings: Settings, plan_db: Database) -> Any:
    """The bot over the bundled plan with a fake Q&A engine."""
    return await running_bot(settings, db=plan_db, qa_engine=FakeEngine("扬尘治理由大气办牵头。", tasks=[3]))


def _no_plan_content(fake: FakeBotAPI, chat_id: int, plan: Plan) -> None:
    """Nothing the stranger received names a task or the plan."""
    for m in fake.messages_to(chat_id):
        text = m.get("text", "")
        assert plan.title not in text and "大气办牵头" not in text
        assert not any(t.title in text for t in plan.tasks)


@pytest.mark.parametrize("attempt", ["扬尘谁管", "/task 3", "/tasks", "/due", "/overdue", "/mine", "/ask 扬尘"])
async def test_a_stranger_is_told_politely_and_sees_no_plan_content(bot: Any, fake_api: FakeBotAPI,
                                                                    bundled_plan: Plan, attempt: str) -> None:
    fake_api.push_message(STRANGER, attempt)
    reply = await fake_api.wait_for_message(STRANGER, contains="还没有使用本助手的权限")
    assert "/register" in reply["text"]
    _no_plan_content(fake_api, STRANGER, bundled_plan)
    assert bot.bot_data["services"].qa.engine.questions == []


async def test_a_stranger_pressing_a_button_gets_an_alert_only(bot: Any, fake_api: FakeBotAPI,
                                                               bundled_plan: Plan) -> None:
    fake_api.push_message(STAFF, "/task 3")
    card = await fake_api.wait_for_message(STAFF, contains="第 3 项")
    fake_api.press(STRANGER, card, "t:3:text")
    answer = await fake_api.wait_for_call("answerCallbackQuery")
    assert answer.params.get("show_alert") is True and "/register" in answer.params["text"]
    assert fake_api.calls_of("editMessageText") == []


async def test_start_for_a_stranger_explains_how_to_get_access(bot: Any, fake_api: FakeBotAPI,
                                                               bundled_plan: Plan) -> None:
    fake_api.push_message(STRANGER, "/start")
    await fake_api.wait_for_message(STRANGER, contains="/register 姓名或单位")
    _no_plan_content(fake_api, STRANGER, bundled_plan)


async def test_register_approve_and_bind_then_ask(bot: Any, fake_api: FakeBotAPI, plan_db: Database) -> None:
    fake_api.push_message(STRANGER, "/register")
    await fake_api.wait_for_message(STRANGER, contains="用法：/register 姓名或单位")
    fake_api.push_message(STRANGER, "/register 大气办", first_name="王<五>")
    await fake_api.wait_for_message(STRANGER, contains="已通知管理员审核")
    notice = await fake_api.wait_for_message(ADMIN, contains="新的使用申请")
    assert "王<五>" in notice["text"] and "大气办" in notice["text"]
    assert fake_api.buttons(notice) == [("批准并绑定到 大气办", f"acc:bind:{STRANGER}"), ("批准", f"acc:ok:{STRANGER}"),
                                        ("拒绝", f"acc:no:{STRANGER}")]
    fake_api.push_message(STRANGER, "/register 大气办")
    await fake_api.wait_for_message(STRANGER, contains="正在等待管理员审核")
    fake_api.push_message(STRANGER, "还是不能用吗")
    await fake_api.wait_for_message(STRANGER, contains="还没有使用本助手的权限")

    fake_api.press(STAFF, notice, f"acc:bind:{STRANGER}")  # not an admin: refused
    refused = await fake_api.wait_for_call("answerCallbackQuery")
    assert "仅限督查室管理员" in refused.params["text"]
    fake_api.press(ADMIN, notice, f"acc:bind:{STRANGER}")
    decided = await fake_api.wait_for_message(ADMIN, contains="批准并绑定到 大气办", where=lambda m: "edit_date" in m)
    assert fake_api.buttons(decided) == []
    await fake_api.wait_for_message(STRANGER, contains="已绑定到 大气办")
    with plan_db.session() as s:
        assert people.names_of(s, STRANGER) == ["大气办"]
        assert people.get_user(s, STRANGER).status == people.STATUS_APPROVED  # type: ignore[union-attr]

    fake_api.push_message(STRANGER, "扬尘谁管")
    await fake_api.wait_for_message(STRANGER, contains="由大气办牵头")
    fake_api.push_message(STRANGER, "/mine")
    mine = await fake_api.wait_for_message(STRANGER, contains="大气办 负责的任务")
    assert "第3项" in mine["text"]

    fake_api.press(ADMIN, notice, f"acc:ok:{STRANGER}")  # a second decision on the same request
    gone = await fake_api.wait_for_call("answerCallbackQuery", where=lambda c: "已处理" in c.params.get("text", ""))
    assert gone.params.get("show_alert") is True


async def test_register_rejected(bot: Any, fake_api: FakeBotAPI) -> None:
    fake_api.push_message(STRANGER, "/register 某某公司 张三")
    notice = await fake_api.wait_for_message(ADMIN, contains="某某公司 张三")
    assert [data for _, data in fake_api.buttons(notice)] == [f"acc:ok:{STRANGER}", f"acc:no:{STRANGER}"]
    fake_api.press(ADMIN, notice, f"acc:no:{STRANGER}")
    await fake_api.wait_for_message(ADMIN, contains="已由", where=lambda m: "edit_date" in m)
    await fake_api.wait_for_message(STRANGER, contains="未获通过")
    fake_api.push_message(STRANGER, "/task 3")
    await fake_api.wait_for_message(STRANGER, contains="还没有使用本助手的权限")


async def test_register_when_allowed_already(bot: Any, fake_api: FakeBotAPI) -> None:
    fake_api.push_message(STAFF, "/register 大气办")
    await fake_api.wait_for_message(STAFF, contains="您已有使用权限")
    assert fake_api.messages_to(ADMIN) == []


@pytest.mark.parametrize("command", ["/bind 3001 大气办", "/unbind 3001", "/users"])
async def test_admin_commands_are_refused_to_staff(bot: Any, fake_api: FakeBotAPI, plan_db: Database,
                                                   command: str) -> None:
    fake_api.push_message(STAFF, command)
    await fake_api.wait_for_message(STAFF, contains="仅限督查室管理员")
    with plan_db.session() as s:
        assert people.all_bindings(s) == []


@pytest.mark.parametrize(("command", "reply"), [
    ("/bind", "用法：/bind 用户ID 名称"),
    ("/bind 3001", "用法：/bind 用户ID 名称"),
    ("/bind abc 大气办", "用户 ID 应为数字：“abc”"),
    ("/bind 3001 大气", "方案中没有“大气”。您是不是要找：大气办"),
    ("/unbind", "用法：/unbind 用户ID"),
    ("/unbind 3001", "没有绑定"),
])
async def test_admin_command_mistakes_name_the_fix(bot: Any, fake_api: FakeBotAPI, command: str, reply: str) -> None:
    fake_api.push_message(ADMIN, command)
    await fake_api.wait_for_message(ADMIN, contains=reply)


async def test_bind_unknown_name_lists_the_names_of_the_ledger(bot: Any, fake_api: FakeBotAPI,
                                                               bundled_plan: Plan) -> None:
    fake_api.push_message(ADMIN, "/bind 3001 不存在的科室")
    reply = await fake_api.wait_for_message(ADMIN, contains="可用名称")
    assert all(name in reply["text"] for name in (*bundled_plan.leaders, *bundled_plan.unit_names))


async def test_bind_users_unbind(bot: Any, fake_api: FakeBotAPI, plan_db: Database, bundled_plan: Plan) -> None:
    leader = bundled_plan.leaders[0]
    fake_api.push_message(ADMIN, f"/bind 3001 {leader}")
    await fake_api.wait_for_message(ADMIN, contains=f"已把用户 3001 绑定到 {leader}")
    await fake_api.wait_for_message(STRANGER, contains=f"管理员已把您绑定到 {leader}")
    fake_api.push_message(ADMIN, f"/bind 3001 {leader}")
    await fake_api.wait_for_message(ADMIN, contains="无需重复绑定")
    fake_api.push_message(STRANGER, "/whoami")  # a bound user has access
    who = await fake_api.wait_for_message(STRANGER, contains="角色：工作人员")
    assert leader in who["text"]
    fake_api.push_message(ADMIN, "/users")
    users = await fake_api.wait_for_message(ADMIN, contains="用户与绑定")
    assert f"{leader} ← 3001" in users["text"] and "管理员：1001" in users["text"]
    fake_api.push_message(ADMIN, "/unbind 3001")
    await fake_api.wait_for_message(ADMIN, contains="已解除用户 3001 的 1 个绑定")
    with plan_db.session() as s:
        assert people.names_of(s, STRANGER) == []
    fake_api.push_message(STRANGER, "/task 1")
    await fake_api.wait_for_message(STRANGER, contains="还没有使用本助手的权限")


async def test_start_with_an_invite_binds_the_user(bot: Any, fake_api: FakeBotAPI, plan_db: Database) -> None:
    from reminders.invites import create_invites

    with plan_db.session() as s:
        token = create_invites(s, ["大气办"], bot.bot_data["services"].clock())["大气办"]
    fake_api.push_message(STRANGER, "/start not-a-token")
    await fake_api.wait_for_message(STRANGER, contains="邀请链接无效")
    fake_api.push_message(STRANGER, f"/start {token}")
    welcome = await fake_api.wait_for_message(STRANGER, contains="邀请链接已生效")
    assert "您已绑定：大气办" in welcome["text"]
    fake_api.push_message(STRANGER, "/mine")
    await fake_api.wait_for_message(STRANGER, contains="大气办 负责的任务")

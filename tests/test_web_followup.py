"""The task page's reminder and round-message deliveries, and the unanswered-questions page (TestClient, real
SQLite): what the outboxes and the learning store hold is what the admin reads, newest first, labelled in Chinese."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import update

from indexer import learning
from indexer.ledger import load_plan
from knowledge.model import Plan
from reminders import outbox
from reminders.rules import Reminder
from reminders.store import ReminderMessageRow
from supervision import service
from supervision import store as sv_store
from supervision.rounds import round_for
from tests import test_web_access as access
from web import pages, texts
from web.store import Delivery, deliveries

Desk = dict[str, Any]
desk = access.desk  # the desk fixture: the app over a built bot's services, real SQLite in tmp_path


def _login(desk: Desk) -> Any:
    client = desk["client"]
    assert client.get(access.path(access.admin_link(desk))).status_code == 303
    return client


def _rows(html: str, table: str) -> list[str]:
    """The visible text of each body row of `<table class="table">`, tags dropped."""
    found = re.search(rf'<table class="{table}">.*?<tbody>(.*?)</tbody>', html, re.S)
    assert found is not None, html
    rows = re.findall(r"<tr>(.*?)</tr>", found.group(1), re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


def _remind(desk: Desk, plan: Plan, task: int, recipient: str, day_offset: int, chats: list[int]) -> None:
    now = desk["clock"]() + timedelta(days=day_offset)
    t = plan.task(task)
    assert t is not None
    reminder = Reminder(task, t.title, now.date() + timedelta(days=3), "before", recipient, "unit", now, 3)
    desk["db"].run(lambda s: outbox.enqueue(s, service.plan_key_of(plan), [reminder], now, lambda _: chats))


def _set_messages(desk: Desk, chat: int, **values: Any) -> None:
    desk["db"].run(lambda s: s.execute(update(ReminderMessageRow).where(ReminderMessageRow.chat_id == chat)
                                       .values(**values)))


def _request(desk: Desk, plan: Plan, kind: str, unit: str, tasks: list[int], error: str | None,
             sent: bool, hours: int) -> None:
    settings, now = desk["settings"], desk["clock"]() + timedelta(hours=hours)

    def write(s: Any) -> None:
        row = sv_store.ensure_round(s, service.plan_key_of(plan), round_for(now, settings.tz), now)
        req = sv_store.record_request(s, row, kind=kind, unit=unit, telegram_id=abs(hash(unit)) % 10**6,
                                      tasks=tasks, now=now)
        assert req is not None
        if sent or error:
            sv_store.mark_sent(s, req.id, now, error=error)
    desk["db"].run(write)


def test_the_task_page_lists_reminders_and_round_messages_with_their_delivery(desk: Desk) -> None:
    plan = load_plan(desk["db"])
    _remind(desk, plan, 2, "大气办", -2, [3001])  # sent two days ago
    _set_messages(desk, 3001, status="sent", sent_at=(desk["clock"]() - timedelta(days=2)).astimezone(UTC)
                  .replace(tzinfo=None))
    _remind(desk, plan, 2, "环评科", -1, [3002])  # failed yesterday
    _set_messages(desk, 3002, status="undelivered", error="Forbidden: bot was blocked by the user")
    _remind(desk, plan, 2, "无人单位", 0, [])  # nobody bound: never written as a message
    _remind(desk, plan, 3, "大气办", 0, [3001])  # another task: not on task 2's page
    _request(desk, plan, sv_store.KIND_REQUEST, "大气办", [2, 12], None, sent=True, hours=1)
    _request(desk, plan, sv_store.KIND_CHASE, "环评科", [12, 22], "Chat not found", sent=False, hours=2)
    _request(desk, plan, sv_store.KIND_CHASE, "<b>某局</b>", [2], None, sent=False, hours=3)
    html = _login(desk).get("/task/2").text
    rows = _rows(html, "deliveries")
    assert rows == [
        "2023-10-30 12:00 催报 &lt;b&gt;某局&lt;/b&gt; 待发送",
        "2023-10-30 10:00 周调度 大气办 已送达",
        "2023-10-30 09:00 提醒 无人单位 " + str(texts.DELIVERY_UNBOUND),
        "2023-10-29 09:00 提醒 环评科 发送失败：Forbidden: bot was blocked by the user",
        "2023-10-28 09:00 提醒 大气办 已送达",
    ], rows
    assert "<b>某局</b>" not in html  # autoescaped
    assert "Chat not found" not in html  # task 22's chase does not mention task 2 (",12,22," has no ",2,")


def test_the_task_page_caps_the_list_and_counts_the_rest(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = load_plan(desk["db"])
    monkeypatch.setattr(pages, "DELIVERIES_SHOWN", 2)
    for hours in range(5):
        _request(desk, plan, sv_store.KIND_CHASE, f"单位{hours}", [2], None, sent=True, hours=hours)
    html = _login(desk).get("/task/2").text
    assert [r.split()[3] for r in _rows(html, "deliveries")] == ["单位4", "单位3"]
    assert "另有 3 条更早的记录未列出" in html


def test_a_task_without_messages_says_so(desk: Desk) -> None:
    html = _login(desk).get("/task/2").text
    assert "还没有发出过关于本项的提醒" in html


@pytest.mark.parametrize(("state", "error", "shown"), [
    ("sent", "", "已送达"),
    ("pending", "", "待发送"),
    ("pending", "Too Many Requests", "待发送（上次失败：Too Many Requests）"),
    ("undelivered", "", "发送失败"),
    ("failed", "Chat not found", "发送失败：Chat not found"),
    ("uncertain", "", "状态：uncertain"),  # a state a later outbox adds: shown as it is, not hidden
    ("expired", "过期未发", "状态：expired（过期未发）"),
])
def test_delivery_states_read_in_chinese_and_unknown_ones_generically(state: str, error: str, shown: str) -> None:
    assert str(pages.delivery_state(Delivery("reminder", "x", datetime.now(UTC), state, error))) == shown


@pytest.mark.parametrize(("kind", "shown"), [("reminder", "提醒"), ("request", "周调度"), ("chase", "催报"),
                                             ("c20261129", "催报"), ("leader", "领导周报"), ("monthly", "月汇总"),
                                             ("quarterly", "季考核"), ("digest", "周调度汇总"),
                                             ("c2026", "其他（c2026）"), ("weekly2", "其他（weekly2）")])
def test_delivery_kinds_read_in_chinese(kind: str, shown: str) -> None:
    assert str(pages.delivery_kind(kind)) == shown


def test_deliveries_is_one_query_per_task_and_plan(desk: Desk) -> None:
    plan = load_plan(desk["db"])
    _request(desk, plan, sv_store.KIND_REQUEST, "大气办", [12], None, sent=True, hours=0)
    key = service.plan_key_of(plan)
    assert desk["db"].run(lambda s: deliveries(s, key, 2, 50)) == ([], 0)
    assert desk["db"].run(lambda s: deliveries(s, "another plan", 12, 50)) == ([], 0)
    found, total = desk["db"].run(lambda s: deliveries(s, key, 12, 50))
    assert total == 1 and found[0].recipient == "大气办" and found[0].state == "sent"


def _miss(desk: Desk, plan: Plan, question: str, decision: str, pointer: int | None, days_ago: float) -> None:
    now = desk["clock"]() - timedelta(days=days_ago)
    desk["db"].run(lambda s: learning.record_miss(s, service.plan_key_of(plan), question, 2001, decision,
                                                 pointer, now))


def test_the_unanswered_page_groups_the_weeks_misses_and_links_the_closest_task(desk: Desk) -> None:
    plan = load_plan(desk["db"])
    _miss(desk, plan, "扬尘 怎么罚？", "refuse", None, 1)
    _miss(desk, plan, "扬尘怎么罚", "caveat", 2, 0.5)  # the same question: counted together, latest represents it
    _miss(desk, plan, "<script>x</script>", "refuse", None, 2)
    _miss(desk, plan, "上个月的问题", "refuse", 3, 8)  # older than seven days
    _miss(desk, plan, "已对应的问题", "refuse", 3, 1)
    desk["db"].run(lambda s: learning.save_mapping(s, service.plan_key_of(plan), "已对应的问题", 3, 1001,
                                                  desk["clock"]()))
    client = _login(desk)
    assert 'href="/unanswered"' in client.get("/board").text
    response = client.get("/unanswered")
    assert response.status_code == 200
    task = plan.task(2)
    assert task is not None
    assert _rows(response.text, "unanswered") == [
        f"1 扬尘怎么罚 2 把握不大 10-29 21:00 第 2 项 {task.title}",
        "2 &lt;script&gt;x&lt;/script&gt; 1 拒答 10-28 09:00 —",
    ]
    assert 'href="/task/2"' in response.text and "<script>x" not in response.text
    assert "共 3 次提问、2 个不同问题" in response.text


def test_the_unanswered_page_without_misses_says_so(desk: Desk) -> None:
    assert "最近 7 天没有被拒答或把握不大的问题" in _login(desk).get("/unanswered").text


def test_the_unanswered_page_is_for_admins_only(desk: Desk) -> None:
    _miss(desk, load_plan(desk["db"]), "扬尘怎么罚", "refuse", None, 1)
    response = desk["client"].get("/unanswered")
    assert response.status_code == 403 and "扬尘" not in response.text

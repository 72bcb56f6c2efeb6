"""What a README-only user trial of the desk found: weeks by Chinese label, Chinese error pages, delivery kinds
by name, counts that say what they count (TestClient over the real app, real SQLite in tmp_path)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from indexer.ledger import load_plan
from supervision import service
from supervision import store as sv_store
from supervision.rounds import RoundPeriod, round_for
from tests import test_web_access as access
from tests import test_web_followup as followup
from web import pages

Desk = dict[str, Any]
desk = access.desk  # the desk fixture: the app over a built bot's services, real SQLite in tmp_path


def _login(desk: Desk) -> Any:
    client = desk["client"]
    assert client.get(access.path(access.admin_link(desk))).status_code == 303
    return client


def test_earlier_rounds_are_listed_by_week_in_chinese_and_each_opens_its_board(desk: Desk) -> None:
    plan = load_plan(desk["db"])
    settings, now = desk["settings"], desk["clock"]()
    key = service.plan_key_of(plan)

    def write(s: Any) -> None:
        sv_store.ensure_round(s, key, round_for(now - timedelta(weeks=1), settings.tz), now)
        last = now.date()
        sv_store.ensure_round(s, key, RoundPeriod("ended", last, last), now)  # the plan-ended notice's marker
    desk["db"].run(write)
    client = _login(desk)
    board = client.get("/board").text
    weeks = re.search(r'<nav class="weeks">(.*?)</nav>', board, re.S)
    assert weeks is not None
    assert "ended" not in weeks.group(1) and "2023-W" not in re.sub(r'href="[^"]*"', "", weeks.group(1))
    assert "<b>2023年第44周（10月30日—11月5日）</b>" in weeks.group(1)  # this week, not a link
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', weeks.group(1))
    assert links == [("?week=2023-W43", "2023年第43周（10月23日—10月29日）")]
    earlier = client.get("/board" + links[0][0])
    assert earlier.status_code == 200
    assert "周调度看板 · 2023年第43周（10月23日—10月29日）" in earlier.text


@pytest.mark.parametrize(("method", "url", "status", "words"), [
    ("GET", "/no/such/page", 404, ["找不到这个页面", "/no/such/page"]),
    ("GET", "/task/999", 404, ["找不到这个页面", "没有第 999 项任务"]),
    ("POST", "/board", 405, ["不支持这种访问方式", "POST"]),
    ("GET", "/export/yearly.xlsx", 400, ["无法处理这个请求", "未知的报表类型"]),
])
def test_errors_are_chinese_pages(desk: Desk, method: str, url: str, status: int, words: list[str]) -> None:
    response = _login(desk).request(method, url)
    assert response.status_code == status and response.headers["content-type"].startswith("text/html")
    for word in words:
        assert word in response.text, response.text
    assert "Not Found" not in response.text and "Method Not Allowed" not in response.text


def test_a_crash_in_a_page_is_a_chinese_500_without_the_traceback(desk: Desk, monkeypatch: pytest.MonkeyPatch
                                                                  ) -> None:
    async def broken(*args: Any) -> Any:
        raise RuntimeError("secret internals /srv/planbot/web/pages.py")
    monkeypatch.setattr(pages, "board_context", broken)
    with TestClient(desk["client"].app, base_url=access.BASE, follow_redirects=False,
                    raise_server_exceptions=False) as client:
        assert client.get(access.path(access.admin_link(desk))).status_code == 303
        response = client.get("/board")
    assert response.status_code == 500 and "督查台出错了" in response.text
    assert "Traceback" not in response.text and "secret internals" not in response.text


def test_a_chase_sent_by_supervision_reads_as_a_chase_on_the_task_page(desk: Desk) -> None:
    plan = load_plan(desk["db"])
    kind = service.chase_kind(desk["clock"](), desk["settings"])  # as supervision stores it: cYYYYMMDD
    followup._request(desk, plan, kind, "环评科", [2], None, sent=True, hours=1)
    rows = followup._rows(_login(desk).get("/task/2").text, "deliveries")
    assert rows == ["2023-10-30 10:00 催报 环评科 已送达"], rows


def test_the_board_says_what_its_counts_count(desk: Desk) -> None:
    board = _login(desk).get("/board").text
    tasks = re.search(r"共 (\d+) 项任务", board)
    counts = re.search(r'<div class="counts"[^>]*>(.*?)</div>', board, re.S)
    assert tasks is not None and counts is not None
    shown = re.sub(r"<[^>]+>", " ", counts.group(1))
    assert shown.split()[0] == "按牵头单位计："
    slots = [int(n) for n in re.findall(r"(\d+) 个单位·任务", shown)]
    assert len(slots) == 5  # 已完成 / 按计划推进 / 滞后 / 需协调 / 未报送, each labelled
    assert re.search(r"未报送 \d+ 个单位·任务", shown)
    assert sum(slots) > int(tasks.group(1))  # why the label matters: some tasks have several lead units

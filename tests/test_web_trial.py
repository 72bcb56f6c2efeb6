"""What a README-only user trial of the desk found: weeks by Chinese label, Chinese error pages, delivery kinds
by name, counts that say what they count (TestClient over the real app, real SQLite in tmp_path)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from indexer.ledger import load_plan
from supervision import service
from supervision import store as sv_store
from supervision.rounds import RoundPeriod, round_for
from tests import test_web_access as access

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

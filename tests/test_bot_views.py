"""The pure chat views: task cards, pages, /due, /overdue, /mine."""

from __future__ import annotations

from datetime import date

import pytest

from bot import views
from knowledge.model import Task, TimeExpr
from tests.fake_bot_api import parse_html
from tests.support_ledger import make_plan, make_task

PLAN = make_plan(2030, tasks=(
    make_task(1, "锅炉改造", due=date(2030, 3, 31), lead_units=("大气办",), units=("各分局",)),
    make_task(2, "扬尘治理", due=date(2030, 4, 10), leaders=("李四",), lead_units=("执法支队",), units=("秦都分局",)),
    Task(number=3, title="<柴油车> & 监管", text="监管 <b>加强</b>", section="（二）", leaders=("王五",),
         lead_units=("机动车中心",),
         deadlines=(TimeExpr("period", "2030年4月至6月", date(2030, 4, 1), date(2030, 6, 30)),
                    TimeExpr("due", "2030年3月底前", date(2030, 3, 31)))),
    make_task(4, "常态化巡查"),
))


@pytest.mark.parametrize(("today", "days", "expected"), [
    (date(2030, 3, 25), 7, [(1, date(2030, 3, 31)), (3, date(2030, 3, 31))]),
    (date(2030, 3, 31), 0, [(1, date(2030, 3, 31)), (3, date(2030, 3, 31))]),
    (date(2030, 4, 1), 9, [(2, date(2030, 4, 10))]),
    (date(2030, 4, 1), 8, []),
    (date(2030, 4, 11), 90, []),  # a period's end is not a deadline
])
def test_due_within(today: date, days: int, expected: list[tuple[int, date]]) -> None:
    assert [(d.task.number, d.day) for d in views.due_within(PLAN, today, days)] == expected


@pytest.mark.parametrize(("today", "done", "expected"), [
    (date(2030, 3, 31), set(), []),  # due today is not overdue
    (date(2030, 4, 1), set(), [1, 3]),
    (date(2030, 4, 1), {1}, [3]),  # reported done
    (date(2030, 7, 1), set(), [1, 3, 2]),  # most overdue first: the period of task 3 does not count
])
def test_overdue(today: date, done: set[int], expected: list[int]) -> None:
    assert [d.task.number for d in views.overdue(PLAN, today, done)] == expected


def test_overdue_shows_the_latest_passed_deadline() -> None:
    [item] = [d for d in views.overdue(PLAN, date(2030, 7, 2)) if d.task.number == 3]
    assert (item.day, item.days) == (date(2030, 3, 31), -93)  # the period (April to June) never counts


@pytest.mark.parametrize(("names", "aliases", "expected"), [
    (["大气办"], {}, [(1, "lead"), (4, "lead")]),
    (["李四"], {}, [(2, "leader")]),
    (["秦都分局"], {}, [(2, "unit")]),
    (["秦都分局"], {"各分局": ("秦都分局", "渭城分局")}, [(1, "unit"), (2, "unit"), (4, "unit")]),
    (["无关单位"], {}, []),
])
def test_tasks_of_a_bound_name(names: list[str], aliases: dict[str, tuple[str, ...]],
                               expected: list[tuple[int, str]]) -> None:
    assert [(t.number, role) for t, role in views.tasks_of(PLAN, names, aliases)] == expected


@pytest.mark.parametrize("view", views.TASK_VIEWS)
def test_every_task_view_escapes_plan_text(view: str) -> None:
    html = views.task_view(PLAN.task(3), view)  # type: ignore[arg-type]
    shown = parse_html(html)  # Telegram accepts it
    assert "<柴油车> & 监管" in shown


def test_views_name_what_they_show() -> None:
    assert "监管 <b>加强</b>" in parse_html(views.task_view(PLAN.task(3), "text"))  # type: ignore[arg-type]
    assert "2030年6月30日" in parse_html(views.task_view(PLAN.task(3), "time"))  # type: ignore[arg-type]
    resp = parse_html(views.task_view(PLAN.task(2), "resp"))  # type: ignore[arg-type]
    assert "李四" in resp and "执法支队" in resp and "秦都分局" in resp


@pytest.mark.parametrize(("page", "shown", "first"), [(1, 1, 1), (2, 2, 3), (9, 2, 3), (0, 1, 1)])
def test_pages_are_clamped(page: int, shown: int, first: int) -> None:
    text, number, pages = views.tasks_page(PLAN, page, size=2)
    assert (number, pages) == (shown, 2)
    assert f"\n{first}. " in parse_html(text)


def test_lists_are_valid_html_and_say_when_empty() -> None:
    for html in (views.due_list(PLAN, date(2030, 3, 25), 30), views.overdue_list(PLAN, date(2030, 7, 1)),
                 views.mine_list(PLAN, ["王五"], {}, date(2030, 1, 1))):
        assert "<柴油车> & 监管" in parse_html(html)
    assert "没有到期" in views.due_list(PLAN, date(2031, 1, 1), 14)
    assert "没有已过时限" in views.overdue_list(PLAN, date(2030, 1, 1))
    assert "没有" in views.mine_list(PLAN, ["无关单位"], {}, date(2030, 1, 1))


def test_ledger_names_include_leaders_units_and_alias_members() -> None:
    names = views.ledger_names(PLAN, {"各分局": ("渭城分局",)})
    assert {"李四", "大气办", "各分局", "秦都分局", "渭城分局"} <= set(names)


def test_a_period_shows_the_plans_words_and_says_its_dates_are_a_reading() -> None:
    line = parse_html(str(views.deadline_line(PLAN.task(3), date(2030, 1, 1))))
    assert "实施期间：2030年4月至6月（方案未写具体日期，按" in line and "计）" in line

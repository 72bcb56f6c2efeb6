"""Table tests of the pure parts of issue 11: completion, chase set, forgiving input, one deadline model,
holiday-moved round jobs, overdue cadence, reminders once per task and folded catch-up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from bot.handlers.access import bindable_name
from knowledge.deadlines import deadlines, is_overdue, plan_ended
from knowledge.model import Plan, Task, TimeExpr
from planbot.settings import Settings
from reminders.rules import RuleConfig, folded_day, reminders_between, reminders_on
from supervision.rounds import (
    CLOSED,
    DONE,
    LAGGING,
    NEEDS_HELP,
    ON_TRACK,
    REOPENED,
    ROLE_LEAD,
    ROLE_LEADER,
    parse_status_args,
    parse_task_number,
    week_schedule,
)
from supervision.status_model import chase_set, completed, done_pairs, open_assignments, task_states
from tests.support_ledger import make_plan, make_task


@dataclass(frozen=True)
class R:
    """A reply as the model reads it."""

    task: int
    unit: str
    role: str
    status: str
    round_key: str = "2023-W44"


TWO_LEADS = make_plan(2023, tasks=(
    make_task(6, "排查整治", due=date(2023, 10, 31), leaders=("刘鲲",), lead_units=("大气办", "执法支队")),
    make_task(22, "运输管控", due=date(2023, 10, 31), leaders=("刘鲲",), lead_units=("机动车中心",)),
))


@pytest.mark.parametrize(("replies", "complete", "pairs"), [
    ([R(6, "大气办", ROLE_LEAD, DONE)], set(), {(6, "大气办")}),  # one of two lead units
    ([R(6, "大气办", ROLE_LEAD, DONE), R(6, "执法支队", ROLE_LEAD, DONE)], {6},
     {(6, "大气办"), (6, "执法支队")}),
    ([R(22, "刘鲲", ROLE_LEADER, DONE)], set(), set()),  # a leader's 已完成 is a comment
    ([R(22, "机动车中心", ROLE_LEAD, DONE), R(22, "刘鲲", ROLE_LEADER, NEEDS_HELP)], {22},
     {(22, "机动车中心")}),  # …and a leader's 需协调 never reopens
    ([R(22, "", "admin", CLOSED)], {22}, {(22, "机动车中心")}),
    ([R(22, "机动车中心", ROLE_LEAD, DONE), R(22, "", "admin", REOPENED)], set(), set()),
    ([R(22, "机动车中心", ROLE_LEAD, DONE), R(22, "机动车中心", ROLE_LEAD, LAGGING)], set(), set()),
])
def test_who_completes_a_task(replies: list[R], complete: set[int], pairs: set[tuple[int, str]]) -> None:
    assert completed(TWO_LEADS, replies, {}) == complete
    assert done_pairs(TWO_LEADS, replies, {}) == pairs


def test_leader_comment_is_kept_apart() -> None:
    states = task_states(TWO_LEADS, [R(22, "刘鲲", ROLE_LEADER, NEEDS_HELP)], {})
    assert states[22].leader is not None and states[22].units == {}


def test_chase_set_is_per_task_and_lead_unit() -> None:
    replies = [R(6, "大气办", ROLE_LEAD, ON_TRACK), R(22, "机动车中心", ROLE_LEAD, DONE, "2023-W43")]
    states = task_states(TWO_LEADS, replies, {})
    asked = {"大气办": [6], "执法支队": [6], "机动车中心": [22]}
    # 大气办 answered; 机动车中心 is done with 22 (earlier round): neither is chased. 执法支队 is.
    assert chase_set(TWO_LEADS, states, [r for r in replies if r.round_key == "2023-W44"], asked) == {"执法支队": [6]}
    assert {u: [t.number for t in ts] for u, ts in open_assignments(TWO_LEADS, states).items()} == {
        "大气办": [6], "执法支队": [6]}


@pytest.mark.parametrize(("args", "expected"), [
    (["2", "已完成"], (2, DONE, "")),
    (["2已完成"], (2, DONE, "")),
    (["二", "完成了"], (2, DONE, "")),
    (["十二", "办结", "已验收"], (12, DONE, "已验收")),
    (["3", "推进中"], (3, ON_TRACK, "")),
    (["3", "延误", "设备未到"], (3, LAGGING, "设备未到")),
    (["3", "需协调需要市局支持"], (3, NEEDS_HELP, "需要市局支持")),
    (["abc", "滞后"], (None, None, "")),
    (["3", "很好"], (3, None, "")),
])
def test_status_arguments_forgive(args: list[str], expected: tuple[int | None, str | None, str]) -> None:
    number, status, note, _ = parse_status_args(args)
    assert (number, status, note) == expected


@pytest.mark.parametrize(("text", "number"), [("12", 12), ("十二", 12), ("第", None), ("-1", None), ("二十", 20)])
def test_task_numbers(text: str, number: int | None) -> None:
    assert parse_task_number(text)[0] == number


SEASON = Task(number=30, title="季节", text="", section="", lead_units=("执法支队",), deadlines=(
    TimeExpr("period", "臭氧高发季节", date(2023, 5, 1), date(2023, 9, 30)),))
TWO_MILESTONES = make_task(2, "两个节点", due=date(2023, 3, 31))
TWO_MILESTONES = Task(**{**TWO_MILESTONES.__dict__, "deadlines": (
    TimeExpr("due", "2023年3月底前", date(2023, 3, 31)), TimeExpr("due", "2023年10月底前", date(2023, 10, 31)),
    TimeExpr("due", "2024年12月底前", date(2024, 12, 31)))})


@pytest.mark.parametrize(("task", "today", "next_", "more", "overdue"), [
    (SEASON, date(2026, 11, 29), None, 0, False),  # a season is never overdue
    (TWO_MILESTONES, date(2023, 3, 1), date(2023, 3, 31), 2, False),
    (TWO_MILESTONES, date(2023, 4, 1), date(2023, 10, 31), 1, True),
    (TWO_MILESTONES, date(2025, 1, 1), None, 0, True),
])
def test_one_deadline_model(task: Task, today: date, next_: date | None, more: int, overdue: bool) -> None:
    dl = deadlines(task, today)
    assert (dl.next, dl.more, is_overdue(task, today)) == (next_, more, overdue)


def test_plan_ends_ninety_days_after_its_last_deadline() -> None:
    plan = Plan("p", 2023, (TWO_MILESTONES, SEASON))
    assert not plan_ended(plan, date(2025, 3, 31)) and plan_ended(plan, date(2025, 4, 1))


@pytest.mark.parametrize(("day", "dispatch", "chase", "digest"), [
    (date(2023, 10, 30), date(2023, 10, 30), date(2023, 11, 1), date(2023, 11, 3)),
    (date(2023, 5, 1), date(2023, 5, 4), date(2023, 5, 5), date(2023, 5, 5)),  # 劳动节
    # 国庆 2023: Mon 2 – Fri 6 off; Sat 7 and Sun 8 are make-up working days.
    (date(2023, 10, 2), date(2023, 10, 7), date(2023, 10, 8), date(2023, 10, 8)),
    (date(2024, 1, 1), date(2024, 1, 2), date(2024, 1, 3), date(2024, 1, 5)),  # 元旦
])
def test_round_jobs_move_off_holidays(day: date, dispatch: date | None, chase: date | None,
                                      digest: date | None) -> None:
    assert week_schedule(day, Settings()) == {"dispatch": dispatch, "chase": chase, "digest": digest}


CONFIG = RuleConfig()
ONE = make_plan(2023, tasks=(make_task(3, "铸造", due=date(2023, 10, 31), leaders=("刘鲲",), lead_units=("大气办",),
                                       units=()),))


def test_overdue_reminders_stop_after_four_weeks() -> None:
    days = reminders_between(ONE, date(2023, 11, 1), date(2024, 1, 31), CONFIG)
    overdue_days = sorted(d for d, items in days.items() if any(r.kind == "overdue" for r in items))
    # The first working day after, then four Mondays.
    assert overdue_days == [date(2023, 11, 1), date(2023, 11, 6), date(2023, 11, 13), date(2023, 11, 20),
                            date(2023, 11, 27)]
    assert all(reminders_on(ONE, d, CONFIG) for d in overdue_days)
    assert reminders_on(ONE, date(2023, 12, 4), CONFIG) == []


def test_a_lead_unit_done_gets_no_reminder_others_do() -> None:
    got = reminders_on(ONE, date(2023, 10, 30), CONFIG, (), {(3, "大气办")})
    assert [r.recipient for r in got] == ["刘鲲"]


def test_several_milestones_are_reminded_once_a_day() -> None:
    plan = Plan("p", 2023, (Task(**{**TWO_MILESTONES.__dict__, "deadlines": (
        TimeExpr("due", "a", date(2023, 10, 31)), TimeExpr("due", "b", date(2023, 11, 3)))}),))
    got = reminders_on(plan, date(2023, 10, 31), CONFIG)  # due a today, b in 3 days: one line, the nearest
    assert sorted((r.recipient, r.due, r.kind) for r in got) == sorted(
        (n, date(2023, 10, 31), "due") for n in ("张三", "大气办", "各分局"))


def test_catch_up_is_folded_into_today() -> None:
    missed = [date(2023, 10, 30)]  # "还有 1 天" on Monday, never sent
    got = folded_day(ONE, missed, date(2023, 10, 31), CONFIG)
    assert {(r.recipient, r.day, r.kind, r.days_left) for r in got} == {
        ("刘鲲", date(2023, 10, 31), "due", 0), ("大气办", date(2023, 10, 31), "due", 0)}
    assert folded_day(ONE, [date(2023, 10, 24)], date(2023, 10, 25), CONFIG)[0].days_left == 6


@pytest.mark.parametrize(("text", "name"), [
    ("大气办", "大气办"), ("大气办 张三", "大气办"), ("张三（大气办）", "大气办"), ("张三", None),
])
def test_registration_names_its_unit(text: str, name: str | None) -> None:
    assert bindable_name(text, ["大气办", "环评科", "刘鲲"]) == name


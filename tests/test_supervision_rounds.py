"""Pure round logic: periods, statuses, who answers for what, schedules."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from knowledge.model import Plan
from planbot.errors import UsageError
from planbot.settings import Settings
from supervision.periods import parse_period
from supervision.rounds import (
    DONE,
    LAGGING,
    NEEDS_HELP,
    ON_TRACK,
    ROLE_LEAD,
    ROLE_LEADER,
    ROLE_UNIT,
    assignments,
    next_due,
    next_fire_times,
    non_responders,
    parse_round_key,
    parse_status,
    responsibility,
    round_for,
)

TZ = ZoneInfo("Asia/Shanghai")
UTC = ZoneInfo("UTC")
GROUPS = {"各分局": ("秦都分局", "渭城分局"), "各相关分局": ("秦都分局",)}


@pytest.mark.parametrize(("now", "key", "start"), [
    (datetime(2023, 10, 30, 9, tzinfo=TZ), "2023-W44", date(2023, 10, 30)),
    (datetime(2023, 11, 5, 23, 59, tzinfo=TZ), "2023-W44", date(2023, 10, 30)),
    # Sunday 17:00 UTC is already Monday 01:00 in Shanghai: the next round.
    (datetime(2023, 11, 5, 17, 0, tzinfo=UTC), "2023-W45", date(2023, 11, 6)),
    (datetime(2024, 1, 1, 9, tzinfo=TZ), "2024-W01", date(2024, 1, 1)),
    (datetime(2021, 1, 3, 9, tzinfo=TZ), "2020-W53", date(2020, 12, 28)),
])
def test_round_is_the_iso_week_in_the_bureau_zone(now: datetime, key: str, start: date) -> None:
    rnd = round_for(now, TZ)
    assert (rnd.key, rnd.start, (rnd.end - rnd.start).days) == (key, start, 6)
    assert parse_round_key(key) == rnd


@pytest.mark.parametrize(("text", "status"), [
    ("已完成", DONE), ("完成", DONE), ("按计划推进", ON_TRACK), ("推进", ON_TRACK), ("正常", ON_TRACK),
    ("滞后", LAGGING), ("需协调", NEEDS_HELP), ("协调", NEEDS_HELP), (" 滞后 ", LAGGING),
    ("很好", None), ("", None), ("2", None),
])
def test_parse_status(text: str, status: str | None) -> None:
    assert parse_status(text) == status


@pytest.mark.parametrize(("number", "names", "expected"), [
    (2, ["大气办"], ("大气办", ROLE_LEAD)),  # lead unit
    (2, ["秦都分局"], ("秦都分局", ROLE_UNIT)),  # "秦都、高新、兴平分局" expanded by the parser
    (1, ["渭城分局"], ("渭城分局", ROLE_UNIT)),  # through the group 各分局
    (16, ["秦都分局"], ("秦都分局", ROLE_UNIT)),  # through 各相关分局
    (1, ["刘鲲"], None),  # task 1's leader is 薛扬
    (1, ["薛扬"], ("薛扬", ROLE_LEADER)),  # a leader comments; only lead units complete a task
    (7, ["大气办"], None),
    (2, [], None),
])
def test_responsibility(bundled_plan: Plan, number: int, names: list[str],
                        expected: tuple[str, str] | None) -> None:
    task = bundled_plan.task(number)
    assert task is not None
    got = responsibility(task, names, GROUPS)
    assert (None if got is None else (got.name, got.role)) == expected


def test_assignments_give_lead_units_their_open_tasks(bundled_plan: Plan) -> None:
    got = assignments(bundled_plan, done={7}, groups=GROUPS)
    assert [t.number for t in got["环评科"]] == [1, 9, 31]
    assert [t.number for t in got["泾阳分局"]] == [23]  # 7 is done
    assert [t.number for t in got["乾县分局"]] == [35]  # "长武、乾县、渭城分局" shares one suffix
    assert "秦都分局" not in got  # only a responsible unit


def test_non_responders_keep_order_and_drop_repeats() -> None:
    assert non_responders(["大气办", "环评科", "大气办", "泾阳分局"], ["环评科"]) == ["大气办", "泾阳分局"]


def test_next_due(bundled_plan: Plan) -> None:
    task = bundled_plan.task(2)
    assert task is not None
    assert next_due(task, date(2023, 3, 1)) == date(2023, 3, 31)
    assert next_due(task, date(2023, 4, 1)) == date(2024, 12, 31)
    assert next_due(task, date(2025, 1, 1)) == date(2024, 12, 31)  # overdue: the last one


@pytest.mark.parametrize(("now", "dispatch", "chase", "digest", "monthly"), [
    (datetime(2023, 10, 27, 8, 0, tzinfo=TZ), "2023-10-30 09:00", "2023-11-01 09:00", "2023-10-27 09:00",
     "2023-11-01 09:00"),
    # exactly at a fire time: the next one is a week (a month) later
    (datetime(2023, 10, 30, 9, 0, tzinfo=TZ), "2023-11-06 09:00", "2023-11-01 09:00", "2023-11-03 09:00",
     "2023-11-01 09:00"),
    # 20:00 UTC on New Year's Eve is 04:00 on Monday 1 January in Shanghai: a holiday, so the round moves to
    # Tuesday; the monthly summary is not moved.
    (datetime(2023, 12, 31, 20, 0, tzinfo=UTC), "2024-01-02 09:00", "2024-01-03 09:00", "2024-01-05 09:00",
     "2024-01-01 09:00"),
    # 劳动节 2023 (29 April – 3 May): the round moves to Thursday 4 May, the chase after it, the digest with it.
    (datetime(2023, 4, 30, 10, 0, tzinfo=TZ), "2023-05-04 09:00", "2023-05-05 09:00", "2023-05-05 09:00",
     "2023-05-01 09:00"),
])
def test_next_fire_times(now: datetime, dispatch: str, chase: str, digest: str, monthly: str) -> None:
    got = {k: v.strftime("%Y-%m-%d %H:%M") for k, v in next_fire_times(now, Settings()).items()}
    assert got == {"dispatch": dispatch, "chase": chase, "digest": digest, "monthly": monthly}


def test_next_fire_times_follow_settings() -> None:
    settings = Settings(weekly_day=1, weekly_time=time(8, 30), chase_day=3, digest_day=5, monthly_time=time(10, 0))
    got = next_fire_times(datetime(2023, 10, 30, 9, tzinfo=TZ), settings)
    assert got["dispatch"] == datetime(2023, 10, 31, 8, 30, tzinfo=TZ)
    # A Saturday digest has no working day after it in the week: it moves back to Friday.
    assert got["chase"].weekday() == 3 and got["digest"] == datetime(2023, 11, 3, 8, 30, tzinfo=TZ)
    assert got["monthly"] == datetime(2023, 11, 1, 10, 0, tzinfo=TZ)


NOW = datetime(2023, 11, 15, 10, tzinfo=TZ)


@pytest.mark.parametrize(("kind", "text", "key", "start", "end"), [
    ("weekly", "", "2023-W46", date(2023, 11, 13), date(2023, 11, 19)),
    ("weekly", "2023-W44", "2023-W44", date(2023, 10, 30), date(2023, 11, 5)),
    ("weekly", "2023-10-31", "2023-W44", date(2023, 10, 30), date(2023, 11, 5)),
    ("monthly", "", "2023-11", date(2023, 11, 1), date(2023, 11, 30)),
    ("monthly", "2023-02", "2023-02", date(2023, 2, 1), date(2023, 2, 28)),
    ("monthly", "2023年10月", "2023-10", date(2023, 10, 1), date(2023, 10, 31)),
    ("quarterly", "", "2023-Q4", date(2023, 10, 1), date(2023, 12, 31)),
    ("quarterly", "2023-Q1", "2023-Q1", date(2023, 1, 1), date(2023, 3, 31)),
    ("quarterly", "2023-05-20", "2023-Q2", date(2023, 4, 1), date(2023, 6, 30)),
])
def test_parse_period(kind: str, text: str, key: str, start: date, end: date) -> None:
    period = parse_period(kind, text, NOW, TZ)
    assert (period.key, period.start, period.end) == (key, start, end)


@pytest.mark.parametrize(("kind", "text"), [
    ("weekly", "2023-W60"), ("monthly", "2023-13"), ("quarterly", "2023-Q5"), ("monthly", "下个月"),
    ("weekly", "2023-02-30"),
])
def test_bad_period_names_the_formats(kind: str, text: str) -> None:
    with pytest.raises(UsageError, match="2023-W44"):
        parse_period(kind, text, NOW, TZ)

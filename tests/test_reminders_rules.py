"""Reminder rules (pure): offsets, working days and make-up days, recipients, done tasks, the CLI listing."""

from __future__ import annotations

import json
import logging
from datetime import date, time, timedelta
from pathlib import Path

import pytest

from knowledge.model import Plan
from planbot.cli import main
from reminders import workdays
from reminders.rules import RuleConfig, by_recipient, reminders_between, reminders_on
from tests.support_ledger import make_plan, make_task

CONFIG = RuleConfig()


def _one_task_plan(due: date) -> Plan:
    return make_plan(year=due.year, tasks=(make_task(1, "测试任务", due=due, leaders=("张三",), lead_units=("大气办",),
                                                     units=("秦都分局",)),))


@pytest.mark.parametrize(("due", "expected"), [
    # A plain Tuesday: 7/3/1 days before (3 days before is a Saturday -> Friday), on the day, then overdue
    # on the next working day and every Monday.
    (date(2023, 10, 31), [("2023-10-24", "before"), ("2023-10-27", "before"), ("2023-10-30", "before"),
                          ("2023-10-31", "due"), ("2023-11-01", "overdue"), ("2023-11-06", "overdue")]),
    # Due in the National Day holiday: the day itself and 1 day before collapse onto Thursday 9-28 (kind "due");
    # the first overdue day is Saturday 10-07, an official make-up working day; Monday 10-02 is a holiday.
    (date(2023, 9, 30), [("2023-09-22", "before"), ("2023-09-27", "before"), ("2023-09-28", "due"),
                         ("2023-10-07", "overdue"), ("2023-10-09", "overdue"), ("2023-10-16", "overdue")]),
    # 7 days before is Sunday 4-23, a make-up working day, so it stays on Sunday.
    (date(2023, 4, 30), [("2023-04-23", "before"), ("2023-04-27", "before"), ("2023-04-28", "due"),
                         ("2023-05-04", "overdue"), ("2023-05-08", "overdue"), ("2023-05-15", "overdue")]),
])
def test_schedule_of_one_deadline(due: date, expected: list[tuple[str, str]]) -> None:
    plan = _one_task_plan(due)
    days = reminders_between(plan, due - timedelta(days=30), date.fromisoformat(expected[-1][0]), CONFIG)
    got = [(day.isoformat(), {r.kind for r in items}.pop()) for day, items in days.items()]
    assert got == expected
    for day, items in days.items():
        assert {r.recipient for r in items} == {"张三", "大气办", "秦都分局"}
        assert all(r.send_at.isoformat() == f"{day.isoformat()}T09:00:00+08:00" for r in items)
        assert all(r.days_left == (due - day).days for r in items)


def test_per_day_and_per_deadline_agree_over_2023(bundled_plan: Plan) -> None:
    whole = reminders_between(bundled_plan, date(2023, 1, 1), date(2023, 12, 31), CONFIG)
    day = date(2023, 1, 1)
    while day <= date(2023, 12, 31):
        assert reminders_on(bundled_plan, day, CONFIG) == whole.get(day, []), day
        if not workdays.is_workday(day):
            assert day not in whole
        day += timedelta(days=1)


def test_recipients_follow_the_ledger(bundled_plan: Plan) -> None:
    items = reminders_on(bundled_plan, date(2023, 10, 31), CONFIG)
    due_tasks = [t for t in bundled_plan.tasks if date(2023, 10, 31) in t.due_dates]
    assert {r.task for r in items} == {t.number for t in due_tasks}
    for task in due_tasks:
        names = {r.recipient for r in items if r.task == task.number}
        assert names == {*task.leaders, *task.lead_units, *task.units}
    roles = {(r.task, r.recipient): r.role for r in items}
    for task in due_tasks:
        assert all(roles[(task.number, n)] == "leader" for n in task.leaders)


def test_responsible_units_are_a_separate_rule(bundled_plan: Plan) -> None:
    config = RuleConfig(remind_responsible_units=False)
    items = reminders_on(bundled_plan, date(2023, 10, 31), config)
    assert items and {r.role for r in items} == {"leader", "lead_unit"}
    for r in items:
        task = bundled_plan.task(r.task)
        assert task is not None and r.recipient in (*task.leaders, *task.lead_units)


def test_one_group_per_recipient(bundled_plan: Plan) -> None:
    items = reminders_on(bundled_plan, date(2023, 10, 31), CONFIG)
    groups = by_recipient(items)
    assert len(groups) == len({r.recipient for r in items})
    assert len(groups["刘鲲"]) == len([t for t in bundled_plan.tasks
                                       if "刘鲲" in t.leaders and date(2023, 10, 31) in t.due_dates])


def test_done_tasks_get_no_more_reminders() -> None:
    plan = _one_task_plan(date(2023, 10, 31))
    assert reminders_on(plan, date(2023, 11, 6), CONFIG)
    assert reminders_on(plan, date(2023, 11, 6), CONFIG, done={1}) == []
    assert reminders_between(plan, date(2023, 10, 1), date(2023, 12, 31), CONFIG, done={1}) == {}


def test_configured_offsets_and_time() -> None:
    config = RuleConfig(days_before=(14,), send_time=time(8, 30))
    plan = _one_task_plan(date(2023, 10, 31))
    days = reminders_between(plan, date(2023, 10, 1), date(2023, 10, 31), config)
    assert list(days) == [date(2023, 10, 17), date(2023, 10, 31)]
    assert days[date(2023, 10, 17)][0].send_at.isoformat() == "2023-10-17T08:30:00+08:00"


def test_years_without_a_holiday_table_fall_back_to_weekdays(caplog: pytest.LogCaptureFixture) -> None:
    workdays._warned_years.discard(2099)
    with caplog.at_level(logging.WARNING, logger="reminders.workdays"):
        assert workdays.is_workday(date(2099, 1, 1)) is True  # a Thursday; 元旦 unknown that far ahead
        assert workdays.is_workday(date(2099, 1, 3)) is False  # Saturday
    assert "2099" in caplog.text and "Monday-Friday" in caplog.text
    plan = _one_task_plan(date(2099, 1, 4))  # Sunday
    days = reminders_between(plan, date(2098, 12, 20), date(2099, 1, 4), CONFIG)
    assert days[date(2099, 1, 2)][0].kind == "due"  # Friday before the Sunday


@pytest.mark.parametrize(("day", "count_tasks", "kind"), [("2023-10-24", 9, "before"), ("2023-10-31", 9, "due")])
def test_cli_json_without_directory(day: str, count_tasks: int, kind: str, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                    bundled_plan: Plan) -> None:
    monkeypatch.setenv("PLANBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    assert main(["reminders", "--on", day, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len({r["task"] for r in rows}) == count_tasks
    assert {r["kind"] for r in rows} == {kind}
    for r in rows:
        assert isinstance(r["task"], int)
        assert r["due"] == "2023-10-31"
        assert r["send_at"] == f"{day}T09:00:00+08:00"
        task = bundled_plan.task(r["task"])
        assert task is not None and r["recipient"] in (*task.leaders, *task.lead_units, *task.units)
    pairs = {(r["task"], r["recipient"]) for r in rows}
    assert len(pairs) == len(rows)  # no recipient twice for one task


def test_cli_rejects_a_bad_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PLANBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    assert main(["reminders", "--on", "2023-10-32"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_done_on_cuts_a_replay_at_the_report_day(bundled_plan: Plan) -> None:
    start, end = date(2023, 1, 1), date(2023, 12, 31)
    cut = reminders_between(bundled_plan, start, end, CONFIG, done_on={20: date(2023, 11, 6)})
    full = reminders_between(bundled_plan, start, end, CONFIG)
    assert [d for d, items in cut.items() if any(r.task == 20 for r in items)][-1] == date(2023, 11, 1)
    assert any(r.task == 20 for r in full[date(2023, 11, 6)])
    for day in full:
        assert [r for r in full[day] if r.task != 20] == [r for r in cut.get(day, []) if r.task != 20]

"""The parser on the bundled 2023 plan, compared task by task with a hand-made ledger."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from knowledge.model import Goal, Plan
from knowledge.serialize import plan_from_dict, plan_to_dict
from tests.support_parser import ledger_row


@pytest.mark.parametrize("number", range(1, 38))
def test_task_matches_hand_made_ledger(parser_plan: Plan, expected_ledger: dict[int, dict[str, Any]],
                                       number: int) -> None:
    task = parser_plan.task(number)
    assert task is not None
    expected = {k: v for k, v in expected_ledger[number].items() if k != "number"}
    assert ledger_row(task) == expected


def test_plan_header(parser_plan: Plan) -> None:
    assert parser_plan.title == "2023年空气质量改善进位行动细化措施实施方案"
    assert parser_plan.year == 2023
    assert [t.number for t in parser_plan.tasks] == list(range(1, 38))
    assert parser_plan.chapters == ("一、总体要求", "二、重点任务", "四、保障措施")
    assert [s.name for s in parser_plan.sections] == [
        "（一）深入实施企业污染系统治理", "（二）深入实施燃煤污染治理", "（三）深入实施机动车污染综合治理",
        "（四）深入实施扬尘精细管控", "（五）深入实施面源污染整治", "（六）深入实施臭氧污染防治"]
    assert parser_plan.inherited_blocks == 3
    assert parser_plan.warnings == ()


def test_goals(parser_plan: Plan) -> None:
    assert [(g.name, g.value, g.unit, g.comparator) for g in parser_plan.goals] == [
        ("PM2.5年均浓度", 49.0, "微克/立方米", "<="), ("优良天数", 244.0, "天", ">="),
        ("重点工作任务", 37.0, "项", "="), ("方面", 6.0, "个", "=")]  # the issue: "the 37 tasks, the six areas"
    assert all(isinstance(g, Goal) and g.text for g in parser_plan.goals)


def test_paragraphs_have_stable_keys(parser_plan: Plan) -> None:
    keys = [(p.kind, p.key, p.heading) for p in parser_plan.paragraphs]
    assert keys == [
        ("preamble", "preamble-1", parser_plan.title),
        ("general", "general-1", "一、总体要求"),
        ("safeguard", "safeguard-1", "（一）加强组织领导"),
        ("safeguard", "safeguard-2", "（二）提升监管能力"),
        ("safeguard", "safeguard-3", "（三）强化资金保障"),
        ("safeguard", "safeguard-4", "（四）强化工作调度督查"),
    ]
    preamble = parser_plan.paragraphs[0].text
    assert "bookmark" not in preamble and preamble.startswith("为坚决打好蓝天保卫战")
    assert parser_plan.paragraphs[-1].text.startswith("局督查考核办要对各项任务")


@pytest.mark.parametrize(("number", "title", "section"), [
    (1, "严格项目准入", "（一）深入实施企业污染系统治理"),
    (11, "坚持对排放大户实行“日控月考”", "（一）深入实施企业污染系统治理"),
    (18, "完善生态环境行政执法与刑事司法衔接联席会议制度", "（一）深入实施企业污染系统治理"),
    (20, "推进禁燃区划定", "（二）深入实施燃煤污染治理"),
    (37, "规范喷涂作业", "（六）深入实施臭氧污染防治"),
])
def test_titles_and_sections(parser_plan: Plan, number: int, title: str, section: str) -> None:
    task = parser_plan.task(number)
    assert task is not None
    assert (task.title, task.section, task.chapter) == (title, section, "二、重点任务")
    assert task.text.startswith(title) and "责任领导" not in task.text


def test_responsibility_text_kept(parser_plan: Plan) -> None:
    task4, task5 = parser_plan.task(4), parser_plan.task(5)
    assert task4 is not None and task5 is not None
    assert task4.responsibility_text == task5.responsibility_text
    assert task5.responsibility_text.startswith("责任领导：刘鲲")


@pytest.mark.parametrize(("number", "kind", "text", "start", "end"), [
    (1, "start", "2023年3月起", date(2023, 3, 1), None),
    (5, "start", "2023年10月起", date(2023, 10, 1), None),
    (12, "period", "秋冬季期间", date(2023, 10, 1), date(2024, 3, 31)),
    (29, "period", "5—9月", date(2023, 5, 1), date(2023, 9, 30)),
    (30, "period", "臭氧高发季节", date(2023, 5, 1), date(2023, 9, 30)),
    (16, "recurring", "常态化", None, None),
    (27, "recurring", "每月", None, None),
    (32, "due", "2023年12月底", date(2023, 12, 31), None),
    (4, "due", "4月底前", date(2023, 4, 30), None),
])
def test_time_expressions_of_tasks(parser_plan: Plan, number: int, kind: str, text: str,
                                   start: date | None, end: date | None) -> None:
    task = parser_plan.task(number)
    assert task is not None
    assert (kind, text, start, end) in [(d.kind, d.text, d.date, d.end) for d in task.deadlines]


def test_start_is_not_also_due(parser_plan: Plan) -> None:
    task1 = parser_plan.task(1)
    assert task1 is not None and task1.due_dates == ()


@pytest.mark.parametrize(("number", "value", "unit", "subject", "comparator"), [
    (10, 30.0, "毫克/立方米", "氮氧化物", "<="),
    (27, 5.0, "吨/月·平方公里", "降尘量", "<="),
    (1, 25.0, "公里", "市区及周边", "<="),
    (4, 40.0, "%", "重点行业企业", None),
    (4, 4.0, "家", "秦都区", None),
    (4, 3.0, "家", "渭城区", None),
    (4, 5.0, "家", "咸阳高新区", None),
    (23, 30.0, "%", "新能源替代", None),
    (26, 150.0, "万吨", "大宗货物年运量", ">="),
    (24, 100.0, "万吨", "大宗货物运输量", ">="),
    (25, 10.0, "辆次", "日载货车辆进出", ">="),
    (20, 35.0, "蒸吨", "燃煤锅炉", ">="),
    (33, 30.0, "%", "清洁生产审核任务", ">="),
])
def test_limits_of_tasks(parser_plan: Plan, number: int, value: float, unit: str, subject: str,
                         comparator: str | None) -> None:
    task = parser_plan.task(number)
    assert task is not None
    assert (value, unit, subject, comparator) in [(lim.value, lim.unit, lim.subject, lim.comparator)
                                                   for lim in task.limits]


def test_district_counts_and_range(parser_plan: Plan) -> None:
    task4 = parser_plan.task(4)
    assert task4 is not None
    counts = {lim.subject: lim.value for lim in task4.limits if lim.unit == "家" and lim.value < 20}
    assert counts == {"秦都区": 4, "渭城区": 3, "乾县": 4, "泾阳县": 4, "咸阳高新区": 5, "其他县市区": 1}
    ranged = [lim for lim in task4.limits if lim.upper is not None]
    assert [(lim.value, lim.upper, lim.text.endswith("1—2家")) for lim in ranged] == [(1.0, 2.0, True)]
    assert 20.0 in [lim.value for lim in task4.limits if lim.unit == "家"]


def test_serialize_round_trip(parser_plan: Plan) -> None:
    data = plan_to_dict(parser_plan)
    back = plan_from_dict(data)
    assert back == parser_plan
    assert back.meta == parser_plan.meta
    assert plan_to_dict(back) == data


def test_serialized_plan_survives_json(parser_plan: Plan, synthetic_plan: Plan) -> None:
    for plan in (parser_plan, synthetic_plan):
        text = json.dumps(plan_to_dict(plan), ensure_ascii=False, sort_keys=True)
        assert plan_from_dict(json.loads(text)) == plan

"""Limits, targets and scope thresholds: kinds, ranges, how they are shown and compared (table-driven)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import views
from indexer.formatting import format_limit, format_task
from knowledge.limits import find_limits
from knowledge.model import Task
from knowledge.parser import parse_plan
from knowledge.qa.yesno import compare
from knowledge.serialize import limit_from_dict, limit_to_dict

Row = tuple[float, float | None, str, str, str | None, str]


@pytest.mark.parametrize(("text", "expected"), [
    # Ranges keep both ends, whatever the dash.
    ("其他县市区各争创1—2家。", [(1, 2, "家", "其他县市区", None, "target")]),
    ("其他县市区各争创1-2家。", [(1, 2, "家", "其他县市区", None, "target")]),
    ("其他县市区各争创1至2家。", [(1, 2, "家", "其他县市区", None, "target")]),
    ("颗粒物排放浓度控制在10～20毫克/立方米。", [(10, 20, "毫克/立方米", "颗粒物排放浓度", "<=", "limit")]),
    # Words before the number that make it something to meet.
    ("将氮氧化物控制在30毫克/立方米", [(30, None, "毫克/立方米", "氮氧化物", "<=", "limit")]),
    ("要求各县市区降尘量不高于5吨/月·平方公里。", [(5, None, "吨/月·平方公里", "降尘量", "<=", "limit")]),
    ("新能源车辆比例不低于80%，", [(80, None, "%", "新能源车辆比例", ">=", "target")]),
    ("机械化清扫率达到90%以上，", [(90, None, "%", "机械化清扫率", ">=", "target")]),
    ("完成不少于30%清洁生产审核任务", [(30, None, "%", "清洁生产审核任务", ">=", "target")]),
    # Thresholds that say which enterprises, boilers or areas a rule covers.
    ("市区及周边25公里范围内审批新、扩建涉气重点行业企业", [(25, None, "公里", "市区及周边", "<=", "scope")]),
    ("禁止使用高污染燃料（35蒸吨及以上燃煤锅炉、火力发电企业除外）。",
     [(35, None, "蒸吨", "燃煤锅炉", ">=", "scope")]),
    ("（10蒸吨燃煤锅炉除外）", [(10, None, "蒸吨", "燃煤锅炉", None, "scope")]),
    ("全面淘汰城市建成区35蒸吨/小时以下燃煤锅炉（长期停用的除外）",
     [(35, None, "蒸吨/小时", "燃煤锅炉", "<=", "scope")]),
    ("全市35蒸吨/小时及以下燃煤锅炉全部淘汰", [(35, None, "蒸吨/小时", "燃煤锅炉", "<=", "scope")]),
    ("完成重点加油站（年销售汽油量大于3000吨的）油气回收", [(3000, None, "吨", "年销售汽油量", ">=", "scope")]),
    ("5000平方米及以上建筑工地安装视频监控", [(5000, None, "平方米", "建筑工地", ">=", "scope")]),
    ("大宗货物年运量150万吨以上的物流园区", [(150, None, "万吨", "大宗货物年运量", ">=", "scope")]),
    ("确定日载货车辆进出10辆次及以上的企业名单", [(10, None, "辆次", "日载货车辆进出", ">=", "scope")]),
    # Subjects: "及以下" belongs to the subject; "左右" is not one.
    ("淘汰国三及以下排放标准营运柴油货车500辆", [(500, None, "辆", "国三及以下排放标准营运柴油货车", None, "target")]),
    ("全市煤炭消费量较2024年下降3%左右", [(3, None, "%", "全市煤炭消费量较2024年下降", None, "target")]),
])
def test_limit_kinds_ranges_and_subjects(text: str, expected: list[Row]) -> None:
    assert [(lim.value, lim.upper, lim.unit, lim.subject, lim.comparator, lim.kind)
            for lim in find_limits(text)] == expected


@pytest.mark.parametrize(("text", "shown"), [
    ("其他县市区各争创1—2家。", "其他县市区1—2家"),
    ("颗粒物排放浓度控制在10～20毫克/立方米。", "颗粒物排放浓度≤10—20毫克/立方米"),
    ("将氮氧化物控制在30毫克/立方米", "氮氧化物≤30毫克/立方米"),
])
def test_format_limit_keeps_the_range(text: str, shown: str) -> None:
    (limit,) = find_limits(text)
    assert format_limit(limit) == shown


def _task(text: str) -> Task:
    return Task(1, "示例", text, "", limits=find_limits(text))


def test_views_show_scope_thresholds_apart_from_targets() -> None:
    task = _task("禁止使用高污染燃料（35蒸吨及以上燃煤锅炉除外），其他县市区各争创1—2家。")
    card = format_task(task).splitlines()
    assert "指标：其他县市区1—2家" in card and "适用范围：燃煤锅炉≥35蒸吨" in card
    html = views.task_view(task, "text").splitlines()
    assert "<b>指标</b>：其他县市区1—2家" in html and "<b>适用范围</b>：燃煤锅炉≥35蒸吨" in html


def test_a_task_with_only_a_scope_has_no_target() -> None:
    card = format_task(_task("市区及周边25公里范围内审批新建项目。")).splitlines()
    assert "指标：无" in card and "适用范围：市区及周边≤25公里" in card


@pytest.mark.parametrize(("question", "headline"), [
    ("30蒸吨的燃煤锅炉可以用吗", "30蒸吨不属于方案规定的范围"),
    ("40蒸吨的燃煤锅炉是否除外", "40蒸吨属于方案规定的范围"),
    ("离市区30公里的企业要A级吗", "30公里不属于方案规定的范围"),
    ("离市区20公里的企业要A级吗", "20公里属于方案规定的范围"),
    ("其他县市区争创2家够不够", "是：2家达到了"),
    ("其他县市区争创0家够不够", "否：0家达不到"),
])
def test_yes_no_answers_in_or_out_of_a_scope_and_pass_or_fail_a_target(question: str, headline: str) -> None:
    task = _task("市区及周边25公里范围内审批新建项目。禁止使用高污染燃料（35蒸吨及以上燃煤锅炉除外）。"
                 "其他县市区各争创1—2家。")
    verdict = compare(question, task.limits)
    assert verdict is not None and verdict.headline.startswith(headline)


@pytest.mark.parametrize("text", ["（35蒸吨及以上燃煤锅炉除外）", "将氮氧化物控制在30毫克/立方米", "各争创1—2家"])
def test_kind_and_range_survive_the_ledger(text: str) -> None:
    (limit,) = find_limits(text)
    assert limit_from_dict(limit_to_dict(limit)) == limit


@pytest.mark.parametrize(("comparator", "kind"), [("<=", "limit"), (">=", "target"), (None, "target")])
def test_a_ledger_written_before_kinds_reads_a_ceiling_as_a_limit(comparator: str | None, kind: str) -> None:
    old = {"value": 5.0, "unit": "吨", "subject": "降尘量", "text": "降尘量5吨", "comparator": comparator}
    assert limit_from_dict(old).kind == kind


PLAN = Path(__file__).resolve().parents[1] / "knowledge" / "plans" / "xianyang-2023-air-quality-plan.txt"


def test_bundled_plan_limits_by_kind() -> None:
    """Every number the bundled plan states for its tasks, read by hand against the text."""
    plan = parse_plan(PLAN.read_text(encoding="utf-8"))
    got = {t.number: [(format_limit(lim), lim.kind) for lim in t.limits] for t in plan.tasks if t.limits}
    assert got == {
        1: [("市区及周边≤25公里", "scope")],
        4: [("市区及周边≤25公里", "scope"), ("重点行业企业40%", "target"),
            ("B级及以上应急绩效企业20家", "target"), ("秦都区4家", "target"), ("渭城区3家", "target"),
            ("乾县4家", "target"), ("泾阳县4家", "target"), ("咸阳高新区5家", "target"),
            ("其他县市区1—2家", "target")],
        10: [("氮氧化物≤30毫克/立方米", "limit")],
        20: [("燃煤锅炉≥35蒸吨", "scope")],
        23: [("新能源替代30%", "target")],
        24: [("大宗货物运输量≥100万吨", "scope")],
        25: [("日载货车辆进出≥10辆次", "scope")],
        26: [("大宗货物年运量≥150万吨", "scope")],
        27: [("降尘量≤5吨/月·平方公里", "limit")],
        33: [("清洁生产审核任务≥30%", "target")],
    }


@pytest.mark.parametrize(("question", "headline"), [("PM2.5目标是不是50", "否：50微克超过了"),
                                                    ("PM2.5年均50微克就行吧", "否：50微克超过了")])
def test_a_bare_number_about_a_named_target_is_compared(question: str, headline: str) -> None:
    from knowledge.model import Goal
    from knowledge.qa.yesno import goal_limits

    goals = [Goal("PM2.5年均浓度", 49.0, "微克/立方米", "<=", "PM2.5年均浓度不超过49微克/立方米")]
    verdict = compare(question, goal_limits(goals))
    assert verdict is not None and verdict.headline.startswith(headline)

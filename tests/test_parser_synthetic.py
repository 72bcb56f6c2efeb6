"""The parser on small fictional documents: the tricky shapes, Markdown input, warnings and rejections."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.model import Plan
from knowledge.parser import parse_plan
from planbot.errors import DocumentError
from tests.support_parser import SYNTHETIC_2025, ledger_row

EXPECTED_2025 = {
    1: {"leaders": ["周明远"], "lead_units": ["大气科"], "units": ["东城分局", "西岭分局", "南湖分局"],
        "due_dates": ["2025-06-30", "2025-09-30"], "inherited": False, "notes": []},
    2: {"leaders": ["周明远", "孙丽"], "lead_units": ["监测中心"], "units": ["各分局"],
        "due_dates": [], "inherited": True, "notes": ["不涉及东城、南湖"]},
    3: {"leaders": ["周明远", "孙丽"], "lead_units": ["监测中心"], "units": ["各分局"],
        "due_dates": [], "inherited": False, "notes": ["不涉及东城、南湖"]},
    4: {"leaders": ["孙丽", "吴海峰"], "lead_units": ["北山分局", "云县分局", "河口分局"], "units": [],
        "due_dates": ["2025-11-15"], "inherited": False, "notes": []},
    5: {"leaders": ["吴海峰"], "lead_units": ["机动车中心", "执法支队"], "units": ["各相关分局", "交警支队"],
        "due_dates": ["2025-12-31", "2026-03-31", "2026-06-30"], "inherited": False, "notes": []},
}


def _task_doc(*tasks: str, title: str = "2025年清河市大气污染防治攻坚行动方案") -> str:
    """A minimal plan with the given task lines under one section."""
    return "\n".join([title, "一、总体要求", "坚持精准治污。", "二、重点任务", "（一）工业源治理", *tasks]) + "\n"


@pytest.mark.parametrize("number", sorted(EXPECTED_2025))
def test_synthetic_ledger(synthetic_plan: Plan, number: int) -> None:
    task = synthetic_plan.task(number)
    assert task is not None
    assert ledger_row(task) == EXPECTED_2025[number]


def test_synthetic_header(synthetic_plan: Plan) -> None:
    assert (synthetic_plan.year, synthetic_plan.inherited_blocks, synthetic_plan.warnings) == (2025, 1, ())
    assert synthetic_plan.chapters == ("一、总体要求", "二、重点任务", "四、保障措施")
    assert [s.name for s in synthetic_plan.sections] == ["（一）工业源治理", "（二）移动源治理"]
    assert [(g.name, g.value, g.comparator) for g in synthetic_plan.goals] == [
        ("PM2.5年均浓度", 38.0, "<="), ("优良天数", 280.0, ">="), ("重污染天数", 3.0, "<=")]
    assert [p.key for p in synthetic_plan.paragraphs] == ["preamble-1", "general-1", "safeguard-1", "safeguard-2"]


def test_synthetic_time_and_limits(synthetic_plan: Plan) -> None:
    task2, task3 = synthetic_plan.task(2), synthetic_plan.task(3)
    assert task2 is not None and task3 is not None
    assert [(d.kind, d.text, d.date) for d in task2.deadlines] == [
        ("start", "2025年3月起", date(2025, 3, 1)), ("recurring", "每月", None)]
    assert [(lim.value, lim.unit, lim.subject) for lim in task2.limits] == [(50.0, "毫克/立方米", "氮氧化物")]
    assert [(d.kind, d.date, d.end) for d in task3.deadlines] == [("period", date(2025, 10, 1), date(2026, 3, 31))]


def test_markdown_parses_like_text(synthetic_plan: Plan) -> None:
    lines = []
    for line in SYNTHETIC_2025.splitlines():
        if line.startswith(("20", "一、", "二、", "四、")):
            lines.append("## " + line if not line.startswith("20") else "# " + line)
        elif line.startswith("责任"):
            label, _, value = line.partition("：")
            lines.append(f"- **{label}**：{value}")
        elif line.startswith("牵头"):
            lines.append(f"* {line}")
        elif line[:1].isdigit():
            lines.append(line.replace(".", "\\.", 1))
        else:
            lines.append(line)
        lines.append("")
    markdown = parse_plan("\n".join(lines))
    assert [t.to_dict() for t in markdown.tasks] == [t.to_dict() for t in synthetic_plan.tasks]
    assert markdown.title == synthetic_plan.title


def test_run_together_names_that_cannot_be_split_warn() -> None:
    plan = parse_plan(_task_doc("1.开展巡查。常态化开展巡查。", "责任领导：欧阳建华陈", "牵头单位：大气科"))
    task = plan.task(1)
    assert task is not None and task.leaders == ("欧阳建华陈",)
    assert any("欧阳建华陈" in w and "第 1 项" in w for w in plan.warnings)


def test_task_without_leader_warns() -> None:
    plan = parse_plan(_task_doc("1.开展巡查。常态化开展巡查。", "牵头单位：大气科", "责任单位：各分局"))
    assert plan.task(1) is not None
    assert any("第 1 项" in w and "责任领导" in w for w in plan.warnings)


def test_block_is_not_inherited_across_sections() -> None:
    text = _task_doc("1.开展巡查。常态化开展巡查。", "（二）移动源治理", "2.淘汰车辆。年底前完成。",
                     "责任领导：孙丽", "牵头单位：机动车中心")
    plan = parse_plan(text)
    task1 = plan.task(1)
    assert task1 is not None and task1.leaders == () and not task1.inherited
    assert plan.inherited_blocks == 0
    assert any("第 1 项" in w for w in plan.warnings)


def test_inline_responsibility_block() -> None:
    line = "1.开展巡查。2025年5月底前完成。（责任领导：孙丽；牵头单位：大气科；责任单位：东城、南湖分局）"
    plan = parse_plan(_task_doc(line))
    task = plan.task(1)
    assert task is not None
    assert (task.leaders, task.lead_units, task.units) == (("孙丽",), ("大气科",), ("东城分局", "南湖分局"))
    assert task.text == "开展巡查。2025年5月底前完成。"


def test_multi_line_task_text_and_numbering_styles() -> None:
    plan = parse_plan(_task_doc("1、开展巡查。", "巡查覆盖全部工业园区。", "责任领导：孙丽",
                                "2．淘汰车辆。", "责任领导:吴海峰", "牵头单位:机动车中心"))
    task1, task2 = plan.task(1), plan.task(2)
    assert task1 is not None and task2 is not None
    assert task1.text == "开展巡查。\n巡查覆盖全部工业园区。"
    assert (task2.leaders, task2.lead_units) == (("吴海峰",), ("机动车中心",))


def test_task_text_may_open_with_a_date_but_a_decimal_is_not_a_task() -> None:
    plan = parse_plan(_task_doc("1.2025年5月底前，完成巡查。", "1.5吨以上的锅炉全部改造。", "责任领导：孙丽"))
    task = plan.task(1)
    assert task is not None and task.title == "2025年5月底前，完成巡查"
    assert task.text.endswith("1.5吨以上的锅炉全部改造。")
    assert task.due_dates == (date(2025, 5, 31),)


def test_numbered_lines_in_general_chapter_are_not_tasks() -> None:
    text = "\n".join(["2026年某市行动方案", "一、总体要求", "1.坚持精准治污。", "二、重点任务",
                      "1.开展巡查。", "责任领导：孙丽"])
    plan = parse_plan(text)
    assert [t.title for t in plan.tasks] == ["开展巡查"]
    assert plan.year == 2026


def test_stated_task_count_checks_the_task_list() -> None:
    tasks = ("1.甲。", "责任领导：孙丽", "2.乙。", "责任领导：孙丽")
    stated = "2025年清河市大气污染防治攻坚行动方案\n一、总体要求\n推进3项重点任务，聚焦2个方面。\n二、重点任务\n"
    with pytest.raises(DocumentError, match="写明有 3 项任务"):  # the text stops inside the task list
        parse_plan(stated + "（一）工业源治理\n" + "\n".join(tasks))
    # The document goes on after the tasks: a count that does not match is reported, not fatal.
    plan = parse_plan(stated + "（一）工业源治理\n" + "\n".join(tasks) + "\n三、保障措施\n（一）加强领导。成立小组。")
    assert [t.number for t in plan.tasks] == [1, 2]
    assert [(g.name, g.value) for g in plan.goals if g.comparator == "="] == [("重点任务", 3.0), ("方面", 2.0)]
    assert any("写明有 3 项任务" in w for w in plan.warnings)
    assert any("写明 2 个方面" in w for w in plan.warnings)  # one section read


@pytest.mark.parametrize(("text", "fragments"), [
    ("", ["没有找到编号任务"]),
    ("2025年某市行动方案\n一、总体要求\n坚持精准治污。\n", ["没有找到编号任务"]),
    (_task_doc("1.甲。", "责任领导：孙丽", "2.乙。", "责任领导：孙丽", "4.丁。", "责任领导：孙丽"),
     ["缺少第 3 项"]),
    (_task_doc("1.甲。", "责任领导：孙丽", "2.乙。", "责任领导：孙丽", "2.丙。", "责任领导：孙丽"),
     ["第 2 项重复"]),
    (_task_doc("1.甲。", "责任领导：孙丽", "2.乙。2025年10月底前，完成"),
     ["第 2 项任务处被截断"]),
    (_task_doc("1.甲。", "责任领导：孙丽", title="某市行动方案"), ["无法从标题"]),
    (_task_doc("0.甲。", "责任领导：孙丽"), ["无效编号 0"]),
])
def test_rejections_name_the_problem(text: str, fragments: list[str]) -> None:
    with pytest.raises(DocumentError) as err:
        parse_plan(text)
    message = str(err.value)
    assert "\u4e00" <= message[0] <= "\u9fff", "the Chinese message comes first"
    for fragment in fragments:
        assert fragment in message


def test_chapter_with_responsibility_lines_holds_tasks_whatever_its_title() -> None:
    text = "\n".join(["2026年某市行动方案", "一、工作目标", "PM2.5年均浓度不超过35微克/立方米。",
                      "二、目标任务", "1.开展巡查。", "责任领导：孙丽", "三、保障措施", "（一）加强领导。成立小组。"])
    plan = parse_plan(text)
    assert [(t.number, t.leaders) for t in plan.tasks] == [(1, ("孙丽",))]
    assert [g.name for g in plan.goals] == ["PM2.5年均浓度"]
    assert [p.key for p in plan.paragraphs] == ["general-1", "safeguard-1"]

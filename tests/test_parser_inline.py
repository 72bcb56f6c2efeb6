"""The inline shape: responsibilities in parentheses at the end of items, section-level lines, sub-items."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pytest

from indexer.loader import read_document
from knowledge.inline import read_fields
from knowledge.model import Plan
from knowledge.names import split_names
from knowledge.parser import parse_plan
from knowledge.timeexpr import find_time_exprs

DATA = Path(__file__).parent / "data"
INLINE_PLAN = DATA / "plans" / "inline-2025-plan.txt"
EXPECTED = {row["number"]: row for row in json.loads((DATA / "expected_ledger_inline_2025.json").read_text("utf-8"))}
FIELDS = ("leaders", "lead_units", "units", "due_dates")


def _row(plan: Plan, number: int) -> dict[str, Any]:
    task = plan.task(number)
    assert task is not None
    return {"number": number, "leaders": list(task.leaders), "lead_units": list(task.lead_units),
            "units": list(task.units), "due_dates": [d.isoformat() for d in task.due_dates]}


@pytest.fixture(scope="module", params=["txt", "docx"])
def inline_plan(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Plan:
    """The synthetic inline-shape plan, read from .txt and from a .docx built from it."""
    if request.param == "txt":
        return parse_plan(read_document(INLINE_PLAN))
    document = docx.Document()
    for line in INLINE_PLAN.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    path = tmp_path_factory.mktemp("inline") / "plan.docx"
    document.save(str(path))
    return parse_plan(read_document(path))


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_inline_plan_matches_hand_made_ledger(inline_plan: Plan, number: int) -> None:
    assert _row(inline_plan, number) == EXPECTED[number]


def test_inline_plan_header_and_shape(inline_plan: Plan) -> None:
    assert [t.number for t in inline_plan.tasks] == list(range(1, 31))
    assert (inline_plan.year, inline_plan.meta.get("shape")) == (2025, "inline")
    assert inline_plan.warnings == ()
    exact = sum(_row(inline_plan, n)[f] == EXPECTED[n][f] for n in EXPECTED for f in FIELDS)
    assert exact == 4 * len(EXPECTED)


def test_text_brackets_stay_text_and_responsibilities_leave_it(inline_plan: Plan) -> None:
    task1, task24, task8 = inline_plan.task(1), inline_plan.task(24), inline_plan.task(8)
    assert task1 is not None and task24 is not None and task8 is not None
    assert "（2024年本）" in task1.text
    assert "（LDAR）" in task24.text and "牵头单位" not in task24.text
    assert "本节任务" in task1.responsibility_text
    assert task8.text.count("（1）") == 1 and "配合单位" not in task8.text


def test_safeguard_and_sign_off_dates_belong_to_no_task(inline_plan: Plan) -> None:
    dates = {d for t in inline_plan.tasks for d in t.due_dates}
    assert date(2025, 3, 31) not in dates and date(2025, 2, 18) not in dates
    task30 = inline_plan.task(30)
    assert task30 is not None and "领导小组" not in task30.text


@pytest.mark.parametrize(("content", "leaders", "lead", "units", "due", "unplaced"), [
    ("牵头单位：市生态环境局；配合单位：市公安局、市交通运输局", [], ["市生态环境局"], ["市公安局、市交通运输局"],
     [], []),
    ("牵头单位:市生态环境局;配合单位:市公安局", [], ["市生态环境局"], ["市公安局"], [], []),
    ("责任单位：市生态环境局，各县（市、区）政府，按职责分工负责", [], [], ["市生态环境局", "各县（市、区）政府"],
     [], []),
    ("市生态环境局、市公安局按职责分工负责", [], [], ["市生态环境局、市公安局"], [], []),
    ("责任领导：王立新；牵头单位：市生态环境局", ["王立新"], ["市生态环境局"], [], [], []),
    ("市生态环境局牵头，市公安局、市交通运输局配合", [], ["市生态环境局"], ["市公安局、市交通运输局"], [], []),
    ("由市农业农村局牵头，各县（市、区）政府负责落实", [], ["市农业农村局"], ["各县（市、区）政府"], [], []),
    ("牵头单位：市自然资源局；完成时限：2025年9月底前", [], ["市自然资源局"], [], ["2025-09-30"], []),
    ("责任单位：市城市管理局，2025年10月底前完成", [], [], ["市城市管理局"], ["2025-10-31"], []),
    ("完成时限：2025年12月", [], [], [], ["2025-12-31"], []),
    ("完成时限：长期坚持", [], [], [], [], []),
    ("责任单位：市生态环境局牵头，市公安局配合", [], ["市生态环境局"], ["市公安局"], [], []),
    ("市发展改革委、市生态环境局等按职责分工负责", [], [], ["市发展改革委、市生态环境局"], [], []),
    ("市生态环境局牵头，市公安局", [], ["市生态环境局"], [], [], ["市公安局"]),
])
def test_read_fields(content: str, leaders: list[str], lead: list[str], units: list[str], due: list[str],
                     unplaced: list[str]) -> None:
    fields = read_fields(content, 2025)
    assert fields is not None
    got_due = [d.date.isoformat() for d in fields.deadlines if d.kind == "due" and d.date]
    assert (fields.leaders, fields.lead_units, fields.units, got_due, fields.unplaced) == (
        leaders, lead, units, due, unplaced)


@pytest.mark.parametrize("content", ["2024年本", "LDAR", "含高新区", "不含县城建成区", "市区及周边"])
def test_text_brackets_are_not_fields(content: str) -> None:
    assert read_fields(content, 2025) is None


@pytest.mark.parametrize(("text", "names", "notes"), [
    ("甲、乙区政府", ["甲区政府", "乙区政府"], []),
    ("临江、河西区政府，北塘、南岭县政府", ["临江区政府", "河西区政府", "北塘县政府", "南岭县政府"], []),
    ("临江区、河西区政府", ["临江区政府", "河西区政府"], []),
    ("高新、经开区管委会", ["高新区管委会", "经开区管委会"], []),
    ("各县（市、区）政府（不含高新区）", ["各县（市、区）政府"], ["不含高新区"]),
    ("市生态环境局、各县(市、区)政府", ["市生态环境局", "各县(市、区)政府"], []),
    ("市生态环境局、北塘、南岭县政府", ["市生态环境局", "北塘县政府", "南岭县政府"], []),
    ("某某经济技术开发区、高新区管委会", ["某某经济技术开发区管委会", "高新区管委会"], []),
    ("城东新区、滨江区人民政府", ["城东新区人民政府", "滨江区人民政府"], []),
    ("市生态环境局、某某经济技术开发区管委会", ["市生态环境局", "某某经济技术开发区管委会"], []),
])
def test_shared_suffixes_and_nested_brackets(text: str, names: list[str], notes: list[str]) -> None:
    split = split_names(text)
    assert (list(split.names), list(split.notes)) == (names, notes)


@pytest.mark.parametrize(("text", "expected"), [
    ("2026年3月底前完成建设；6月底前投入运营。", [("due", date(2026, 3, 31), None), ("due", date(2026, 6, 30), None)]),
    ("2026年3月底前完成淘汰。年底前完成更新。", [("due", date(2026, 3, 31), None), ("due", date(2025, 12, 31), None)]),
    ("2026年3月底前完成淘汰，年底前完成更新。", [("due", date(2026, 3, 31), None), ("due", date(2025, 12, 31), None)]),
    ("11月15日至次年3月15日期间错峰生产。", [("period", date(2025, 11, 15), date(2026, 3, 15))]),
])
def test_plan_year_and_next_year_dates(text: str, expected: list[tuple[str, date, date | None]]) -> None:
    assert [(e.kind, e.date, e.end) for e in find_time_exprs(text, 2025) if e.kind != "recurring"] == expected


def _doc(*lines: str) -> str:
    return "\n".join(["2025年某市行动方案", "一、总体要求", "坚持精准治污。", *lines]) + "\n"


def _fields(plan: Plan, number: int) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    task = plan.task(number)
    assert task is not None
    return task.leaders, task.lead_units, task.units


def test_section_line_applies_in_its_scope_only() -> None:
    plan = parse_plan(_doc(
        "二、重点任务", "本节任务牵头单位：甲局；配合单位：乙局。", "（一）工业", "1.甲。", "2.乙。（牵头单位：丙局）",
        "（二）交通", "本节任务责任单位：丁局。", "3.丙。", "三、其他任务", "4.丁。（戊局牵头，己局配合）"))
    assert _fields(plan, 1) == ((), ("甲局",), ("乙局",))
    assert _fields(plan, 2) == ((), ("丙局",), ())
    assert _fields(plan, 3) == ((), (), ("丁局",))
    assert _fields(plan, 4) == ((), ("戊局",), ("己局",))
    assert plan.meta["shape"] == "inline" and plan.warnings == ()


def test_sub_items_give_the_union_and_each_deadline() -> None:
    plan = parse_plan(_doc("二、重点任务", "1.推进治理。",
                           "（1）6月底前完成排查。（牵头单位：甲局；配合单位：乙局）",
                           "（2）9月底前完成整治。（牵头单位：丙局；配合单位：甲局、丁局；完成时限：2025年10月底前）"))
    task = plan.task(1)
    assert task is not None
    assert (task.lead_units, task.units) == (("甲局", "丙局"), ("乙局", "甲局", "丁局"))
    assert task.due_dates == (date(2025, 6, 30), date(2025, 9, 30), date(2025, 10, 31))


def test_sub_items_on_one_line() -> None:
    line = "1.推进治理。（1）开展排查（甲局牵头）；（2）开展整治（乙局牵头，丙局配合）。"
    plan = parse_plan(_doc("二、重点任务", line))
    assert _fields(plan, 1) == ((), ("甲局", "乙局"), ("丙局",))


def test_block_and_inline_in_one_plan_is_mixed() -> None:
    plan = parse_plan(_doc("二、重点任务", "1.甲。", "责任领导：孙丽", "牵头单位：大气科",
                           "2.乙。（牵头单位：机动车中心；配合单位：交警支队）"))
    assert _fields(plan, 1) == (("孙丽",), ("大气科",), ())
    assert _fields(plan, 2) == ((), ("机动车中心",), ("交警支队",))
    assert plan.meta["shape"] == "mixed"


def test_unplaced_fields_and_tasks_without_responsibility_warn() -> None:
    plan = parse_plan(_doc("二、重点任务", "1.甲。（甲局牵头，乙局）", "2.乙。年底前完成。", "3.丙。（丙局牵头）"))
    assert _fields(plan, 1) == ((), ("甲局",), ())
    assert _fields(plan, 2) == ((), (), ())
    assert any("第 1 项" in w and "乙局" in w for w in plan.warnings)
    assert any("第 2 项" in w for w in plan.warnings)
    assert not any("第 3 项" in w for w in plan.warnings)


def test_sign_off_after_the_last_task_belongs_to_no_task() -> None:
    plan = parse_plan(_doc("二、重点任务", "1.甲。（甲局牵头）", "某市生态环境局", "2025年3月1日"))
    task = plan.task(1)
    assert task is not None and task.due_dates == () and task.text == "甲。"


def test_headings_may_carry_the_responsibility_of_their_scope() -> None:
    plan = parse_plan(_doc("二、调整能源结构（牵头单位：甲局；配合单位：乙局）", "1.甲。",
                           "（一）清洁取暖（丙局牵头，丁局配合）", "2.乙。", "3.丙。（戊局负责）"))
    assert plan.chapters[-1] == "二、调整能源结构"
    assert [s.name for s in plan.sections] == ["（一）清洁取暖"]
    assert _fields(plan, 1) == ((), ("甲局",), ("乙局",))
    assert _fields(plan, 2) == ((), ("丙局",), ("丁局",))
    assert _fields(plan, 3) == ((), (), ("戊局",))


@pytest.mark.parametrize(("line", "expected"), [
    ("本部分各项任务牵头单位：甲局；配合单位：乙局", ((), ("甲局",), ("乙局",))),
    ("（本节任务责任领导：王立新；牵头单位：甲局）", (("王立新",), ("甲局",), ())),
    ("以上任务责任分工：甲局牵头，乙局、丙局配合。", ((), ("甲局",), ("乙局", "丙局"))),
    ("本节任务市领导：王立新；责任单位：甲局，按职责分工负责", (("王立新",), (), ("甲局",))),
])
def test_section_line_wordings(line: str, expected: tuple[tuple[str, ...], ...]) -> None:
    plan = parse_plan(_doc("二、重点任务", "（一）工业", line, "1.甲。"))
    assert _fields(plan, 1) == expected


@pytest.mark.parametrize(("content", "due"), [
    ("完成时限：2025年", ["2025-12-31"]),
    ("完成时间：2026年6月", ["2026-06-30"]),
    ("时间节点：2025年6月底前、12月底前", ["2025-06-30", "2025-12-31"]),
    ("时限要求：2025年12月31日", ["2025-12-31"]),
])
def test_deadline_fields(content: str, due: list[str]) -> None:
    fields = read_fields(content, 2025)
    assert fields is not None
    assert [d.date.isoformat() for d in fields.deadlines if d.kind == "due" and d.date] == due


@pytest.mark.parametrize("content", ["鼓励社会资本参与", "引导企业自愿参与，市民共同参与", "由群众监督落实"])
def test_sentences_ending_in_role_words_stay_text(content: str) -> None:
    assert read_fields(content, 2025) is None


# A second inline plan of another city, written with its ledger by hand before the parser was run on it:
# labelled parentheses, "A牵头，B配合", half-width brackets, sub-items, section-level lines, a task with none.
INLINE_2024 = DATA / "plans" / "inline-2024-plan.txt"
EXPECTED_2024 = json.loads((DATA / "expected_ledger_inline_2024.json").read_text("utf-8"))


def _as_sets(row: dict[str, Any]) -> dict[str, Any]:
    return {f: set(row[f]) for f in FIELDS}


def test_second_inline_plan_is_exact() -> None:
    plan = parse_plan(read_document(INLINE_2024))
    assert (plan.year, plan.meta.get("shape"), len(plan.tasks)) == (2024, "inline", len(EXPECTED_2024))
    wrong = [(row["number"], f, sorted(row[f]), sorted(_as_sets(_row(plan, row["number"]))[f]))
             for row in EXPECTED_2024 for f in FIELDS if _as_sets(_row(plan, row["number"]))[f] != set(row[f])]
    assert wrong == []
    assert [w for w in plan.warnings if "第 33 项" not in w] == []  # task 33 names nobody, and is reported


@pytest.mark.parametrize(("content", "lead", "units"), [
    # shared suffixes in an unlabelled list: bare place names are bodies once they take the last name's suffix
    ("市生态环境局牵头，东湖、南塘区政府配合", ["市生态环境局"], ["东湖、南塘区政府"]),
    ("甲局牵头，东湖、南塘区政府，白沙、柳溪县政府配合", ["甲局"], ["东湖、南塘区政府", "白沙、柳溪县政府"]),
    ("高新、经开区管委会牵头，甲局配合", ["高新、经开区管委会"], ["甲局"]),
    # a lead written as a note after one name of a list
    ("责任单位：市生态环境局（牵头）、市财政局", ["市生态环境局"], ["市财政局"]),
    ("责任单位：甲局、乙局(牵头单位)、丙局", ["乙局"], ["甲局、丙局"]),
    ("甲局（牵头）、乙局、丙局", ["甲局"], ["乙局、丙局"]),
])
def test_unlabelled_suffixes_and_lead_marks(content: str, lead: list[str], units: list[str]) -> None:
    fields = read_fields(content, 2025)
    assert fields is not None
    assert (fields.lead_units, fields.units) == (lead, units)


@pytest.mark.parametrize("content", ["鼓励东湖、南塘参与", "东湖、南塘（牵头）", "引导高新、经开区企业参与"])
def test_place_names_alone_are_not_bodies(content: str) -> None:
    assert read_fields(content, 2025) is None


@pytest.mark.parametrize(("line", "expected"), [
    ("本节任务由甲局牵头，乙局、丙局配合。", ((), ("甲局",), ("乙局", "丙局"))),
    ("以上任务均由东湖、南塘区政府负责落实。", ((), (), ("东湖区政府", "南塘区政府"))),
    ("以下任务牵头部门：甲局；配合部门：乙局。", ((), ("甲局",), ("乙局",))),
])
def test_section_line_by_whom(line: str, expected: tuple[tuple[str, ...], ...]) -> None:
    plan = parse_plan(_doc("二、重点任务", "（一）工业", line, "1.甲。", "2.乙。（丁局牵头）"))
    assert _fields(plan, 1) == expected
    assert _fields(plan, 2) == ((), ("丁局",), ())


def test_a_sentence_opening_like_a_section_line_stays_in_its_task() -> None:
    line = "上述项目由市发展改革委组织验收，验收结果向社会公开，接受群众监督，确保整治成效经得起检验。"
    plan = parse_plan(_doc("二、重点任务", "1.推进治理。（甲局牵头）", line))
    task = plan.task(1)
    assert task is not None and "组织验收" in task.text and task.lead_units == ("甲局",)


@pytest.mark.parametrize(("text", "due"), [
    ("年内完成升级改造。", [date(2025, 12, 31)]),
    ("2026年内建成投运。", [date(2026, 12, 31)]),
    ("今年内完成。", [date(2025, 12, 31)]),
    ("三年内完成改造。", []),
    ("力争1年内完成。", []),
])
def test_within_the_year(text: str, due: list[date]) -> None:
    assert [e.date for e in find_time_exprs(text, 2025) if e.kind == "due"] == due


# A third hand-made inline plan (another city, written without reading the parser): a county and a city government
# sharing one suffix ("白沙县、临河市政府"), a year span before a month ("2025—2026年秋冬季…，10月底前"), half-width
# brackets, sub-items, a section line. Read from the .txt and from a .docx built from it.
INLINE_2025D = DATA / "plans" / "inline-2025d-plan.txt"
EXPECTED_2025D = json.loads((DATA / "expected_ledger_inline_2025d.json").read_text("utf-8"))


def _docx_from(text_path: Path, folder: Path) -> Path:
    """A .docx with one paragraph per line of a text plan."""
    document = docx.Document()
    for line in text_path.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    path = folder / (text_path.stem + ".docx")
    document.save(str(path))
    return path


@pytest.mark.parametrize("suffix", ["txt", "docx"])
def test_third_inline_plan_is_exact(suffix: str, tmp_path: Path) -> None:
    source = INLINE_2025D if suffix == "txt" else _docx_from(INLINE_2025D, tmp_path)
    plan = parse_plan(read_document(source))
    assert (plan.year, plan.meta.get("shape"), len(plan.tasks)) == (2025, "inline", len(EXPECTED_2025D))
    wrong = [(row["number"], f, sorted(row[f]), sorted(_as_sets(_row(plan, row["number"]))[f]))
             for row in EXPECTED_2025D for f in FIELDS if _as_sets(_row(plan, row["number"]))[f] != set(row[f])]
    assert wrong == []
    assert plan.warnings == ()


def test_second_inline_plan_from_docx_is_the_same_ledger(tmp_path: Path) -> None:
    from_txt = parse_plan(read_document(INLINE_2024))
    from_docx = parse_plan(read_document(_docx_from(INLINE_2024, tmp_path)))
    assert [_row(from_docx, t.number) for t in from_docx.tasks] == [_row(from_txt, t.number) for t in from_txt.tasks]


@pytest.mark.parametrize(("text", "names"), [
    # a name already ending in a place word keeps it and takes only what follows the shared suffix's place word
    ("白沙县、临河市政府", ["白沙县政府", "临河市政府"]),
    ("白沙县、临河市", ["白沙县", "临河市"]),
    ("青石县、临河市、北塘区政府", ["青石县政府", "临河市政府", "北塘区政府"]),
    ("东湖镇、西山乡政府", ["东湖镇政府", "西山乡政府"]),
    ("临江区、河西区政府", ["临江区政府", "河西区政府"]),
    ("青石、白沙县政府", ["青石县政府", "白沙县政府"]),
])
def test_place_names_of_different_levels_share_a_suffix(text: str, names: list[str]) -> None:
    assert list(split_names(text).names) == names


@pytest.mark.parametrize(("text", "year", "expected"), [
    # a span of years is not the year of the dates after it…
    ("制定实施2025—2026年秋冬季攻坚方案，10月底前印发；", 2025,
     [("period", date(2025, 10, 1), date(2026, 3, 31)), ("due", date(2025, 10, 31), None)]),
    ("落实2021-2025年规划，6月底前完成中期评估。", 2023, [("due", date(2023, 6, 30), None)]),
    ("对照2024年—2025年目标，9月底前完成评估。", 2025, [("due", date(2025, 9, 30), None)]),
    # …while a written year still is
    ("2026年秋冬季期间，12月底前完成。", 2025,
     [("period", date(2026, 10, 1), date(2027, 3, 31)), ("due", date(2026, 12, 31), None)]),
    ("2026年3月底前建成，5月底前投入运行。", 2025,
     [("due", date(2026, 3, 31), None), ("due", date(2026, 5, 31), None)]),
])
def test_year_spans_are_not_a_dates_year(text: str, year: int, expected: list[tuple[str, date, date | None]]) -> None:
    assert [(e.kind, e.date, e.end) for e in find_time_exprs(text, year) if e.kind != "recurring"] == expected


@pytest.mark.parametrize(("text", "names"), [
    ("市公安局、交通运输局", ["市公安局", "市交通运输局"]),
    ("市发展改革委、工业和信息化局、城市管理局、住房和城乡建设局",
     ["市发展改革委", "市工业和信息化局", "市城市管理局", "市住房和城乡建设局"]),
    ("县公安局、交通运输局", ["县公安局", "县交通运输局"]),
    ("市公安局、市场监管局", ["市公安局", "市市场监管局"]),
    # names with a place, a branch, a company or a group of their own keep what they say
    ("市公安局、北塘区政府、交通运输局", ["市公安局", "北塘区政府", "交通运输局"]),
    ("市生态环境局、北塘区生态环境局", ["市生态环境局", "北塘区生态环境局"]),
    ("市生态环境局、北塘分局", ["市生态环境局", "北塘分局"]),
    ("市财政局、国网云湖供电公司", ["市财政局", "国网云湖供电公司"]),
    ("市生态环境局、各县（市、区）政府", ["市生态环境局", "各县（市、区）政府"]),
    ("市公安局交警支队、交通运输局", ["市公安局交警支队", "交通运输局"]),
    ("环评科、监测站", ["环评科", "监测站"]),
])
def test_a_level_written_once_is_shared(text: str, names: list[str]) -> None:
    assert list(split_names(text).names) == names


@pytest.mark.parametrize(("text", "names"), [
    # the plans store a leader as the person's name (the 2023 plan: "责任领导：薛扬、刘鲲")
    ("副市长张三", ["张三"]),
    ("张三副市长", ["张三"]),
    ("市政府副市长张三、副秘书长李四", ["张三", "李四"]),
    ("常务副市长赵六", ["赵六"]),
    ("市生态环境局局长王五", ["王五"]),
    ("薛扬、刘鲲", ["薛扬", "刘鲲"]),
])
def test_leaders_written_with_their_post(text: str, names: list[str]) -> None:
    assert list(split_names(text, person=True).names) == names


def test_bundled_plan_stores_leaders_as_names() -> None:
    rows = json.loads((DATA / "expected_ledger_2023.json").read_text("utf-8"))
    leaders = {name for row in rows for name in row["leaders"]}
    assert leaders and all(2 <= len(name) <= 3 for name in leaders)


@pytest.mark.parametrize(("content", "lead", "units", "unplaced"), [
    ("市生态环境局（牵头），市公安局、市交通运输局", ["市生态环境局"], ["市公安局、市交通运输局"], []),
    ("市生态环境局（牵头）、公安局、交通运输局", ["市生态环境局"], ["市公安局、市交通运输局"], []),
    ("牵头单位：市公安局（牵头）", ["市公安局"], [], []),
    ("责任单位：市生态环境局(牵头)、财政局", ["市生态环境局"], ["市财政局"], []),
    ("甲局（牵头），乙局，按职责分工负责", ["甲局"], ["乙局"], []),
    ("甲局（牵头），鼓励社会资本参与其中的各项工作", ["甲局"], [], ["鼓励社会资本参与其中的各项工作"]),
])
def test_lead_marked_after_a_unit(content: str, lead: list[str], units: list[str], unplaced: list[str]) -> None:
    fields = read_fields(content, 2025)
    assert fields is not None
    assert (fields.lead_units, fields.units, fields.unplaced) == (lead, units, unplaced)


def test_titles_levels_and_lead_marks_in_a_plan() -> None:
    plan = parse_plan(_doc("二、重点任务", "1.甲。（责任领导：副市长张三；牵头单位：市公安局、交通运输局）",
                           "2.乙。（市生态环境局（牵头）、财政局、北塘区政府）",
                           "3.丙。（牵头单位：市城市管理局（牵头）；配合单位：白沙县、临河市政府）"))
    assert _fields(plan, 1) == (("张三",), ("市公安局", "市交通运输局"), ())
    assert _fields(plan, 2) == ((), ("市生态环境局",), ("市财政局", "北塘区政府"))
    assert _fields(plan, 3) == ((), ("市城市管理局",), ("白沙县政府", "临河市政府"))
    assert plan.warnings == ()
    assert all(task.notes == () for task in plan.tasks)

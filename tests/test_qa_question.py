"""Understanding questions: intent, entities from the ledger, periods against `now` in the bureau's zone."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from knowledge.model import Plan, Section
from knowledge.qa.periods import find_period
from knowledge.qa.question import section_aliases, understand, unit_aliases
from knowledge.qa.several import each_asked
from tests.support_ledger import make_plan, make_task


@pytest.mark.parametrize(
    ("question", "intent", "persons", "units", "number"),
    [
        ("燃气锅炉低氮改造什么时候完成？", "when", (), (), None),
        ("无人机走航谁牵头？", "who", (), (), None),
        ("非道路移动机械监管的牵头单位？", "unit", (), (), None),
        ("降尘量不能超过多少？", "howmuch", (), (), None),
        ("赵永刚负责哪些任务？", "list", ("赵永刚",), (), None),
        ("大气办牵头的任务", "list", (), ("大气办",), None),
        ("秦都负责哪些任务", "list", (), ("秦都分局",), None),
        ("执法支队牵头的任务有哪些", "list", (), ("市生态环境保护综合执法支队",), None),
        ("监测站负责什么任务？", "list", (), ("市环境监测站",), None),
        ("12月底前要完成哪些", "list", (), (), None),
        ("下个月到期的任务", "list", (), (), None),
        ("第10项是什么", "task", (), (), 10),
        ("第27项的责任领导", "who", (), (), 27),
        ("任务5的牵头单位", "unit", (), (), 5),
        # An entity inside a specific question does not turn it into a list.
        ("秦都区要争创多少家B级及以上应急绩效企业？", "howmuch", (), ("秦都分局",), None),
        ("怎么处理在线监测弄虚作假", "what", (), (), None),
    ],
)
def test_intent_and_entities(bundled_plan: Plan, question, intent, persons, units, number) -> None:
    q = understand(question, bundled_plan, date(2023, 9, 15))
    assert (q.intent, q.persons, q.units, q.task_number) == (intent, persons, units, number)


@pytest.mark.parametrize(
    ("question", "role"),
    [("大气办牵头的任务", "lead"), ("法规科配合哪些任务", "responsible"), ("执法支队作为责任单位的任务", "responsible"),
     ("兴平分局有哪些任务", "any")],
)
def test_unit_role(bundled_plan: Plan, question, role) -> None:
    assert understand(question, bundled_plan, date(2023, 9, 15)).role == role


def test_aliases_come_from_the_ledger_and_are_unambiguous(bundled_plan: Plan) -> None:
    aliases = unit_aliases(bundled_plan)
    assert aliases["秦都"] == "秦都分局"
    assert aliases["综合执法支队"] == "市生态环境保护综合执法支队"
    assert aliases["检测中心"] == "市机动车排气检测中心"
    assert set(aliases.values()) <= set(bundled_plan.unit_names)


@pytest.mark.parametrize(("question", "intent", "sections"), [
    ("臭氧污染防治有哪些任务？", "list", ("（六）深入实施臭氧污染防治",)),
    ("企业污染系统治理包括哪些任务？", "list", ("（一）深入实施企业污染系统治理",)),
    ("深入实施燃煤污染治理的任务", "list", ("（二）深入实施燃煤污染治理",)),
    ("臭氧污染防治的责任领导是谁？", "who", ("（六）深入实施臭氧污染防治",)),  # a field question stays one
    ("燃气锅炉低氮改造什么时候完成？", "when", ()),
])
def test_a_section_subject_makes_a_list(bundled_plan: Plan, question: str, intent: str,
                                        sections: tuple[str, ...]) -> None:
    q = understand(question, bundled_plan, date(2023, 9, 15))
    assert (q.intent, q.sections) == (intent, sections)
    assert q.rest == question  # retrieval still sees the section's words


def test_section_aliases_drop_only_the_opening_words_every_title_shares() -> None:
    plan = make_plan()
    plan = replace(plan, sections=(Section("二、重点任务", "（一）", "加强工业源治理"),
                                   Section("二、重点任务", "（二）", "加强移动源监管"),
                                   Section("二、重点任务", "（三）", "加强扬尘")))  # "扬尘" alone is too short
    aliases = section_aliases(plan)
    named = {a: n for a, n in aliases.items() if not a.endswith(("部分", "板块", "那块", "这块", "方面"))}
    assert named == {"加强工业源治理": "（一）加强工业源治理", "工业源治理": "（一）加强工业源治理",
                     "加强移动源监管": "（二）加强移动源监管", "移动源监管": "（二）加强移动源监管",
                     "加强扬尘": "（三）加强扬尘"}
    # …and a part of the plan by its subject's head word ("扬尘部分", "移动那块").
    assert aliases["扬尘部分"] == "（三）加强扬尘" and aliases["移动那块"] == "（二）加强移动源监管"


def test_an_alias_shared_by_two_units_names_neither() -> None:
    plan = make_plan(tasks=(make_task(1, "甲", lead_units=("市空气监测中心",)),
                            make_task(2, "乙", lead_units=("县水质监测中心",))))
    aliases = unit_aliases(plan)
    assert aliases["空气监测中心"] == "市空气监测中心"
    assert "监测中心" not in aliases


@pytest.mark.parametrize(
    ("text", "today", "start", "end"),
    [
        ("本月有哪些任务到期", date(2023, 5, 10), date(2023, 5, 1), date(2023, 5, 31)),
        ("下个月到期的任务", date(2023, 9, 15), date(2023, 10, 1), date(2023, 10, 31)),
        ("下个月到期的任务", date(2023, 12, 20), date(2024, 1, 1), date(2024, 1, 31)),  # across the year
        ("上个月", date(2023, 1, 5), date(2022, 12, 1), date(2022, 12, 31)),
        ("下周有哪些任务", date(2023, 9, 15), date(2023, 9, 18), date(2023, 9, 24)),  # Friday → next Mon..Sun
        ("本周", date(2023, 9, 17), date(2023, 9, 11), date(2023, 9, 17)),  # Sunday is in its own week
        ("10月底前要完成哪些", date(2026, 1, 1), date(2023, 10, 1), date(2023, 10, 31)),  # plan year, not now's
        ("2024年4月底前", date(2023, 1, 1), date(2024, 4, 1), date(2024, 4, 30)),
        ("4月15日前", date(2023, 1, 1), date(2023, 4, 1), date(2023, 4, 15)),
        ("十二月份", date(2023, 1, 1), date(2023, 12, 1), date(2023, 12, 31)),
        ("第三季度到期", date(2023, 1, 1), date(2023, 7, 1), date(2023, 9, 30)),
        ("本季度有哪些任务到期", date(2023, 9, 20), date(2023, 7, 1), date(2023, 9, 30)),
        ("下季度有哪些任务到期", date(2023, 9, 20), date(2023, 10, 1), date(2023, 12, 31)),
        ("下个季度", date(2023, 12, 20), date(2024, 1, 1), date(2024, 3, 31)),  # across the year
        ("上季度完成了哪些", date(2023, 1, 5), date(2022, 10, 1), date(2022, 12, 31)),
        ("上半年", date(2023, 1, 1), date(2023, 1, 1), date(2023, 6, 30)),
        ("未来7天", date(2023, 9, 15), date(2023, 9, 15), date(2023, 9, 22)),
        ("今年", date(2024, 2, 1), date(2024, 1, 1), date(2024, 12, 31)),
        # A span of months, however it is joined; a year shares its 年 with 年底; a relative year's December.
        ("5—9月臭氧管控", date(2023, 1, 1), date(2023, 5, 1), date(2023, 9, 30)),
        ("5月到9月", date(2023, 1, 1), date(2023, 5, 1), date(2023, 9, 30)),
        ("五至九月", date(2023, 1, 1), date(2023, 5, 1), date(2023, 9, 30)),
        ("2024年底前创成A级", date(2023, 6, 1), date(2024, 12, 1), date(2024, 12, 31)),
        ("明年底前", date(2023, 6, 1), date(2024, 12, 1), date(2024, 12, 31)),
    ],
)
def test_periods(text, today, start, end) -> None:
    period = find_period(text, today, 2023)
    assert period is not None
    assert (period.start, period.end) == (start, end)


def test_overdue_means_due_before_today() -> None:
    period = find_period("已逾期的任务有哪些", date(2023, 6, 1), 2023)
    assert period is not None and period.overdue
    assert period.contains(date(2023, 5, 31)) and not period.contains(date(2023, 6, 1))


def test_no_period_in_a_plain_question() -> None:
    assert find_period("燃气锅炉低氮改造谁负责", date(2023, 6, 1), 2023) is None


def test_a_relative_data_dir_keeps_the_tokenizer_cache_inside_it(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from knowledge.qa import tokenize

    monkeypatch.chdir(tmp_path)
    tokenize._base_dictionary.cache_clear()
    try:
        tokenize.Tokenizer(["大气办"], cache_file=Path("data") / "jieba.cache").tokens("大气办牵头")
        assert (tmp_path / "data" / "jieba.cache").is_file()
    finally:
        tokenize._base_dictionary.cache_clear()


@pytest.mark.parametrize(
    ("question", "start", "end"),
    [("昨天到期的任务", "2023-06-14", "2023-06-14"), ("上周到期的任务有哪些", "2023-06-05", "2023-06-11")],
)
def test_yesterday_and_last_week_are_read_against_now(question, start, end) -> None:
    period = find_period(question, date(2023, 6, 15), 2023)
    assert period is not None and (period.start.isoformat(), period.end.isoformat()) == (start, end)


@pytest.mark.parametrize(("text", "months", "label"), [
    ("五月底、六月底到期的任务", [5, 6], "2023年5月、6月"),
    ("3月底和9月底截止的任务分别列一下", [3, 9], "2023年3月、9月"),
    ("4月底前要完成的任务", [4], "2023年4月"),
])
def test_months_named_one_by_one_make_one_period_of_those_months(text: str, months: list[int], label: str) -> None:
    period = find_period(text, date(2023, 3, 1), 2023)
    assert period is not None and period.label == label
    inside = [m for m in range(1, 13) if period.contains(date(2023, m, 28))]
    assert inside == months


@pytest.mark.parametrize(("text", "parts"), [
    ("橡胶和铸造分别要对标什么绩效级别", ["橡胶要对标什么绩效级别", "铸造要对标什么绩效级别"]),
    ("商混站跟砖瓦厂分别啥时候完成", ["商混站啥时候完成", "砖瓦厂啥时候完成"]),
    ("3月底和9月底截止的任务分别列一下", None),  # months: one list over both
    ("橡胶和铸造要对标什么级别", None),  # without 分别 the two may be one subject
])
def test_two_subjects_asked_each_make_two_questions(text: str, parts: list[str] | None) -> None:
    assert each_asked(text) == parts

"""Answer composition: the asked fact first, the plan's own words, the citation; lists; refusals; other plans."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from knowledge.model import Plan
from knowledge.qa.engine import QAEngine
from tests.support_qa import DEFAULT_NOW, TZ

# Issue 10 gaps left open: an unknown verb ("下雨") or a compound of plan words ("水污染") no longer
# weighs in the fitted decision. Strict xfail: fixing them turns the mark red, so it gets removed.
OPEN = "issue 10: unknown verbs and compounds of plan words do not yet weigh in the decision"


def gap(*values: object) -> object:
    """A table row for an open gap (strict xfail)."""
    return pytest.param(*values, marks=pytest.mark.xfail(reason=OPEN, strict=True))


def test_deadline_answer_puts_the_matching_deadline_first_then_quotes_and_cites(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("燃气锅炉低氮燃烧改造企业名单什么时候确定？", DEFAULT_NOW)
    first, *rest = answer.text.splitlines()
    assert first.startswith("时限：2023年4月底前") and "确定低氮燃烧改造企业名单" in first
    assert "第10项" in first
    assert any(line.startswith("原文：“") for line in rest)
    assert "责任领导：刘鲲；牵头单位：大气办" in answer.text
    assert answer.tasks == [10] and not answer.refused
    assert answer.sources == [
        {"key": "task:10", "label": "第10项", "title": "推进燃气锅炉低氮燃烧深度治理", "task": 10}]


def test_the_other_deadline_of_the_same_task_is_chosen_by_the_question(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("燃气锅炉低氮改造什么时候完成改造？", DEFAULT_NOW)
    assert answer.text.startswith("时限：2023年10月底前")


def test_who_answer_starts_with_the_leader(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("降尘量监测的责任领导是谁", DEFAULT_NOW)
    assert answer.text.startswith("责任领导：王光明；牵头单位：市环境监测站")
    assert answer.tasks == [27]


def test_limit_answer_states_the_number_first(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("降尘量标准是多少？", DEFAULT_NOW)
    assert answer.text.startswith("要求各县市区降尘量不高于5吨/月·平方公里（第27项")


def test_paragraph_answer_names_where_it_stands(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("督查考核办怎么调度任务进展？", DEFAULT_NOW)
    assert "周调度、月汇总、季考核" in answer.text and "（四）强化工作调度督查" in answer.text
    assert answer.tasks == [] and answer.sources[0]["key"] == "para:safeguard-4"


def test_task_by_number_shows_the_whole_task(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("第23项是什么", DEFAULT_NOW)
    assert answer.text.splitlines()[0] == "第23项 加快实施新能源替代重点项目"
    assert "责任领导：王文东" in answer.text and answer.tasks == [23]


def test_unknown_task_number_says_which_exist(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("第99项是什么", DEFAULT_NOW)
    assert answer.text.startswith("方案中没有第99项任务（共有第1—37项）")
    assert answer.refused and answer.tasks == []  # the plan has no such task: a refusal, with the valid range


@pytest.mark.parametrize("question", ["", "   ", None])
def test_empty_question_gets_usage(qa_engine: QAEngine, question) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)  # type: ignore[arg-type]
    assert answer.text.startswith("请输入要问的问题") and not answer.refused


@pytest.mark.parametrize(
    ("question", "topic"),
    [("明天咸阳会下雨吗？", "下雨"), ("咸阳今年的GDP增速是多少？", "gdp"),
     ("渭河水污染治理有哪些任务？", "水污染"),
     ("工业废水排放标准是多少？", "工业废水"), ("hello", "hello"), ("？？？", None)],
)
def test_refusal_names_the_missing_topic_and_what_can_be_asked(qa_engine: QAEngine, question, topic) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert answer.refused and answer.tasks == []
    first = answer.text.splitlines()[0]
    # With nothing to name, it says so plainly rather than quoting a placeholder ("关于‘这个问题’").
    named = first.startswith("方案中没有关于“") and topic in first if topic else None
    assert named if topic else first.startswith("方案里没有能回答这个问题")
    assert "可以问" in answer.text.splitlines()[1]


def test_a_refusal_names_no_word_the_plan_uses_and_points_to_the_nearest_task(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("燃煤锅炉拆除有补助吗", DEFAULT_NOW)
    first = answer.text.split("。")[0]
    assert answer.refused and "燃煤" not in first and "锅炉" not in first
    assert "第9项“巩固燃煤锅炉拆改成效”" in answer.text


def test_list_by_unit_says_lead_or_responsible(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("兴平分局有哪些任务", DEFAULT_NOW)
    assert answer.tasks[:3] == [1, 2, 3]  # its own and its group's ("各分局") by number
    assert "第2项 加快橡胶行业绩效升级 — 责任单位；" in answer.text  # named itself
    assert "第1项 严格项目准入 — 责任单位（各分局）" in answer.text  # through its group
    named = qa_engine.ask("兴平分局单独点名的任务有哪些", DEFAULT_NOW)
    assert named.tasks == [2, 3, 36, 22]  # by the fields first, then the task whose text names 兴平
    assert "正文还提到“兴平分局”的任务" in named.text
    assert "“各分局”" in named.text  # group names that may include it are pointed out


def test_list_by_period_is_sorted_by_due_date(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("已逾期的任务有哪些", datetime(2023, 6, 1, 9, tzinfo=TZ))
    assert answer.tasks[:2] == [2, 22] and answer.tasks[-2:] == [13, 14]  # March first, May last
    assert answer.text.startswith("截至2023年6月1日已过期限的任务")


def test_filters_combine(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("刘鲲负责的任务中哪些下个月到期", datetime(2023, 9, 15, 9, tzinfo=TZ))
    assert answer.tasks == [3, 4, 6, 10, 20, 22]
    assert answer.text.startswith("刘鲲 作为责任领导、下个月（2023年10月）到期的任务")


def test_relative_period_uses_the_bureau_time_zone(qa_engine: QAEngine) -> None:
    # 2023-04-30 20:00 UTC is already 1 May in Shanghai: "本月" is May.
    answer = qa_engine.ask("本月有哪些任务到期", datetime.fromisoformat("2023-04-30T20:00:00+00:00"))
    assert answer.tasks == [13, 14]


@pytest.mark.parametrize(("question", "first"), [
    ("无人机走航谁牵头？", "牵头单位：大气办；"),
    ("燃气锅炉低氮改造的责任单位有哪些？", "责任单位：各分局、市生态环境保护综合执法支队；"),
    ("燃气锅炉低氮改造的责任领导是谁？", "责任领导：刘鲲；"),
])
def test_who_answer_puts_the_asked_role_first(qa_engine: QAEngine, question: str, first: str) -> None:
    answer = qa_engine.ask(question, datetime(2023, 3, 1, 9, tzinfo=TZ))
    assert answer.text.startswith(first), answer.text


def test_tasks_of_a_section_by_its_subject(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("臭氧污染防治有哪些任务？", datetime(2023, 3, 1, 9, tzinfo=TZ))
    assert answer.tasks == list(range(29, 38)) and not answer.refused
    assert answer.text.startswith("“（六）深入实施臭氧污染防治”中的任务共")


def test_a_topic_named_only_in_a_section_heading_is_not_refused(qa_engine: QAEngine) -> None:
    # "扬尘" occurs only in "（四）深入实施扬尘精细管控"; the framing words "牵头单位" match the safeguards best.
    answer = qa_engine.ask("扬尘污染防治的牵头单位是哪个？", datetime(2023, 3, 1, 9, tzinfo=TZ))
    assert not answer.refused and answer.tasks == [27]
    assert answer.text.startswith("牵头单位：市环境监测站")


def test_of_two_tied_matches_the_one_covering_the_question_wins(qa_engine: QAEngine) -> None:
    # The preamble (its heading says 空气质量) ties lexically with the sentence that holds 排名 as well.
    answer = qa_engine.ask("空气质量排名要达到什么目标？", datetime(2023, 3, 1, 9, tzinfo=TZ))
    first = answer.text.splitlines()[0]
    assert "重点城市排名较2022年前移" in first and "一、总体要求" in first and not answer.refused
    assert "也可能是指" not in answer.text  # the preamble covers too little to be offered as well


def test_relative_quarter_is_a_period_not_an_unknown_topic(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("下季度有哪些任务到期？", datetime(2023, 9, 20, 9, tzinfo=TZ))
    assert not answer.refused
    assert answer.tasks == [3, 4, 6, 7, 10, 20, 22, 23, 35, 8, 15, 24, 25, 32, 33]
    assert answer.text.startswith("下季度（2023年第4季度）到期的任务")


def test_empty_list_says_so_and_suggests(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("下周到期的任务", datetime(2023, 9, 15, 9, tzinfo=TZ))
    assert answer.text.startswith("方案中没有下周（9月18日—9月24日）到期的任务")
    assert answer.tasks == [] and not answer.refused


@pytest.mark.parametrize(
    ("question", "tasks", "must"),
    [
        ("周明远负责哪些任务？", [1, 2, 3], []),
        ("钢铁超低排放烧结机改造什么时候完成？", [1], ["2025年6月底"]),
        ("北山水泥脱硝改造谁负责？", [4], ["孙丽", "吴海峰"]),
        ("监测中心牵头的任务", [2, 3], []),
        ("东城分局有哪些任务", [1], []),
        ("锅炉氮氧化物控制在多少", [2], ["50毫克/立方米"]),
        ("PM2.5年均浓度目标是多少", [], ["38微克/立方米"]),
        ("咸阳的GDP是多少", [], []),
    ],
)
def test_another_plan_with_other_names_works_the_same(synthetic_plan: Plan, question, tasks, must) -> None:
    """Nothing is tied to the bundled document: names, units and years come from whatever plan is loaded."""
    engine = QAEngine(synthetic_plan)
    answer = engine.ask(question, datetime(2025, 3, 1, 9, tzinfo=TZ))
    if question.startswith("咸阳"):
        assert answer.refused
        return
    assert not answer.refused
    assert answer.tasks == tasks
    assert all(m in answer.text for m in must)


def test_empty_question_examples_come_from_the_loaded_plan(synthetic_plan: Plan) -> None:
    answer = QAEngine(synthetic_plan).ask("  ", datetime(2025, 3, 1, 9, tzinfo=TZ))
    assert synthetic_plan.leaders[0] in answer.text and synthetic_plan.tasks[0].title in answer.text
    assert "刘鲲" not in answer.text and "燃气锅炉" not in answer.text  # nothing from the bundled document


def test_an_equally_good_second_match_is_pointed_to_not_hidden(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("绩效升级推进会什么时候开？", DEFAULT_NOW)
    last = answer.text.splitlines()[-1]
    assert last.startswith("也可能是指：") and "第4项" in last and "推进会" in last
    assert answer.tasks == [5, 4]


def test_a_short_task_is_quoted_whole(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("加油站油气回收设施怎么查？", DEFAULT_NOW)
    assert "臭氧高发季节加大检测频次" in answer.text and answer.tasks == [34]


def test_a_period_the_plan_does_not_reach_gets_the_plan_span(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("下个月到期的任务", datetime(2026, 11, 28, 9, tzinfo=TZ))
    assert answer.text.splitlines()[:2] == ["方案中没有下个月（2026年12月）到期的任务。",
                                            "本方案的完成时限从2023年3月底前到2024年12月底前。"]


@pytest.mark.parametrize(("question", "task", "fact"), [
    ("扬尘治理由谁牵头？", 27, "市环境监测站"),  # the subject is only in the task's section title
    ("乾县人科机械的责任领导是谁", 35, "薛扬"),  # a safeguards paragraph matches "责任领导" better
])
def test_a_match_on_framing_words_alone_does_not_hide_the_right_task(qa_engine: QAEngine, question: str, task: int,
                                                                     fact: str) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert not answer.refused and answer.tasks[:1] == [task] and fact in answer.text.splitlines()[0]


@pytest.mark.parametrize(
    ("question", "first", "task"),
    [("降尘6吨达标吗", "否：6吨超过了", 27), ("我们县降尘4.5吨算不算达标", "是：4.5吨没有超过", 27),
     ("秦都区争创3家B级够不够", "否：3家达不到", 4), ("氮氧化物做到25毫克行不行", "是：25毫克没有超过", 10),
     # A threshold naming whom a rule covers: outside it the rule does not hold (否), inside it does (是), and a
     # question asking to be spared turns that round.
     ("年运量120万吨的新建物流园必须接铁路吗", "否：120万吨不属于", 26),
     ("新建矿企年运量200万吨 原则上要接铁路专用线吗", "是：200万吨属于", 26),
     ("一天就进出8辆货车的企业也得装门禁吗", "否：8辆次不属于", 25),
     ("日进出15辆的企业可以不装门禁吧", "否：15辆次属于", 25),
     # A negated breach puts compliance forward ("不超标吧"); an A-not-A ask with 没 is a yes/no question too.
     ("降尘量一个月6吨 这算不超标吧", "否：6吨超过了", 27), ("降尘量每月4吨 没超要求吧", "是：4吨没有超过", 27),
     ("降尘量4吨超没超", "否：4吨没有超过", 27), ("降尘量6吨超不超", "是：6吨超过了", 27),
     # A threshold put forward as the rule's condition ("…以上的企业才装"): is it the plan's one?
     ("门禁是日进出20辆次以上的企业才装？", "否：方案写的是“确定日载货车辆进出10辆次及以上”", 25),
     ("门禁是不是10辆次以上的企业才装", "是：方案写的是", 25),
     # A figure put forward with 是要 is the plan's figure asked about, not an amount that would pass.
     ("冀东水泥矿山运矿车是要50%换成新能源？", "否：方案写的是“完成泾阳冀东水泥矿山区域运矿车辆30%”", 23),
     # Inside a scope whose rule asks for a grade: the grade asked is checked against it.
     ("城区边上20公里新建涉气企业b级能批不", "否：20公里属于方案规定的范围（市区及周边25公里范围内），须达到A级", 1),
     ("市区周边20公里新建涉气企业A级能批吗", "是：20公里属于", 1),
     # Outside the scope, the plan's "其他区域" grade rules.
     ("25公里以外的其他区域 新建涉气企业达到B级可以吗", "是：25公里以外不属于", 1),
     ("30公里外新建涉气企业c级能批吗", "否：30公里外不属于", 1)],
)
def test_yes_no_with_a_number_compares_it_with_the_plans_limit_first(qa_engine: QAEngine, question, first,
                                                                     task) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    head, *rest = answer.text.splitlines()
    assert head.startswith(first) and answer.tasks == [task] and not answer.refused
    assert len(answer.text.splitlines()) <= 4 and rest[0].startswith("原文：“")


@pytest.mark.parametrize(
    ("question", "first"),
    [("商混企业绩效升级从什么时候起开始停产", "起始时间：2023年10月起"),
     ("商混企业绩效升级什么时候完成", "时限：2023年9月底前")],
)
def test_the_asked_sub_fact_start_or_completion_comes_first(qa_engine: QAEngine, question, first) -> None:
    assert qa_engine.ask(question, DEFAULT_NOW).text.startswith(first)


@pytest.mark.parametrize(("question", "expected"), [
    ("提到臭氧的任务都有啥", {29, 30}),  # 提到 → 涉及; the topic between the ask words is kept
    ("VOCs相关的都有哪些", {29, 30, 31}),  # a relation asked without naming tasks
    ("要跟住建局对接的任务有哪些", {5, 14, 21, 29}),  # a department the text names, also written "住建"
    ("和渣土车有关的事项有哪些", {14}),  # 事项 is spoken for the tasks
    ("臭氧这块都要做些啥", {29, 37}),  # the work about a topic, asked as what must be done
    ("臭氧这块", {29, 37}),  # a topic and 这块 alone
    ("师曼莉和王光明各管哪项", {18, 27}),  # "哪项" beside people asks their tasks
])
def test_colloquial_list_asks(qa_engine: QAEngine, question: str, expected: set[int]) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert not answer.refused
    assert expected <= set(answer.tasks)


@pytest.mark.parametrize(("question", "expected"), [
    ("臭氧和挥发性有机物那一块的活儿都给我列一下", set(range(29, 38))),  # two areas, no task holding both words
    ("柴油车和非道路移动机械的任务有哪些", {21, 22}),  # each area's words together, not one sub-word alone
    ("臭氧和VOCs这块一共哪些任务", set(range(29, 38))),  # each area's tasks even where some name both
])
def test_two_areas_joined_in_a_list_ask_list_each_areas_tasks(qa_engine: QAEngine, question: str,
                                                               expected: set[int]) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert not answer.refused
    assert set(answer.tasks) == expected


def test_a_title_after_a_leaders_name_is_the_same_person(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("刘鲲局长管的燃气锅炉低氮改造哪天之前得改完", DEFAULT_NOW)
    assert not answer.refused and answer.tasks[0] == 10
    assert "局长" not in answer.text and "2023年10月底前" in answer.text.splitlines()[0]


def test_a_count_in_a_measure_word_the_plan_never_counts_in_is_refused(qa_engine: QAEngine) -> None:
    # The ranking sentence holds "168个" and "244天", but no number of places (位).
    answer = qa_engine.ask("天天说排名前移，具体要往前挪几位？", DEFAULT_NOW)
    assert answer.refused
    assert "168" not in answer.text


def test_a_whole_year_in_a_yes_no_ask_is_not_a_time_limit_asked(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("活性炭的今年要搞专项整治吗", DEFAULT_NOW)
    assert not answer.refused and answer.tasks[0] == 32
    assert "时限" not in answer.text.splitlines()[0]
    assert "没有写明" not in answer.text


def test_a_spoken_phrase_run_together_by_the_segmenter_is_no_unknown_topic(qa_engine: QAEngine) -> None:
    # "外新上" (外 + 新上) is no dictionary word, but no coinage or name either: its pieces are common.
    answer = qa_engine.ask("离城区50公里外新上涉气企业b级行不", DEFAULT_NOW)
    assert not answer.refused
    assert "外新上" not in answer.text


def test_a_thesaurus_reading_is_shown(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("货品运输车辆更换由谁负责", DEFAULT_NOW)
    assert not answer.refused and "（按“货物”理解“货品”。）" in answer.text


def test_thesaurus_uses_only_synonym_groups() -> None:
    from knowledge.qa.lexicon import thesaurus_groups

    groups = thesaurus_groups()
    assert any("货品" in g and "货物" in g for g in groups)  # Cilin "=": the same thing
    assert not any("水源" in g and "能源" in g for g in groups)  # Cilin "#": only related


@pytest.mark.parametrize(
    ("question", "head"),
    [("降尘4.8吨超标没", "否：4.8吨没有超过"),  # asks "exceeded?": within the limit is 否
     ("降尘6吨超了吗", "是：6吨超过了"),
     ("降尘4.8吨达标吗", "是：4.8吨没有超过"),  # asks "meets?"
     ("降尘6吨行不行", "否：6吨超过了"),
     ("降尘4.8吨够不够", "是：4.8吨没有超过")],
)
def test_yes_no_polarity_follows_the_questions_predicate(qa_engine: QAEngine, question: str, head: str) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert answer.text.startswith(head) and answer.tasks == [27], answer.text


@pytest.mark.parametrize("question", ["明年的PM2.5目标", "2024年优良天数要多少天", "后年的优良天数指标"])
def test_a_target_for_a_year_the_plan_does_not_cover_gives_no_figure(qa_engine: QAEngine, bundled_plan,
                                                                      question: str) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert answer.refused and f"本方案是{bundled_plan.year}年的工作方案" in answer.text
    assert not re.search(r"\d+(?:微克|天)", answer.text)  # no figure of the plan's own year either


def test_a_deadline_in_the_next_year_is_still_answered(qa_engine: QAEngine) -> None:
    """Only targets are per year: a time limit the plan sets in the following year is no other year's plan."""
    assert not qa_engine.ask("2024年到期的任务有哪些", DEFAULT_NOW).text.startswith("本方案是")


@pytest.mark.parametrize("question", ["你好", "谢谢", "您好！", "在吗"])
def test_a_greeting_gets_a_friendly_reply_with_the_usage_hint(qa_engine: QAEngine, bundled_plan,
                                                              question: str) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert answer.text.startswith("您好") and bundled_plan.title in answer.text and "可以问" in answer.text
    assert "方案中没有关于" not in answer.text and answer.tasks == []


def test_two_asks_say_first_what_the_plan_lacks_then_answer_the_answerable_one(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("无人机走航谁牵头 多久一次", DEFAULT_NOW)
    assert answer.refused and answer.tasks == [16]  # not answered as asked, so it reaches /unanswered
    assert answer.text.splitlines()[0] == "方案没有写明频次。" and "牵头单位：大气办" in answer.text
    assert qa_engine.ask("无人机走航多久一次", DEFAULT_NOW).refused  # the single ask is still refused


@pytest.mark.parametrize("question", ["工地扬尘干啥", "在线监测装到哪几个企业", "饭店油烟搞啥"])
def test_a_refusal_or_caveat_never_quotes_a_function_word_or_verb_phrase(qa_engine: QAEngine,
                                                                        question: str) -> None:
    text = qa_engine.ask(question, DEFAULT_NOW).text
    quoted = re.findall(r"“([^”]+)”", "\n".join(line for line in text.splitlines()
                                               if "没有关于" in line or "没有直接提到" in line))
    assert not [q for q in quoted if re.search(r"啥|哪|几|装到|干", q)], text


def test_every_bundled_lexicon_pair_is_well_formed_and_maps_into_the_plan(qa_engine: QAEngine) -> None:
    """Each file's pairs: two fields, the everyday word absent from the plan, the plan term present (a pair whose
    term this plan lacks would be ignored — for the bundled plan that is a defect of the file)."""
    from knowledge.qa.lexicon import LEXICON_DIR, read_lexicon

    corpus = qa_engine.retriever.corpus  # what the lexicon checks its pairs against (lower case)
    for path in sorted(LEXICON_DIR.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            fields = line.split("#", 1)[0].split()
            assert len(fields) in (0, 2), (path.name, line)
        pairs = read_lexicon([path])
        assert pairs, path.name
        if path.name == "air-quality.txt":
            assert [w for w in pairs if w.lower() in corpus] == []
            assert [t for t in pairs.values() if t.lower() not in corpus] == []


@pytest.mark.parametrize(("question", "task"),
                         [("泥头车由谁牵头", 14), ("饭馆油烟谁负责", 28), ("翻砂厂治污设施升级啥时候完成", 3)])
def test_everyday_words_from_the_lexicon_find_the_task(qa_engine: QAEngine, question, task) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert not answer.refused and task in answer.tasks, answer.text


def test_a_descriptions_trailing_de_need_not_be_typed(qa_engine: QAEngine) -> None:
    normal, rewrites = qa_engine.lexicon.normalise("天上飞着查污染那个谁牵头")
    assert "无人机" in normal and any(r.said == "天上飞" for r in rewrites)


@pytest.mark.parametrize(("question", "said", "meant"), [
    ("先把工厂的治污设施挨个摸一遍家底", "摸一遍家底", "摸底排查"),  # 摸家底 with 一遍 inside
    ("拉土的大车归哪个单位管", "拉土的大车", "渣土车"),  # before the shorter 大车 takes its end
    ("饭店炒菜冒的那种烟要装啥", "炒菜冒的那种烟", "餐饮油烟"),  # 炒菜的烟 with 冒 and 那种 inside
    ("饭店炒菜时候冒出来的烟要装啥", "炒菜时候冒出来的烟", None),  # more inside than a slip of the tongue
])
def test_a_lexicon_entry_typed_with_a_few_characters_inside_is_read(qa_engine: QAEngine, question: str, said: str,
                                                                    meant: str | None) -> None:
    normal, rewrites = qa_engine.lexicon.normalise(question)
    assert any(r.said == said and r.meant == meant for r in rewrites) if meant else said in normal


@pytest.mark.parametrize(("question", "kept"), [
    ("物流园要先摸个啥底子", "什么"), ("汽修企业喷漆房废气咋处理", "汽修企业"),
    ("工地上排放不达标的挖机能用吗", "不达标"),
    ("货品运输车辆更换由谁负责", "运输车辆"),  # 运输 is a word of the plan: not 货运车辆 spread out
    ("修车厂喷漆房的废气要改成啥方式处理", "喷漆房"),  # a span never cuts a word of the plan (修车喷漆|房)
    ("煤改气以后锅炉能不能再烧煤", "煤改气"),  # nor holds one through its inside characters (煤[改]气…锅炉)
])
def test_a_spread_out_entry_never_swallows_a_question_word_a_negation_or_a_plan_word(qa_engine: QAEngine, question: str,
                                                                                     kept: str) -> None:
    assert kept in qa_engine.lexicon.normalise(question)[0]


def test_the_headline_sentence_is_not_quoted_again(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("降尘每月不超过几吨", DEFAULT_NOW)
    first, *rest = answer.text.splitlines()
    assert "5吨/月·平方公里" in first and not any("5吨/月·平方公里" in line for line in rest)


def test_a_term_typed_with_one_slip_inside_a_run_is_read(qa_engine: QAEngine) -> None:
    normal, rewrites = qa_engine.lexicon.normalise("日空月考谁牵头")
    assert "日控月考" in normal and any(r.kind == "slip" and r.said == "日空月考" for r in rewrites)


def test_a_slip_the_segmenter_paired_with_the_next_character_is_read(qa_engine: QAEngine) -> None:
    # "将尘量" is cut 将 / 尘量: read as 降尘, the unknown 尘量 becomes the plan's 降尘量.
    normal, _ = qa_engine.lexicon.normalise("各县将尘量不能超过多少")
    assert "降尘量" in normal
    answer = qa_engine.ask("各县将尘量不能超过多少", DEFAULT_NOW)
    assert not answer.refused and answer.tasks == [27]


@pytest.mark.parametrize(("question", "said", "meant"), [
    ("长青石化外浮顶储罐要改成内浮顶 对吧", "长青", "长庆"),  # a word of the dictionary, in the plan's phrase: 长庆石化
    ("汽休厂喷漆房废气治理", "汽休", "汽修"),  # the start of a word no dictionary knows
    ("智会环保指挥中心啥时候用上", "智会", "智慧"),  # of 智慧 and 指挥 (both zhi hui), the one sharing a character
])
def test_a_two_character_slip_is_read_where_the_plan_term_fits(qa_engine: QAEngine, question: str, said: str,
                                                                meant: str) -> None:
    normal, rewrites = qa_engine.lexicon.normalise(question)
    assert meant in normal and any(r.kind == "slip" and (r.said, r.meant) == (said, meant) for r in rewrites)


@pytest.mark.parametrize("question", ["用电监管设施安装名单是3月底前建起来？", "这种新上的还能批吗",
                                      "专家帮扶组是以哪个团队为基础组建的",
                                      "今年年假能休几天",  # two rare readings (能: tai, 大: tai) do not meet
                                      "给机器零件刷漆的厂子 漆该用啥样的",  # 技's rare reading qi is no slip target
                                      "小厂子电表上装监控那个 啥时候要全部装齐",
                                      "禁燃区市区和南边几个县是全域吗",
                                      "水泥厂搞污染治理提升的项目 也在严禁名单里吗"])  # 污染治理 runs on, not 高污染
def test_no_slip_is_read_across_a_date_or_a_common_phrase(qa_engine: QAEngine, question: str) -> None:
    _, rewrites = qa_engine.lexicon.normalise(question)
    assert not [r for r in rewrites if r.kind == "slip"]


def test_a_bureau_called_a_department_is_the_bureau(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("要跟住建部门打交道的任务有哪几个", DEFAULT_NOW)
    assert {5, 14} <= set(answer.tasks)


@pytest.mark.parametrize(("question", "must"),
                         [("渭城要争创几家B级企业", "渭城区：3家"), ("泾阳县B级创几家", "泾阳县：4家")])
def test_a_figure_broken_down_by_place_answers_the_place_asked(qa_engine: QAEngine, question: str, must: str) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert not answer.refused and answer.tasks == [4] and answer.text.startswith(must)


def test_several_counties_in_a_yes_no_question_ask_no_number(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("北边几个县的城镇周边也划成禁燃区了吗", DEFAULT_NOW)
    assert not answer.refused and 20 in answer.tasks


@pytest.mark.parametrize("question", ["大气办只配合不牵头的任务罗列下", "10月底前要完成的都罗列一下",
                                      "大气办牵头的任务（共同牵头也算）列下", "责任领导里没有薛扬的任务有哪些"])
def test_colloquial_list_asks_are_lists(qa_engine: QAEngine, question: str) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert answer.intent == "list" and not answer.refused and len(answer.tasks) >= 2


def test_without_a_leader_lists_the_tasks_others_lead(qa_engine: QAEngine, bundled_plan: Plan) -> None:
    answer = qa_engine.ask("责任领导里没有薛扬的任务有哪些", DEFAULT_NOW)
    led = {t.number for t in bundled_plan.tasks if "薛扬" in t.leaders}
    assert led and not led & set(answer.tasks)
    assert set(qa_engine.ask("有没有薛扬的任务", DEFAULT_NOW).tasks) >= led  # asks whether, excludes no one


def test_a_verb_qualifying_the_topic_of_a_list_selects_with_it(qa_engine: QAEngine, bundled_plan: Plan) -> None:
    answer = qa_engine.ask("铸造行业在哪几条里提到了", DEFAULT_NOW)
    assert answer.tasks and all("铸造" in f"{t.title}{t.text}" for t in bundled_plan.tasks if t.number in answer.tasks)


@pytest.mark.parametrize(("question", "head"), [
    ("人科机械11月中旬改完来得及不", "否：11月中旬晚于方案的时限（2023年10月底前）"),
    ("人科机械9月底改完行不行", "是：9月底在方案的时限（2023年10月底前）之内"),
])
def test_a_yes_no_on_a_month_answers_by_the_time_limit_first(qa_engine: QAEngine, question: str, head: str) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert not answer.refused and answer.tasks == [35] and answer.text.splitlines()[0] == head
    assert "2023年10月底前" in answer.text.splitlines()[1]  # then the usual time-limit answer


def test_a_yes_no_about_a_grade_the_plan_never_names_says_so_before_its_own(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("国五柴油车要不要淘汰", DEFAULT_NOW)
    # 否 first: the task names another grade of the kind (国三及以下), then what it requires.
    assert answer.text.startswith("否：方案没有提到“国五”") and "国三及以下" in answer.text and 22 in answer.tasks


@pytest.mark.parametrize(("question", "tasks"), [
    ("执法队牵头的有哪些，除了跟大气办一起牵头的", {9, 11, 14, 15, 17, 18, 19, 28, 30, 34}),
    ("执法支队和大气办一起牵头的任务", {6, 32}),
])
def test_two_units_in_one_list_share_or_exclude(qa_engine: QAEngine, question: str, tasks: set[int]) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert answer.intent == "list" and set(answer.tasks) == tasks


def test_a_question_word_before_a_unit_type_is_no_slip_for_a_group_name(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("绿岛中心是哪个分局建", DEFAULT_NOW)
    assert "各分局" not in answer.text.splitlines()[-1] and "秦都分局" in answer.text


def test_two_leaders_list_the_tasks_of_either_or_of_both(qa_engine: QAEngine, bundled_plan: Plan) -> None:
    either = {t.number for t in bundled_plan.tasks if {"薛扬", "王文东"} & set(t.leaders)}
    both = {t.number for t in bundled_plan.tasks if {"薛扬", "马芳林"} <= set(t.leaders)}
    assert set(qa_engine.ask("薛扬和王文东负责的任务", DEFAULT_NOW).tasks) == either
    assert both and set(qa_engine.ask("薛扬和马芳林一起负责的任务", DEFAULT_NOW).tasks) == both


@pytest.mark.parametrize(("question", "expected"), [
    ("执法支队牵头的活 给我捋一下", {6, 9, 11, 14, 15, 17, 18, 19, 28, 30, 32, 34}),
    ("法规科参与的任务 牵头配合都算", {18, 19}),
    ("臭氧部分除了大气办牵头的还有哪些", {30, 31, 33, 34, 35}),
    ("12月底到期的 不含执法支队牵头的", {8, 24, 25, 33}),
    ("刘鲲不是责任领导的任务都有啥", {1, 7, 13, 18, 23, 27, 31, 33, 35}),
])
def test_lists_asked_with_spoken_filters(qa_engine: QAEngine, question: str, expected: set[int]) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert answer.intent == "list" and set(answer.tasks) == expected


@pytest.mark.parametrize(("question", "fact"), [("低效治理设施的企业要有多少装在线监测", "全部安装在线监测设施"),
                                                ("新增的厂内运输车新能源要占多少", "新增车辆全部为新能源车")])
def test_the_whole_is_an_amount(qa_engine: QAEngine, question: str, fact: str) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert not answer.refused and answer.text.startswith(fact)


def test_a_month_in_chinese_numerals_is_a_date_not_a_topic(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("十月底前重点行业企业B级以上比例要达到多少", DEFAULT_NOW)
    assert not answer.refused and "40%" in answer.text and 4 in answer.tasks


@pytest.mark.parametrize(("question", "head"), [
    ("禁燃区是9月底前划定吗", "否：方案的时限是2023年10月底前，不是9月底"),
    ("禁燃区是10月底前划定吗", "是：方案的时限是2023年10月底前"),
])
def test_a_yes_no_on_what_the_time_limit_is_compares_with_it(qa_engine: QAEngine, question: str, head: str) -> None:
    assert qa_engine.ask(question, DEFAULT_NOW).text.splitlines()[0] == head


def test_a_leaders_list_without_a_units_lead_tasks(qa_engine: QAEngine, bundled_plan: Plan) -> None:
    answer = qa_engine.ask("刘鲲负责的任务除了执法支队牵头的还有哪些", DEFAULT_NOW)
    unit = "市生态环境保护综合执法支队"
    expected = {t.number for t in bundled_plan.tasks if "刘鲲" in t.leaders and unit not in t.lead_units}
    assert set(answer.tasks) == expected


def test_two_units_list_either_and_say_which(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("环评科和规财科牵头的任务", DEFAULT_NOW)
    assert set(answer.tasks) == {1, 9, 31, 33} and "规财科牵头" in answer.text and "环评科牵头" in answer.text


def test_a_task_two_of_the_units_asked_lead_together_names_both(qa_engine: QAEngine, bundled_plan: Plan) -> None:
    joint = [t for t in bundled_plan.tasks if {"大气办", "市生态环境保护综合执法支队"} <= set(t.lead_units)]
    assert joint
    answer = qa_engine.ask("大气办和执法支队牵头的活儿都列一下", DEFAULT_NOW)
    line = next(x for x in answer.text.splitlines() if x.startswith(f"第{joint[0].number}项"))
    assert "大气办、市生态环境保护综合执法支队牵头" in line
    both = qa_engine.ask("大气办和执法支队都有份的任务", DEFAULT_NOW)
    shared = {t.number for t in bundled_plan.tasks
              if all(u in (*t.lead_units, *t.units) for u in ("大气办", "市生态环境保护综合执法支队"))}
    assert set(both.tasks) == shared  # every unit named takes part, the first one too


@pytest.mark.parametrize("question", ["执法支队自己单独牵头的活 跟别的单位一块牵头的不算", "执法支队单独牵头的任务",
                                      "执法支队单独牵头的", "支队自己单独牵头的（不算跟别的科室联合牵头的）都有哪些"])
def test_a_unit_leading_alone_leaves_out_the_tasks_it_leads_with_others(qa_engine: QAEngine, bundled_plan: Plan,
                                                                        question: str) -> None:
    unit = "市生态环境保护综合执法支队"
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert set(answer.tasks) == {t.number for t in bundled_plan.tasks if list(t.lead_units) == [unit]}
    assert "单独牵头" in answer.text.splitlines()[0]


def test_who_in_general_is_answered_and_a_person_inside_a_unit_is_not(qa_engine: QAEngine) -> None:
    assert not qa_engine.ask("门禁具体谁负责", DEFAULT_NOW).refused
    assert qa_engine.ask("大气办具体哪个人负责无人机走航", DEFAULT_NOW).refused


def test_taking_part_but_not_leading_lists_the_units_responsible_tasks(qa_engine: QAEngine, bundled_plan: Plan) -> None:
    answer = qa_engine.ask("各分局参加但不是牵头的任务有哪些", DEFAULT_NOW)
    assert set(answer.tasks) == {t.number for t in bundled_plan.tasks if "各分局" in t.units}


@pytest.mark.parametrize(("question", "first"), [
    ("降尘多久测一次", "每月开展监测"),  # the sentence stating the frequency, not the task's limit
    ("臭氧管控是几月到几月", "时段：5—9月"),  # a span of months asked: the period, not the 4月底前 deadline
    ("优良天数要多少天", "优良天数不少于244天"),  # the clause of the long general sentence holding the figure
    ("门禁那个任务谁牵头", "牵头单位：市机动车排气检测中心"),  # "那个任务" frames the ask
    ("铸造厂要达到啥级别 啥时候", "时限：2023年10月底前"),  # "达到" frames "啥级别": 铸造's own task
])
def test_the_asked_fact_comes_first(qa_engine: QAEngine, question: str, first: str) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert not answer.refused and answer.text.startswith(first), answer.text


def test_a_unit_is_pointed_to_the_groups_of_its_own_kind_only(qa_engine: QAEngine) -> None:
    assert "各分局" not in qa_engine.ask("环评科参与的任务", DEFAULT_NOW).text
    assert "各分局" in qa_engine.ask("兴平分局参与的任务", DEFAULT_NOW).text


def test_a_branchs_list_takes_in_its_groups_tasks_unless_named_ones_are_asked(qa_engine: QAEngine,
                                                                              bundled_plan: Plan) -> None:
    answer = qa_engine.ask("武功分局的任务有哪些", DEFAULT_NOW)
    assert {t.number for t in bundled_plan.tasks if "各分局" in t.units} <= set(answer.tasks)
    assert "责任单位（各分局）" in answer.text
    named = qa_engine.ask("高新分局被单独点名当责任单位的任务（不算各分局那种）", DEFAULT_NOW)
    assert set(named.tasks) == {t.number for t in bundled_plan.tasks if "高新分局" in t.units}
    # 第20项 leaves 高新 out ("各分局（不涉及高新、经开）"): not taken in.
    assert 20 not in qa_engine.ask("高新分局的任务有哪些", DEFAULT_NOW).tasks


@pytest.mark.parametrize("question", ["武功分局这个月要交啥", "武功分局今年都要干啥，啥时候完"])
def test_what_a_unit_has_to_do_in_a_period_is_a_list(qa_engine: QAEngine, question: str) -> None:
    answer = qa_engine.ask(question, datetime(2023, 4, 10, 9, tzinfo=TZ))
    assert not answer.refused and len(answer.tasks) >= 5 and "武功分局 参与" in answer.text


def test_two_leaders_together_is_a_list_without_list_words(qa_engine: QAEngine, bundled_plan: Plan) -> None:
    answer = qa_engine.ask("刘鲲和薛扬一起负责的", DEFAULT_NOW)
    assert set(answer.tasks) == {t.number for t in bundled_plan.tasks if {"刘鲲", "薛扬"} <= set(t.leaders)}


@pytest.mark.parametrize("question", ["禁燃区不包括哪些分局", "不涉及禁燃区的是哪几个分局",
                                      "禁燃区划定哪几个分局不用管"])
def test_the_units_a_task_leaves_out_come_first(qa_engine: QAEngine, question: str) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert answer.tasks == [20] and answer.text.startswith("不涉及高新、经开")


def test_a_verdict_the_tasks_rule_settles_carries_no_nearest_content_caveat(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("我们铸造厂应急绩效C级能过关吗", DEFAULT_NOW)
    assert answer.text.startswith("否") and "最接近" not in answer.text


def test_an_elided_coordination_is_read_whole(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("新建水泥项目还能批吗", DEFAULT_NOW)  # 第1项 "严禁新、改、扩建…水泥…项目"
    assert answer.tasks[:1] == [1] and answer.text.startswith("否")


def test_a_list_ask_followed_by_its_occasion_is_a_list(qa_engine: QAEngine, bundled_plan: Plan) -> None:
    answer = qa_engine.ask("大气办牵头的事一共有哪些，领导让我汇总", DEFAULT_NOW)
    assert set(answer.tasks) == {t.number for t in bundled_plan.tasks if "大气办" in t.lead_units}
    topic_first = qa_engine.ask("铸造厂改造，除了大气办以外责任单位都有谁", DEFAULT_NOW)
    assert topic_first.tasks[:1] == [3]  # the first clause names the topic: one task's units, not a list


def test_a_count_of_a_sections_tasks_lists_them(qa_engine: QAEngine, bundled_plan: Plan) -> None:
    answer = qa_engine.ask("机动车这块一共几项任务 都是啥", DEFAULT_NOW)
    section = {t.number for t in bundled_plan.tasks if t.section and "机动车" in t.section}
    assert len(section) >= 2 and set(answer.tasks) == section


def test_two_leaders_each_get_their_name_on_their_tasks(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("赵永刚和王文东各负责啥", DEFAULT_NOW)
    line = next(x for x in answer.text.splitlines() if x.startswith("第13项"))
    assert "责任领导：赵永刚" in line and "王文东" not in line


@pytest.mark.parametrize(("question", "level"), [("商混站要评到啥级别", "引领性"), ("橡胶企业要达到什么水平", "A级")])
def test_a_level_asked_is_answered_by_a_level(qa_engine: QAEngine, question: str, level: str) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert not answer.refused and level in answer.text.splitlines()[0]


@pytest.mark.parametrize(("question", "head"), [
    # The scope is the ban's exception, so the verdict says whether the boiler may be used.
    ("35蒸吨以下的燃煤锅炉在禁燃区能用吗", "否：35蒸吨以下不属于方案列出的除外情形（35蒸吨及以上…除外）"),
    ("40蒸吨的燃煤锅炉在禁燃区能用吗", "是：40蒸吨属于方案列出的除外情形"),
])
def test_a_range_asked_is_compared_as_a_range(qa_engine: QAEngine, question: str, head: str) -> None:
    assert qa_engine.ask(question, DEFAULT_NOW).text.startswith(head)


@pytest.mark.parametrize(("question", "head"), [
    ("秦都区PM2.5考核目标多少", "方案没有单独写明秦都区的这个数字"),  # the 49 is the whole city's
    ("兴平优良天数要多少天", "方案没有单独写明兴平的这个数字"),
])
def test_a_district_figure_the_plan_gives_only_for_the_whole_city_is_refused(qa_engine: QAEngine, question: str,
                                                                            head: str) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert answer.refused and answer.text.startswith(head)


@pytest.mark.parametrize(("question", "figure"), [
    ("秦都区降尘量上限多少", "5吨/月·平方公里"),  # 各县市区: every district
    ("渭城区B级企业指标卡几家", "渭城区：3家"),  # broken down by district
])
def test_a_district_figure_the_plan_gives_is_answered(qa_engine: QAEngine, question: str, figure: str) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert not answer.refused and figure in answer.text.splitlines()[0]


def test_a_general_requirement_without_a_date_says_so_and_where(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("执法大比武具体哪天举办", DEFAULT_NOW)
    assert answer.refused and answer.text.startswith("方案没有写明具体时间") and "提升监管能力" in answer.text
    dated = qa_engine.ask("月工作进展啥时候报送", DEFAULT_NOW)  # the paragraph's dated sentence, not its first
    assert not dated.refused and dated.text.startswith("局大气办负责每月1日")


@pytest.mark.parametrize(("question", "figure"), [
    ("今年优良天数要达到多少天", "244天"),  # "达到多少" frames the ask; it is not a subject the figure must name
    ("全市PM2.5要降到多少", "49微克/立方米"),
])
def test_the_plans_headline_targets_are_answered_however_the_amount_is_asked(qa_engine: QAEngine, question: str,
                                                                            figure: str) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert not answer.refused and figure in answer.text.splitlines()[0]


def test_a_field_named_throughout_the_plan_is_no_particular_name(qa_engine: QAEngine) -> None:
    """"VOCs" stands in many tasks: the 清洁生产审核 figure (task 33, written without it) still answers."""
    answer = qa_engine.ask("VOCs清洁生产审核比例多少", DEFAULT_NOW)
    assert not answer.refused and "30%" in answer.text.splitlines()[0]


def test_a_figure_of_another_task_is_not_given_for_a_named_project(qa_engine: QAEngine) -> None:
    """冀东水泥's SCR line has no figure in the plan; the 30毫克 is the gas boilers' (task 10)."""
    answer = qa_engine.ask("冀东水泥SCR改完，氮氧化物要降到多少毫克", DEFAULT_NOW)
    assert answer.refused and "30" not in answer.text


def test_a_phone_call_that_brought_the_question_is_no_ask_for_a_number(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("有个企业老板打电话问新建燃煤锅炉现在还能审批不，我咋回", DEFAULT_NOW)
    assert not answer.refused and "禁止审批新建燃煤锅炉" in answer.text


def test_a_borrowed_responsibility_block_is_said_to_be_borrowed(qa_engine: QAEngine, bundled_plan: Plan) -> None:
    """Tasks 4, 24 and 25 print no block of their own: the answer says it comes from a later task."""
    borrowed = [t.number for t in bundled_plan.tasks if t.inherited]
    assert borrowed
    answer = qa_engine.ask(f"第{borrowed[0]}项谁牵头", DEFAULT_NOW)
    assert "本项未单列责任分工" in answer.text.splitlines()[0]
    own = next(t.number for t in bundled_plan.tasks if not t.inherited)
    assert "本项未单列责任分工" not in qa_engine.ask(f"第{own}项谁牵头", DEFAULT_NOW).text


def test_the_rest_beyond_a_share_the_plan_sets_is_refused_with_the_task(qa_engine: QAEngine) -> None:
    rest = qa_engine.ask("冀东水泥矿山剩下的运矿车什么时候换成新能源", DEFAULT_NOW)
    assert rest.refused and rest.tasks == [23]
    assert "其余部分" in rest.text and "10月底" not in rest.text
    share = qa_engine.ask("冀东水泥矿山运矿车新能源替代要完成多少", DEFAULT_NOW)
    assert not share.refused and "30%" in share.text


@pytest.mark.parametrize("question", ["其他水泥厂运矿车新能源替代要多少", "别的水泥企业矿车换新能源比例"])
def test_others_of_a_kind_the_task_names_only_some_of_are_refused_with_the_task(qa_engine: QAEngine,
                                                                                question: str) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert answer.refused and answer.tasks == [23] and "30%" not in answer.text


def test_the_plans_own_others_are_answered(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("除了那五个区县，别的县市区各要争创几家B级", DEFAULT_NOW)  # "其他县市区各争创1—2家"
    assert not answer.refused and answer.tasks == [4]


def test_a_lexicon_term_joins_what_the_question_typed_around_it(qa_engine: QAEngine) -> None:
    text, _ = qa_engine.lexicon.normalise("SCR脱硝改造啥时候完")
    assert "SCR脱硝升级改造" in text and "SCRSCR" not in text.upper()


def test_a_part_of_the_plan_year_is_a_period_not_an_unknown_topic(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("象胶企业是不是要求今年年底前就创成A级？", DEFAULT_NOW)
    assert not answer.refused and answer.tasks == [2]
    assert answer.text.startswith("否") and "2024年12月底前" in answer.text.splitlines()[0]


def test_changing_the_time_of_work_asks_no_time_limit(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("夏天臭氧高，马路上画线铺沥青是不是得换个时间干", DEFAULT_NOW)
    assert not answer.refused and answer.tasks == [29] and "错时作业" in answer.text


@pytest.mark.parametrize(("question", "first"), [
    ("35蒸吨以上的燃煤锅炉是不是在禁燃区禁用范围之外？", "是"),  # outside the ban: its exception
    ("工业涂装清洁生产审核年底前要全部完成吗", "否"),  # 30% is due then, not all
    ("市区工业企业新增的场内运输车必须都是新能源吗", "是"),  # 新增车辆全部 beside 现有…逐步
    # A grade against the task's floor (B级及以上), set in a clause other than the title's.
    ("铸造厂升级一定要达到A级吗", "否"), ("铸造企业升级达到A级行不行", "是"), ("铸造企业升级到C级行不行", "否"),
])
def test_yes_no_reads_outside_all_and_a_share_against_the_right_clause(qa_engine: QAEngine, question: str,
                                                                       first: str) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert not answer.refused and answer.text.startswith(first)



@pytest.mark.parametrize(("question", "without"), [
    ("喷漆厂老板问夏天臭氧高那几个月", "喷漆厂"),  # the firm before the asker stays
    ("有个企业老板打电话问新建燃煤锅炉现在还能审批不", "有个企业新建燃煤锅炉"),
    ("老板说他们脱硫就是简单加碱那种", "他们脱硫"),
    ("县上问降尘量市里卡的标准是每月多少", "降尘量"),
    ("领导让我汇报搅拌站那块", "搅拌站"),  # the errand the asker was sent on
])
def test_who_asked_is_not_the_questions_subject(qa_engine: QAEngine, question: str, without: str) -> None:
    normal, _ = qa_engine.lexicon.normalise(question)
    assert "老板" not in normal and "负责人" not in normal and "问" not in normal and "汇报" not in normal
    assert normal.startswith(without) or qa_engine.lexicon.normalise(without)[0] in normal


def test_a_question_about_whom_to_ask_keeps_its_verb(qa_engine: QAEngine) -> None:
    assert "问谁" in qa_engine.lexicon.normalise("这个问题问谁")[0]

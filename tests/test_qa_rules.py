"""Yes/no questions on a rule or on who takes part: 是/否 first only when the plan's words settle it."""

from __future__ import annotations

from datetime import datetime

import pytest

from knowledge.model import Plan
from knowledge.qa.engine import QAEngine
from knowledge.qa.rules import clauses, frequency, months, rule_verdict
from knowledge.qa.yesno import asks_yes_no
from tests.support_qa import DEFAULT_NOW, TZ

# A made-up plan's sentences: the rules read any plan's wording, not the bundled one's.
BAN = "新建项目不再采用光氧化、光催化等处理方式，严禁新建砖瓦窑（污染治理提升类项目除外）。"
HIRE = "聘请第二方机构，对监测设备开展核查。"
BOTH = "聘请第二方机构，对监测设备开展核查，对弄虚作假的第三方机构追究责任。"
MONTHLY = "每月开展降尘监测并通报数据。"
SEASON = "秋冬季期间，对难以停产的企业实施轮流停产。"
SPAN = "5—9月，精准落实臭氧管控措施。"
SHARE = "2024年底前，完成北山矿区运输车辆40%新能源替代。"
CLASSES = "在城区三、四类洗车企业中推行废水循环利用。"
MIXED = "现有车辆逐步更换为新能源车，新增车辆全部为新能源车。"
PLAIN = "督促企业安装门禁系统并与监管平台联网。"


@pytest.mark.parametrize(("question", "terms", "text", "verdict"), [
    # A prohibition answers whether something may be done, and whether it is forbidden.
    ("新项目还能用光催化处理吗", ["项目", "光催化", "处理"], BAN, False),
    ("新项目是不是不让用光催化", ["项目", "光催化"], BAN, True),
    # Its exception flips it for what only the exception names.
    ("污染治理提升类的砖瓦窑也不让建吗", ["污染治理", "提升", "砖瓦窑"], BAN, False),
    ("砖瓦窑项目还能建吗", ["砖瓦窑", "项目"], BAN, False),
    # A grade, frequency, season or month other than the plan's.
    ("核查是请第一方机构来做吗", ["核查", "第一方机构"], HIRE, False),
    # Both named: the one whose clause shares the question's other words ("聘请") plays the part asked about.
    ("监测设备核查是请第三方机构来做吗", ["监测设备", "核查", "第三方机构"], BOTH, False),
    ("降尘数据是按季度通报吗", ["降尘", "数据", "通报"], MONTHLY, False),
    ("轮流停产是夏天搞的吗", ["轮流", "停产"], SEASON, False),
    ("轮流停产冬天也要搞吗", ["轮流", "停产"], SEASON, True),
    ("臭氧管控是不是就七八月份", ["臭氧", "管控"], SPAN, False),
    # "All" asked where the plan sets a share.
    ("北山矿区运输车辆是不是都要换新能源", ["北山", "矿区", "运输车辆", "新能源"], SHARE, False),
    # "All" of what one clause says of 全部 beside another clause's gradual change.
    ("新增车辆是不是都要用新能源", ["新增", "车辆", "新能源"], MIXED, True),
    ("现有车辆是不是都要换新能源", ["现有", "车辆", "新能源"], MIXED, False),
    # "All" asked where the plan names only some classes of the thing, unless the question names them too.
    ("所有洗车企业都要推行废水循环利用吗", ["洗车企业", "废水", "循环利用"], CLASSES, False),
    ("三、四类洗车企业都要推行废水循环利用吗", ["洗车企业", "废水", "循环利用"], CLASSES, True),
    # Every word found and nothing against it.
    ("企业门禁系统是不是要联网", ["企业", "门禁系统", "联网"], PLAIN, True),
])
def test_a_rule_settles_yes_or_no(question: str, terms: list[str], text: str, verdict: bool) -> None:
    found = rule_verdict(question, terms, text, complete=True, words=terms)
    assert found is not None and found.yes is verdict


@pytest.mark.parametrize(("question", "terms", "text", "complete"), [
    # Both grades named and neither's clause shares more of the question: it cannot tell.
    ("是第三方机构吗", ["第三方机构"], BOTH, False),
    ("企业门禁系统还能不装吗", ["企业", "门禁系统"], PLAIN, True),  # may it be done: no prohibition, no permission
    ("企业门禁系统是不是要联网", ["企业", "门禁系统", "联网"], PLAIN, False),  # a word the plan never uses
    ("食堂油烟是不是要联网", ["食堂"], PLAIN, True),  # no clause holds the question's words
])
def test_no_verdict_without_clear_evidence(question: str, terms: list[str], text: str, complete: bool) -> None:
    assert rule_verdict(question, terms, text, complete=complete, words=terms) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("5—9月", set(range(5, 10))), ("七八月份", {7, 8}), ("秋冬季", {10, 11, 12, 1, 2, 3}), ("夏天", {6, 7, 8}),
    ("11月", {11}), ("2023年10月底前", set()), ("9月底前完成", set()),
])
def test_months_named_by_season_or_month_not_by_deadline(text: str, expected: set[int]) -> None:
    assert months(text) == expected


def test_frequencies_and_clauses() -> None:
    assert (frequency("每月开展"), frequency("按季度通报"), frequency("开展监测")) == (30, 90, None)
    assert frequency("实行周调度、月汇总、季考核", about=["汇总"]) == 30  # the one written on the word asked about
    assert clauses("禁止使用（35蒸吨，水泥除外），严禁新建。") == ["禁止使用（35蒸吨，水泥除外）", "严禁新建"]


@pytest.mark.parametrize(("question", "first"), [
    ("错峰减排是大气办牵头吗", "是：大气办是第12项的牵头单位"),
    ("工业涂装清洁生产是大气办牵头吗", "否：大气办不是第33项的牵头单位"),
    ("无人机走航是执法支队管吗", "否：市生态环境保护综合执法支队不是第16项的牵头单位或责任单位"),
    ("重点VOCs治理项目是薛扬一个人负责吗", "否：第35项的责任领导是薛扬、马芳林"),
    ("现在还能批新的燃煤锅炉不", "否：禁止审批新建燃煤锅炉"),
    ("降尘量数据是按季度通报吗", "否：每月开展监测"),
    ("降尘是不是每周测一次", "否：每月开展监测"),
    ("降尘是不是每月测一次", "是：每月开展监测"),
    # The opposite of what the rule names ("低挥发性"): not what the plan asks for.
    ("工业涂装还能继续用高VOCs含量的涂料吗", "否：工业涂装应使用低挥发性有机物含量的涂料"),
    # A fuel asked of a ban whose exception is a kind of boiler is not that boiler: the ban holds.
    ("禁燃区里小饭馆还能烧煤吗", "否："), ("禁燃区里水泥厂用原料煤也算禁止吗", "否："),
    # Decimals in Chinese numerals; a grade the task does not name before its date; 百分百 of a share.
    ("我们县降尘量四点五吨/月·平方公里 算达标吗", "是：四点五吨没有超过"),
    ("厂里国四柴油车 10月底前也必须淘汰吗", "否：方案没有提到“国四”"),
    ("清洁生产审核 年底前必须百分百完成吗", "否："),
    # The exception named only to deny it; another target than the rule's; the stop in the clause after the
    # subject's; a demonstrative time ("那阵子") names no topic.
    ("有人想在咱这新开个砖厂，不是治理提升类的，能批不？", "否："),
    ("修车厂喷漆房废气治理是不是升级成活性炭吸附就行", "否："),
    ("橡胶厂治污设施达不到A级，还能继续生产吗", "否："),
    ("新建水泥项目还能批吗", "否：严禁新、改、扩建"),
    ("臭氧超标那阵子，砂石厂白灰厂是不是要错峰运输", "是："),
    # A thing named with its own suffix (汽修厂 for 汽修企业); 厂里 is the plan's 场内.
    ("汽休厂喷漆房废气治理 是不是要改成催化燃烧", "是："),
    ("市区工业企业厂里新增的运输车是不是必须是新能源的", "是："),
    ("督查考核办是按月调度吗", "否：局督查考核办要对各项任务进展情况实行周调度"),  # 月 is the 汇总's
    ("臭氧差异化管控是秋冬季搞的吗", "否：5—9月"),  # the clause that says the months, not the first one
    ("兴平分局是不是禁燃区划定的责任单位", "是：兴平分局是第20项的责任单位"),  # one of 各分局
    ("禁燃区高新分局也要管吗", "否：高新分局不是第20项的牵头单位或责任单位"),  # 各分局（不涉及高新、经开）
    ("禁燃区划定是兴平分局牵头吗", "否：兴平分局不是第20项的牵头单位"),
    # A unit opening the question asks whether it takes part; asked the other way round the verdict turns.
    ("高新分局要划禁燃区吗", "否：高新分局不是第20项的牵头单位或责任单位"),  # 各分局（不涉及高新、经开）
    ("兴平分局要划禁燃区吗", "是：兴平分局是第20项的责任单位"),
    ("高新分局不用管禁燃区吧？", "是：高新分局不是第20项的牵头单位或责任单位"),
    ("大气办不用管禁燃区吧", "否：大气办是第20项的牵头单位"),
    ("高新分局管不管禁燃区", "否：高新分局不是第20项的牵头单位或责任单位"),  # 管不管 asks, it is no 不管
    ("我们武功分局要去核查橡胶企业吗", "否：武功分局不是第2项的牵头单位或责任单位"),
    # "各相关分局": the plan does not say which, so neither 是 nor 否.
    ("武功分局管不管无人机走航", "第16项的责任单位写的是“各相关分局”"),
    # A place standing for its branch is no unit opening the question: the rule answers.
    ("泾阳冀东水泥矿山运矿车是要全部换成新能源吗？", "否：2023年10月底前"),
    # A figure put forward as the plan's ("目标是不超过45吧"): whether it is the plan's, not whether 45 passes.
    ("pm2.5年均浓度目标是不超过45吧", "否：方案写的是“力争完成PM2.5年均浓度不超过49微克/立方米”"),
    ("优良天数要不少于244天对吗", "是：方案写的是“优良天数不少于244天”"),
    ("工业涂装清洁生产审核要完成50%对吧", "否：方案写的是“2023年12月底前完成不少于30%”"),
    ("PM2.5年均48能达标不", "是：48微克没有超过方案的限值"),
    # The words asking a kind of fact are the plan's own: a yes/no on its rule, not a request for a frequency.
    ("臭氧高发季节要加大检测频次吗", "是："),
])
def test_yes_no_on_the_bundled_plan_says_it_first(qa_engine: QAEngine, question: str, first: str) -> None:
    assert qa_engine.ask(question, DEFAULT_NOW).text.startswith(first)


@pytest.mark.parametrize("question", [
    "饭馆油烟要装啥",  # "什么" ends in 么 but asks what
    "每天进出8个人的企业要不要装门禁",  # an amount in no unit of a limit (people, not vehicle trips)
])
def test_no_verdict_where_the_question_does_not_ask_one_or_the_plan_leaves_it_open(qa_engine: QAEngine,
                                                                                  question: str) -> None:
    text = qa_engine.ask(question, DEFAULT_NOW).text
    assert not text.startswith(("是：", "否：")), text


@pytest.mark.parametrize(("question", "head", "tasks"), [
    ("无人机走航是每周飞一次吗", "方案没有写明频次", [16]),
    ("油烟在线监控装一套3万元对吧", "方案没有写明金额", [28]),
    ("专家帮扶组里都有哪些专家", "方案没有写明人员名单", []),
])
def test_a_fact_the_plan_does_not_give_is_refused_in_yes_no_form_too(qa_engine: QAEngine, question: str, head: str,
                                                                     tasks: list[int]) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert answer.refused and answer.text.startswith(head) and answer.tasks == tasks


@pytest.mark.parametrize(("question", "first"), [
    ("锅炉排查是不是吴海峰负责", "否：吴海峰不是第2项的责任领导"),
    ("锅炉排查是周明远一个人负责吗", "否：第2项的责任领导是周明远、孙丽"),  # a block shared with task 3
    ("监测预警是监测中心牵头吗", "是：监测中心是第3项的牵头单位"),
])
def test_another_plans_people_and_units(synthetic_plan: Plan, question: str, first: str) -> None:
    engine = QAEngine(synthetic_plan)
    assert engine.ask(question, datetime(2025, 3, 1, 9, tzinfo=TZ)).text.startswith(first)


def test_a_lexicon_entry_starting_with_not_leaves_an_a_not_a_ask_alone(qa_engine: QAEngine) -> None:
    """"不能用" is rewritten to the plan's "禁止使用", but "能不能用" asks whether it may be used."""
    assert qa_engine.lexicon.normalise("非水溶性VOCs废气能不能用喷淋吸收")[0] == "非水溶性VOCs废气能不能用喷淋吸收"
    assert "禁止使用" in qa_engine.lexicon.normalise("不达标的机械不能用了吧")[0]
    assert qa_engine.ask("非水溶性VOCs废气能不能用喷淋吸收", DEFAULT_NOW).text.startswith("否：")


@pytest.mark.parametrize(("question", "first"), [
    ("商混站没评上引领性绩效的，重污染天气应急期间还能生产吗", "否："),  # the stop stands in the next clause
    ("厂里拉货的老柴油车还能接着用吗", "否："),  # 淘汰 stops them
    ("臭氧差异化管控措施是全年都执行吗", "否：5—9月"),
    ("高污染燃料禁燃区划定的任务是否涉及高新、经开分局", "否：高新分局不是第20项"),
])
def test_a_stop_answers_whether_a_thing_may_go_on(qa_engine: QAEngine, question: str, first: str) -> None:
    assert qa_engine.ask(question, DEFAULT_NOW).text.startswith(first)


@pytest.mark.parametrize("question", [
    "厂里拉货的老旧柴油车要换掉吗",  # asks whether to remove them: 淘汰 says yes, not no
    "造轮胎的那些企业能达到A级的 环保局会帮忙吗",  # 能达到 is ability, not permission
])
def test_a_stop_gives_no_no_to_a_question_that_does_not_ask_permission(qa_engine: QAEngine, question: str) -> None:
    assert not qa_engine.ask(question, DEFAULT_NOW).text.startswith("否：")


@pytest.mark.parametrize(("question", "first"), [
    ("禁燃区里40蒸吨的燃煤锅炉还能烧煤不", "是：40蒸吨属于"),  # within the ban's exception
    ("禁燃区里20蒸吨的燃煤锅炉还能用吗", "否：20蒸吨不属于"),
    ("35蒸吨以上的燃煤锅炉在禁燃区里也不让用高污染燃料吗", "否："),
    ("禁燃区里40蒸吨的燃煤锅炉要不要禁", "否："),  # asks whether it is banned
])
def test_a_scope_in_a_bans_exception_answers_whether_it_is_allowed(qa_engine: QAEngine, question: str,
                                                                   first: str) -> None:
    assert qa_engine.ask(question, DEFAULT_NOW).text.startswith(first)


def test_how_often_a_task_is_followed_up_is_answered_not_refused_as_a_missing_deadline(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("企业治污设施升级改造，多久调度一回", DEFAULT_NOW)
    assert not answer.refused and "月调度" in answer.text.splitlines()[0]


@pytest.mark.parametrize(("question", "first"), [
    # a statement put as a question
    ("听说橡胶企业治污设施现场核查是4月底前完成？", "否：方案的时限是2023年3月底前，不是4月底"),
    ("冀东海德堡那个SCR脱硝改造是二号线？", "否："),
    ("臭氧差异化管控措施是6到9月落实吗", "否：5—9月"),  # the period itself is asked
    ("臭氧差异化管控措施是5到9月落实吗", "是：5—9月"),
    ("臭氧管控7到8月要不要搞", "是：5—9月"),  # within the period is enough here
    ("禁燃区是不是划成Ⅱ类高污染燃料禁燃区", "否：方案没有提到“Ⅱ类”"),  # another grade of the kind the task uses
])
def test_a_detail_put_forward_is_checked_against_the_plans(qa_engine: QAEngine, question: str, first: str) -> None:
    assert qa_engine.ask(question, DEFAULT_NOW).text.startswith(first)


def test_a_number_in_a_statement_put_as_a_question_is_compared_not_waved_through(qa_engine: QAEngine) -> None:
    assert qa_engine.ask("PM2.5目标是49？", DEFAULT_NOW).text.startswith("是：方案写的是")
    assert not qa_engine.ask("门禁道闸是日进出20辆次以上的企业才装？", DEFAULT_NOW).text.startswith("是：")


@pytest.mark.parametrize("question", ["降尘量上限？", "走航车还是无人机？", "降尘量上限是多少？"])
def test_a_question_mark_alone_makes_no_yes_no(question: str) -> None:
    assert not asks_yes_no(question)


@pytest.mark.parametrize(("question", "first"), [
    ("听说燃气锅炉氮氧化物要控制在50毫克？", "否：方案写的是“将氮氧化物控制在30毫克/立方米”"),  # a figure put forward
    ("工业涂装清洁生产审核要完成50%？", "否：方案写的是“2023年12月底前完成不少于30%”"),
])
def test_a_figure_put_forward_with_a_question_mark_is_checked(qa_engine: QAEngine, question: str, first: str) -> None:
    assert qa_engine.ask(question, DEFAULT_NOW).text.startswith(first)


@pytest.mark.parametrize(("question", "task"), [
    ("10月底前B级企业要占多大比例", 4),  # 多大比例 asks the amount; 比例 is no subject (清洁运输比例)
    ("搅拌站10月以后有啥说法", 5),  # 说法: what is required
    ("烧砖的窑子年底前要干啥", 8),  # 窑子: the kiln, not the brickworks' transport
])
def test_spoken_asks_find_the_task(qa_engine: QAEngine, question: str, task: int) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert not answer.refused and answer.tasks[:1] == [task]


@pytest.mark.parametrize(("question", "refused"), [
    ("运矿车辆新能源替代 是只能用电动的还是氢能的也行", True),  # the task names neither option
    ("走航监测用走航车还是无人机", False),  # it names 无人机
    ("在线监测设备专项执法 法规科是牵头还是配合", False),  # the responsibility lines answer a role choice
])
def test_an_either_or_ask_needs_an_option_the_plan_names(qa_engine: QAEngine, question: str, refused: bool) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert answer.refused is refused
    assert not refused or answer.text.startswith("方案没有写明两者中用哪一种")


@pytest.mark.parametrize(("question", "first"), [
    ("工厂喷漆还能继续用有机物含量高的漆吗", "否："),  # 含量高 after the thing; the rule says 低…含量
    ("县里那种简易安法脱硫脱硝的厂子，要装在线监测联网吗", "是："),  # 县里 frames; 安法 is the slip of 氨法
    ("不是重点的企业要装用电监控吗", "是："),  # "not a 重点…" is the plan's 非重点涉气排污企业
])
def test_a_rule_read_past_how_staff_word_it(qa_engine: QAEngine, question: str, first: str) -> None:
    assert qa_engine.ask(question, DEFAULT_NOW).text.startswith(first)


@pytest.mark.parametrize(("question", "verdict", "due"), [
    ("橡胶企业治污设施达不到A级是不是要停产？现场核查几月底前搞完", "是：", "2023年3月底前"),
    ("商混站没评上引领性，重污染天气还能生产吗？从几月开始执行", "否：", "2023年10月起"),
])
def test_a_yes_no_followed_by_a_when_gets_both(qa_engine: QAEngine, question: str, verdict: str, due: str) -> None:
    lines = qa_engine.ask(question, DEFAULT_NOW).text.splitlines()
    assert lines[0].startswith(verdict) and due in lines[1]  # the verdict on its own line, then the time limit


@pytest.mark.parametrize(("question", "due"), [
    ("厂里院子里跑的那些老柴油车，国三往下的，最晚啥时候全清掉", "2023年10月底前"),  # the dated sentence names 国三
    ("砖瓦窑这类工业上烧的炉子，治污设施提标啥时候截止", "2023年12月底前"),  # one time limit: its words name it
])
def test_a_when_finds_the_dated_sentence_the_question_names(qa_engine: QAEngine, question: str, due: str) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert not answer.refused and answer.text.startswith("时限：" + due)


def test_a_count_per_day_is_answered_by_the_daily_threshold(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("一天进出多少趟拉货车的厂子，得装门禁", DEFAULT_NOW)
    assert not answer.refused and answer.tasks[:1] == [25] and "10辆次" in answer.text.splitlines()[0]

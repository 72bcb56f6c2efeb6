"""Red-team mechanisms: refusals for what a plan cannot say (past years, missing figures, a given day), and the
colloquial forms staff type (short unit names, "参与", "归谁管", undated steps)."""

from __future__ import annotations

from datetime import datetime

import pytest

from knowledge.model import Plan
from knowledge.qa import texts as qa_msg
from knowledge.qa.engine import QAEngine
from knowledge.qa.facts import asked_fact
from knowledge.qa.periods import past_year
from knowledge.qa.question import understand, unit_aliases
from tests.support_qa import DEFAULT_NOW, TZ

JUNE = datetime(2023, 6, 15, 10, tzinfo=TZ)

@pytest.mark.parametrize(
    ("question", "year"),
    [("2022年优良天数多少天", 2022), ("去年PM2.5浓度是多少", 2022), ("前年空气质量怎么样", 2021),
     ("排名要比2022年前移多少", None),  # a comparison asks about the plan's own target
     ("2023年PM2.5目标", None), ("上半年到期的任务", None), ("年运量100万吨以上年底前摸排", None),
     ("哪些任务要提前年底完成", None)],
)
def test_past_year_is_found_only_when_the_question_asks_about_it(question, year) -> None:
    assert past_year(question, JUNE.date(), 2023) == year


@pytest.mark.parametrize("question",
                         ["2022年咸阳PM2.5实际是多少？", "去年优良天数有多少天？", "2022年空气质量排名第几"])
def test_questions_about_an_earlier_year_are_refused_with_the_plan_year(qa_engine: QAEngine, question) -> None:
    answer = qa_engine.ask(question, JUNE)
    assert answer.refused and answer.tasks == []
    assert answer.text.startswith("本方案是2023年的工作方案")


@pytest.mark.parametrize(("question", "year"), [("去年pm2.5是多少", 2025), ("今年PM2.5目标是多少", None)])
def test_a_relative_year_asked_after_the_plan_year_is_read_from_today(qa_engine: QAEngine, question, year) -> None:
    """Asked in 2026 about a 2023 plan, "去年" is 2025: no figure of the plan is that year's."""
    answer = qa_engine.ask(question, datetime(2026, 11, 29, 10, 0, tzinfo=TZ))
    if year is None:
        assert not answer.refused and "49" in answer.text
    else:
        assert answer.refused and f"没有{year}年" in answer.text and "49" not in answer.text


def test_another_plan_refuses_its_own_earlier_year(synthetic_plan: Plan) -> None:
    answer = QAEngine(synthetic_plan).ask("2024年PM2.5年均浓度是多少", datetime(2025, 3, 1, 9, tzinfo=TZ))
    assert answer.refused and "2025年的工作方案" in answer.text


@pytest.mark.parametrize(
    "question",
    ["咸阳有多少家加油站", "绿岛中心建设资金多少钱", "全市有多少家橡胶企业", "臭氧年均浓度目标是多少",
     "今年空气质量考核排名第几", "二氧化硫浓度不能超过多少"],
)
def test_a_figure_the_plan_does_not_give_is_refused_not_quoted_around(qa_engine: QAEngine, question) -> None:
    answer = qa_engine.ask(question, JUNE)
    assert answer.refused, answer.text


@pytest.mark.parametrize(
    ("question", "task", "fact"),
    [("秦都区争创B级企业目标是几家", 4, "4家"), ("工业涂装企业清洁生产审核要完成几成", 33, "30%"),
     ("降尘量每月每平方公里不能超过几吨", 27, "5吨"), ("氮氧化物排放浓度要求多少", 10, "30毫克/立方米"),
     ("每天进出多少辆货车的企业要装门禁", 25, "10辆次")],
)
def test_a_figure_of_the_asked_kind_is_answered(qa_engine: QAEngine, question, task, fact) -> None:
    answer = qa_engine.ask(question, JUNE)
    assert not answer.refused and task in answer.tasks and fact in answer.text


def test_the_refusal_for_a_missing_figure_names_what_the_plan_does_mention(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("咸阳有多少家加油站", JUNE)
    topic = answer.text.split("”")[0]
    assert answer.text.startswith("方案提到了“") and "加油站" in topic
    assert answer.refused and answer.tasks == [34] and "第34项" in answer.text  # the task naming it, as a pointer


@pytest.mark.parametrize("question", ["下周有没有重污染天气", "明天会不会有雾霾", "交通噪声超标怎么处理"])
def test_a_day_or_week_and_scattered_known_words_do_not_make_a_question_covered(qa_engine: QAEngine,
                                                                               question) -> None:
    assert qa_engine.ask(question, JUNE).refused


def test_head_abbreviation_of_a_unit_name_is_an_alias(bundled_plan: Plan) -> None:
    aliases = unit_aliases(bundled_plan)
    assert aliases["宣教中心"] == "市宣教信息中心"
    assert aliases["排气检测中心"] == "市机动车排气检测中心"


@pytest.mark.parametrize(
    ("question", "tasks"),
    [("宣教中心负责啥任务", [13]), ("法规科参与哪些任务", [18, 19]), ("大气办有哪些任务12月底到期", [8, 32, 33])],
)
def test_colloquial_list_questions(qa_engine: QAEngine, question, tasks) -> None:
    assert qa_engine.ask(question, JUNE).tasks == tasks


def test_a_month_after_task_is_not_a_task_number(bundled_plan: Plan) -> None:
    q = understand("大气办有哪些任务12月底到期", bundled_plan, JUNE.date())
    assert q.task_number is None and q.intent == "list"


@pytest.mark.parametrize(
    ("question", "task", "must"),
    [("月汇总归谁负责", None, "督查考核办"), ("降尘归谁管", 27, "王光明"),
     ("煤改气以后还能烧煤吗", 9, "违规复烧"),
     ("汽修厂喷漆房废气要升级成什么治理方法", 36, "催化燃烧")],
)
def test_colloquial_wording_is_answered(qa_engine: QAEngine, question, task, must) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert not answer.refused and must in answer.text
    assert answer.tasks == ([task] if task else [])


def test_an_undated_step_says_so_and_lists_the_task_time_limits(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("内浮顶储罐改造啥时候完成", DEFAULT_NOW)
    first = answer.text.splitlines()[0]
    assert first.startswith(qa_msg.QA_WHEN_NONE_STEP) and "第35项" in first
    assert "长庆石化" in answer.text and "2023年10月底前" in answer.text and answer.tasks == [35]
    assert answer.refused  # the plan lacks the asked date: a refusal that points to the task


@pytest.mark.parametrize(("question", "task"), [("在线监测设备专项执法啥时候完成", 19), ("第28项什么时候完成", 28)])
def test_when_of_a_task_without_a_time_limit_is_a_refusal_with_a_pointer(qa_engine: QAEngine, question,
                                                                           task) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert answer.refused and answer.tasks == [task] and qa_msg.QA_WHEN_NONE.plain() in answer.text


@pytest.mark.parametrize(("question", "kind"), [
    ("明天咸阳空气质量怎么样", "天气或空气质量预报"), ("下周会不会下雨", "天气或空气质量预报"),
    ("大气办有多少人", "人员数量"), ("执法支队人员编制多少", "人员数量")])
def test_a_kind_of_fact_no_plan_states_is_recognised(question, kind) -> None:
    assert asked_fact(question) == kind


@pytest.mark.parametrize("question", ["排放清单编制啥时候完成", "重污染天气应急预案什么时候修订完", "明天到期的任务",
                                      "下周要完成哪些任务"])
def test_plan_words_near_those_kinds_ask_no_such_fact(question) -> None:
    assert asked_fact(question) is None


@pytest.mark.parametrize("question", ["不是刘鲲管的有哪些", "除了刘鲲以外的领导负责哪些任务", "刘鲲以外的任务有哪些"])
def test_excluding_a_leader_lists_the_tasks_others_lead(qa_engine: QAEngine, bundled_plan: Plan, question) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    others = [t.number for t in bundled_plan.tasks if "刘鲲" not in t.leaders]
    assert not answer.refused and answer.tasks == others and answer.text.startswith("责任领导不含 刘鲲")


def test_a_role_phrase_beside_a_unit_is_a_list_without_list_words(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("大气办不牵头只配合的", DEFAULT_NOW)
    assert answer.intent == "list" and answer.tasks == [11, 33]


@pytest.mark.parametrize(("question", "place"),
                         [("西安今年PM2.5考核目标是多少", "西安"), ("北京的工地扬尘谁管", "北京"),
                          # rarer in general Chinese, still another city of the province (the division table)
                          ("铜川燃气锅炉氮氧化物也是按30毫克管吗", "铜川"),
                          ("宝鸡市燃气锅炉氮氧化物要控制到多少", "宝鸡市")])
def test_a_place_outside_the_plans_city_is_refused(qa_engine: QAEngine, question, place) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert answer.refused and f"“{place}”" in answer.text and "49" not in answer.text


@pytest.mark.parametrize("question", ["乾县要创几家B级", "陕西省的燃气锅炉要低氮改造吗"])
def test_a_county_of_the_plans_city_or_its_province_is_not_another_place(qa_engine: QAEngine, question) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert not answer.refused and answer.tasks and answer.tasks[0] in {4, 10}


@pytest.mark.parametrize(("question", "kind"),
                         [("门禁系统用哪个厂家的", "公司名称"), ("降尘量超标的县怎么处罚", "处罚")])
def test_a_supplier_or_a_penalty_the_plan_does_not_give_is_refused_with_a_pointer(qa_engine: QAEngine, question,
                                                                                    kind) -> None:
    assert asked_fact(question) == kind
    answer = qa_engine.ask(question, DEFAULT_NOW)
    first = answer.text.splitlines()[0]
    assert answer.refused and (first.startswith(f"方案没有写明{kind}") or f"“{kind}”" in first)


@pytest.mark.parametrize(("question", "kind"), [
    ("为什么门禁系统只要求日均进出10辆次以上的企业装", "原因"),
    ("市智慧环保指挥中心礼拜天几点开门", "办公时间"),
    ("大气办的具体地址在哪", "具体地址"),
    ("行业专家组成员都有谁", "人员名单"),
    ("非移机械要满足国几排放", "排放阶段"),
    ("餐饮油烟在线监控的安装费谁出钱", "金额"),
    ("用电监管设施安装要提交哪些材料", "办理手续"),
    ("冀东海德堡一号线脱硝改完了没", "实际进展"),
    ("砖瓦行业整改专班现在进展如何", "实际进展"),
    ("咸阳高新区争创的那5家是哪几家", "企业名单"),
    ("重污染天气应急的时候砖瓦企业要停几天", "持续时间"),
    ("应急预案修订好了在哪能下载", "获取渠道"),
    ("门禁系统验收按什么标准", "执行标准"),
    ("啥样的企业才算排放大户", "具体界定"),
    ("增B跟创A有啥区别", "具体界定"),
    ("在线监测核查的第四方机构是哪家", "公司名称"),
    ("大气办具体哪个科长管门禁系统", "具体联系人"),
    ("绩效升级推进会在哪召开", "具体地址"),
    ("无人机发现问题交办以后几天内要整改完", "持续时间"),
    ("咸环委办函〔2023〕14号文里具体都有哪些要求", "其他文件内容"),
    ("用电监管现在完成多少了", "实际进展"),
    ("环保绩效B级是啥标准", "具体界定"),
    ("共享喷涂绿岛中心在哪", "具体地址"),
    ("铸造企业保留名单包括哪些企业", "企业名单"),
    ("被责令停产整治的橡胶企业要停产多长时间", "持续时间"),
    ("商混企业申报引领性绩效评级的具体流程是什么", "办理手续"),
    ("日控月考的月考具体怎么打分", "分值"),
    ("低效治理企业装的在线监测要监测哪些污染物", "监测因子"),
    ("非道路移动机械信息化监管用的是哪个APP", "具体平台"),
    ("橡胶企业到期没创成A级会怎么处理", "未完成的后果"),
    ("A级绩效具体评定标准是啥，要看哪些指标", "评定细则"),
    ("我们厂在应急减排清单里是几级管控", "具体某家企业的情况"),
    ("非移机械编码登记要不要交钱", "金额"),
    ("臭氧季错峰生产，连续工艺停不下来的企业有没有例外？", "例外情况"),
    ("哪个县降尘量超过5吨了会被咋处理？", "处理方式"),
    ("低效治理企业在线监测联网去哪办手续？", "办理手续"),
    ("咸环委办函〔2023〕14号里保障类工程车辆咋管的？", "其他文件内容"),
    ("市区及周边25公里从哪儿起算？", "具体界定"),
    ("铸造行业保留的企业具体是哪些厂？", "企业名单"),
    ("臭氧季市政道路划线要错时作业，具体是哪几条路？", "具体地点"),
    ("燃气锅炉低氮改造 用啥样的燃烧器比较好", "具体工艺或设备"),
    ("乾县人科机械治理设施升级用的啥工艺", "具体工艺或设备"),
    ("乾县人科机械升级改造用的啥治理工艺", "具体工艺或设备"),
    ("SCR脱硝技术具体怎么做", "具体工艺或设备"),
    ("渭城区那家鑫达橡胶厂在不在橡胶企业保留名单里？", "企业名单"),
    ("门禁系统拍的车辆数据要保存多长时间？", "持续时间"),
    ("非重点涉气企业装用电监管设施的钱，企业自己出还是财政出", "金额"),
    ("大气办具体哪个人负责无人机走航", "具体联系人"),
    ("大气办具体是哪个同志对接我们兴平这边的企业？", "具体联系人"),
    ("专家组成员都有谁", "人员名单"),
    ("清洁生产审核要找哪家咨询机构做，费用大概多少？", "金额"),
    ("重污染天停产期间的损失政府给不给补偿？", "金额"),
    ("那个大气办主任现在是谁 叫啥名", "人员姓名"),
    ("清洁生产审核完了 考核打分咋打", "分值"),
    ("乾县人科机械改造验收通过了没", "实际进展"),
    ("渭城区那3家B级企业现在创成几家了", "实际进展"),
    ("一类二类汽修企业咋区分？", "具体界定"),
    ("重污染天气应急响应分几级，红色预警啥条件启动", "启动条件"),
    ("咸阳今年的人口是多少？", "统计数据"),
    ("门禁系统的数据要接入哪个监管平台？", "具体平台"),
    ("治污设施升级改造计划按什么模板上报？", "格式模板"),
    ("马芳林是啥职务", "职务"),
    ("低氮燃烧改造具体用啥技术", "具体工艺或设备"),
])
def test_a_kind_of_fact_the_plan_never_writes_is_refused_with_a_pointer(qa_engine: QAEngine, question, kind) -> None:
    assert asked_fact(question) == kind
    answer = qa_engine.ask(question, DEFAULT_NOW)
    # Refused either for the kind of fact (with the nearest task) or, earlier, for a word the plan never uses.
    assert answer.refused and ((answer.text.startswith(f"方案没有写明{kind}") and len(answer.tasks) <= 1)
                               or answer.text.startswith("方案中没有关于"))


@pytest.mark.parametrize("question", ["降尘量4.8吨算不算超标", "“四厂”指的是哪四个厂", "日控月考啥意思"])
def test_a_comparison_or_the_plans_own_short_form_is_no_question_of_definition(question: str) -> None:
    assert asked_fact(question) is None


def test_a_maker_the_plan_never_names_is_refused_not_confirmed(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("运矿车新能源替代用的是比亚迪的车不", DEFAULT_NOW)
    assert answer.refused and "比亚迪" in answer.text.splitlines()[0]


def test_another_class_asked_with_also_is_refused_and_without_it_gets_the_rules_own(qa_engine: QAEngine) -> None:
    also = qa_engine.ask("三类汽修企业喷漆房也要改催化燃烧吗", DEFAULT_NOW)  # the task names 一、二类汽修企业
    assert also.refused and also.tasks == [36] and "三类汽修企业" in also.text
    assert qa_engine.ask("三类汽修厂要不要改催化燃烧", DEFAULT_NOW).text.startswith("否")


@pytest.mark.parametrize(("question", "thing"), [
    ("工业涂装清洁生产审核30%，包装印刷企业要审核多少？", "包装印刷"),
    ("燃气锅炉是30毫克，那35蒸吨以上燃煤锅炉氮氧化物限值是多少？", "燃煤锅炉"),
])
def test_a_figure_contrasted_onto_another_subject_is_refused(qa_engine: QAEngine, question: str, thing: str) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert answer.refused and thing in answer.text.splitlines()[0] and len(answer.tasks) == 1


def test_one_ask_after_a_comma_is_no_contrast(qa_engine: QAEngine) -> None:
    assert not qa_engine.ask("各县市区每个月落下来的灰，红线是多少？", DEFAULT_NOW).refused


def test_a_method_the_task_names_answers_what_process(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("汽修喷漆房废气治理用啥工艺", DEFAULT_NOW)  # "…升级为催化燃烧法"
    assert not answer.refused and answer.tasks == [36] and "催化燃烧法" in answer.text.splitlines()[0]


@pytest.mark.parametrize("question", ["二氧化氮年均浓度要降到多少", "咸阳二氧化硫年均浓度目标"])
def test_a_figure_of_a_subject_the_plan_never_names_is_not_the_figure_nearby(qa_engine: QAEngine, question) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert answer.refused and "49" not in answer.text


def test_a_who_question_framed_by_the_leaders_duties_finds_the_task(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("油气回收检查这块是哪位领导包抓", DEFAULT_NOW)
    assert not answer.refused and answer.tasks == [34] and "责任领导" in answer.text


def test_a_word_asking_for_the_limit_is_no_subject_the_figure_must_share(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("燃气锅炉氮氧化物排放上限是多少", DEFAULT_NOW)
    assert not answer.refused and 10 in answer.tasks and "30毫克/立方米" in answer.text


def test_an_emission_stage_the_plan_states_is_answered(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("厂里的柴油车国几以下的要淘汰", DEFAULT_NOW)
    assert not answer.refused and 22 in answer.tasks and "国三" in answer.text


@pytest.mark.parametrize("question", ["国五柴油货车哪天前淘汰完", "Ⅱ类禁燃区划到哪些县"])
def test_a_grade_the_plan_never_uses_is_refused_not_answered_with_its_own(qa_engine: QAEngine, question) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert answer.refused and "国三" not in answer.text and "Ⅲ类" not in answer.text


def test_a_yes_no_about_a_grade_the_plan_never_uses_is_still_answered(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("国五的柴油车也要淘汰吗", DEFAULT_NOW)
    assert not answer.refused and 22 in answer.tasks


def test_a_city_jieba_tags_as_a_plain_noun_is_another_place(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("宝鸡的橡胶企业要评到几级", DEFAULT_NOW)
    assert answer.refused and "“宝鸡”" in answer.text


def test_another_years_own_plan_is_refused_though_a_time_limit_falls_in_that_year(qa_engine: QAEngine) -> None:
    assert qa_engine.ask("2024年度的大气治理方案出了没", DEFAULT_NOW).refused
    assert not qa_engine.ask("橡胶企业2024年底前要完成什么", DEFAULT_NOW).refused


def test_a_penalty_the_plan_does_state_is_answered(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("弄虚作假的第三方机构怎么处罚", DEFAULT_NOW)
    assert not answer.refused and 19 in answer.tasks and "追究责任" in answer.text


def test_a_two_character_name_typed_with_a_slip_is_read_as_the_leader(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("薛杨管啥", DEFAULT_NOW)
    assert not answer.refused and answer.intent == "list" and answer.tasks == [1, 9, 31, 35]
    assert "薛扬" in answer.text


def test_a_spoken_verb_complement_is_not_an_unknown_topic(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("禁燃区都包括哪些地方", DEFAULT_NOW)
    assert not answer.refused and 20 in answer.tasks


def test_the_measure_word_after_the_question_word_names_the_asked_amount(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("大宗货物运量多少万吨以上的企业要提高清洁运输比例", DEFAULT_NOW)
    assert not answer.refused and 24 in answer.tasks and "100万吨" in answer.text


@pytest.mark.parametrize(("question", "headline"), [("PM2.5年均50微克能完成任务吗", "否：50微克超过了"),
                                                    ("优良天数250天够不够", "是：250天达到了")])
def test_yes_no_against_the_plans_overall_targets(qa_engine: QAEngine, question, headline) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert not answer.refused and answer.text.startswith(headline) and "总体要求" in answer.text


def test_from_when_a_rule_applies_is_its_start_not_an_undated_step(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("市区周边25公里新建涉气企业要A级 这个从什么时候开始执行", DEFAULT_NOW)
    assert not answer.refused and answer.tasks == [1] and "2023年3月起" in answer.text.splitlines()[0]


def test_not_leading_alone_lists_every_task_the_unit_does_not_lead(qa_engine: QAEngine, bundled_plan: Plan) -> None:
    answer = qa_engine.ask("大气办不牵头的任务有哪些", DEFAULT_NOW)
    expected = [t.number for t in bundled_plan.tasks if "大气办" not in t.lead_units]
    assert answer.intent == "list" and answer.tasks == expected and answer.text.startswith("大气办 不牵头")
    only = qa_engine.ask("大气办不牵头只配合的任务有哪些", DEFAULT_NOW)
    assert only.tasks == [11, 33]  # only supporting: the tasks it is a responsible unit of


def test_a_count_asked_with_a_unit_is_its_list(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("执法支队牵头的一共几项，列一下", DEFAULT_NOW)
    assert answer.intent == "list" and {11, 14, 15, 17, 28, 30} <= set(answer.tasks)


@pytest.mark.parametrize(("question", "kind"), [("降尘量超过5吨的县市区要扣多少分", "分值"),
                                                ("无人机走航多久飞一次", "频次")])
def test_scores_and_frequencies_are_kinds_of_fact(question, kind) -> None:
    assert asked_fact(question) == kind


def test_a_monthly_dispatch_states_a_frequency(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("企业治污设施升级改造多久调度一次", DEFAULT_NOW)
    assert not answer.refused and 4 in answer.tasks and "月调度" in answer.text.splitlines()[0]


@pytest.mark.parametrize("word", ["厂里", "炉子", "边上"])
def test_a_spoken_noun_with_a_suffix_is_its_head(qa_engine: QAEngine, word) -> None:
    from knowledge.qa.coverage import unknown_words

    assert unknown_words([word], qa_engine.tokenizer, qa_engine.retriever) == []
    assert unknown_words(["杆子"], qa_engine.tokenizer, qa_engine.retriever) == ["杆子"]  # 杆 is no plan word's


def test_tasks_without_a_time_limit_are_a_list(qa_engine: QAEngine, bundled_plan: Plan) -> None:
    answer = qa_engine.ask("没写具体完成时限的任务都有哪几个", DEFAULT_NOW)
    undated = [t.number for t in bundled_plan.tasks if not any(d.kind == "due" for d in t.deadlines)]
    assert answer.intent == "list" and answer.tasks == undated and 9 in undated and 10 not in undated
    one = qa_engine.ask("日控月考有没有时间要求", DEFAULT_NOW)  # one task's: the answer, not a list
    assert one.intent != "list" and one.tasks == [11]


def test_either_topic_word_selects_a_task(qa_engine: QAEngine) -> None:
    both = qa_engine.ask("提到VOCs或者挥发性有机物的任务有哪些", DEFAULT_NOW)
    assert {29, 30, 31, 32, 33, 35} <= set(both.tasks)


@pytest.mark.parametrize(("question", "kind"), [
    ("VOCs排污费怎么收", "金额"), ("空气质量自动站运维公司是哪家", "公司名称"),
    ("这周末会启动重污染天气应急响应吗", "天气或空气质量预报")])
def test_fees_suppliers_and_this_weeks_alerts_are_kinds_no_plan_states(question, kind) -> None:
    assert asked_fact(question) == kind


def test_these_few_is_no_asked_amount(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("秦都渭城乾县泾阳高新这几个以外的县市区，各争创几家", DEFAULT_NOW)
    assert not answer.refused and 4 in answer.tasks and "1—2家" in answer.text


@pytest.mark.parametrize(("question", "number"), [("35项谁负责", 35), ("12项是啥", 12), ("37项重点任务都有啥", None)])
def test_a_task_number_typed_without_di(bundled_plan: Plan, question, number) -> None:
    assert understand(question, bundled_plan, JUNE.date()).task_number == number


def test_excluding_a_unit_lists_the_tasks_it_takes_no_part_in(qa_engine: QAEngine, bundled_plan: Plan) -> None:
    answer = qa_engine.ask("哪些不是大气办管的", DEFAULT_NOW)
    expected = [t.number for t in bundled_plan.tasks if "大气办" not in (*t.lead_units, *t.units)]
    assert answer.intent == "list" and answer.tasks == expected and answer.text.startswith("大气办 不参与")
    others = qa_engine.ask("除了大气办以外的单位牵头的任务", DEFAULT_NOW)
    assert others.tasks == [t.number for t in bundled_plan.tasks if "大气办" not in t.lead_units]


def test_the_step_a_title_verb_names_answers_when(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("门禁啥时候装完", DEFAULT_NOW)
    assert "2023年12月底" in answer.text.splitlines()[0]


def test_a_kind_of_fact_pointing_at_the_preamble_does_not_repeat_the_title(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("这方案一共多少钱", DEFAULT_NOW)
    assert answer.refused and answer.text.count(qa_engine.plan.title) <= 1


def test_a_unit_in_a_role_field_is_a_list(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("责任单位里有高新分局的", DEFAULT_NOW)
    assert answer.intent == "list" and {2, 3, 36, 37} <= set(answer.tasks)


def test_an_enumeration_is_read_without_its_commas(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("严禁新改扩建的是哪些行业", DEFAULT_NOW)  # the plan writes "严禁新、改、扩建"
    assert not answer.refused and answer.tasks[:1] == [1] and "焦化" in answer.text


def test_a_refusal_with_nothing_to_name_names_the_kind_of_fact(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("明天会不会重污染", DEFAULT_NOW)
    assert answer.refused and answer.text.startswith("方案没有写明天气或空气质量预报")


def test_a_substance_of_the_same_kind_as_the_tasks_gets_no_figure_of_the_other(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("燃气锅炉低氮改造以后颗粒物要控制在多少", DEFAULT_NOW)
    assert answer.refused and "“颗粒物”" in answer.text and "30" not in answer.text
    assert "30毫克/立方米" in qa_engine.ask("燃气锅炉低氮改造以后氮氧化物要控制在多少", DEFAULT_NOW).text


@pytest.mark.parametrize("question", ["燃气锅炉多大蒸吨以上的要做低氮改造", "橡胶行业橙色预警减排百分之几"])
def test_a_measure_the_task_never_states_gets_no_other_figure(qa_engine: QAEngine, question: str) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert answer.refused and "30毫克" not in answer.text


def test_a_boiler_size_asked_in_tonnes_is_answered_in_steam_tonnes(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("禁燃区多大吨位的燃煤锅炉除外", DEFAULT_NOW)
    assert not answer.refused and "35蒸吨" in answer.text and 20 in answer.tasks


@pytest.mark.parametrize(("question", "kind", "task"), [
    ("工业涂装清洁生产审核做完了谁来验收", "由谁验收", 33),
    ("橡胶企业停产整治以后找谁验收", "由谁验收", 2),
    ("门禁系统装完要不要验收，咋验收？", "怎么验收", 25),
])
def test_who_does_or_how_to_do_a_step_the_task_never_names_is_refused_with_the_task(qa_engine: QAEngine,
                                                                                  question: str, kind: str,
                                                                                  task: int) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert answer.refused and answer.tasks == [task]
    assert answer.text.startswith(f"方案没有写明{kind}")


@pytest.mark.parametrize("question", ["在线监测数据核查请谁来弄", "铸造行业治污设施升级改造涉及哪些分局",
                                      "新建涉气项目审批，环保局跟发改委、行政审批局怎么衔接"])
def test_who_asked_with_a_plain_verb_or_about_the_task_itself_is_answered(qa_engine: QAEngine, question: str) -> None:
    assert not qa_engine.ask(question, DEFAULT_NOW).refused


def test_a_count_of_projects_is_not_a_list_of_tasks(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("禁止新上哪些行业的项目", DEFAULT_NOW)  # 项目 is no 项 (task)
    assert not answer.refused and answer.tasks == [1] and "焦化" in answer.text


@pytest.mark.parametrize(("question", "fact"), [
    ("40蒸吨的锅炉在禁燃区能不能例外", "35蒸吨及以上燃煤锅炉"),  # the rule lists its exception
    ("企业偷排超排会被怎么处理", "从严打击"),  # the task says what is done
])
def test_an_exception_or_a_penalty_the_plan_states_is_answered(qa_engine: QAEngine, question: str, fact: str) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert not answer.refused and fact in answer.text



@pytest.mark.parametrize("question", ["执法大比武谁来组织？", "空气质量站点增设的活哪个单位牵头？"])
def test_who_does_a_general_requirement_that_names_no_one_is_refused(qa_engine: QAEngine, question: str) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert answer.refused and answer.text.startswith("方案没有写明由谁负责")


@pytest.mark.parametrize(("question", "named"), [("周调度谁来搞", "督查考核办"), ("每月的工作进展报给谁？", "大气办"),
                                                ("三送一帮活动是面向谁的", "企业"),
                                                ("污染源排放清单这块打算靠谁来做", "高水平团队")])
def test_who_in_a_general_requirement_that_names_a_unit_or_asks_whom_is_answered(qa_engine: QAEngine, question: str,
                                                                                 named: str) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert not answer.refused and named in answer.text


@pytest.mark.parametrize(("question", "group"), [("南六县市是哪六个？", "南六县市"),
                                             ("北五县市都包括哪些？", "北五县市"),
                                             ("长武属于南六县还是北五县？", "南六县市")])
def test_the_members_of_a_group_the_plan_names_without_listing_are_refused(qa_engine: QAEngine, question: str,
                                                                          group: str) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert answer.refused and answer.tasks == [20]
    assert answer.text.startswith(f"方案没有写明{group}具体包括哪些")


def test_the_members_of_a_group_the_plan_lists_are_answered(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("四厂是哪几个厂", DEFAULT_NOW)
    assert not answer.refused and "砂石厂" in answer.text


@pytest.mark.parametrize(("question", "fact"), [
    ("清洁运输咋提上去", "100万吨"),  # 提上去: a spoken complement on 提 (the task.s 提高), no step of its own
    ("低效治理技术具体指哪几种？", "简易碱法脱硫"),  # the plan lists them ("A、B、C等低效治理技术")
    ("领导小组成员都有谁？", "主要负责同志"),  # members by role
    ("商混站没评上引领性会咋样？", "停产"),  # the task says what follows
])
def test_how_which_and_what_follows_where_the_plan_states_them_are_answered(qa_engine: QAEngine, question: str,
                                                                           fact: str) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert not answer.refused and fact in answer.text


@pytest.mark.parametrize("question", ["大气污染防治攻坚领导小组组长叫啥名字", "高污染燃料具体指哪些？型煤算不算？"])
def test_a_name_or_a_definition_the_plan_gives_only_by_role_or_by_exception_is_refused(qa_engine: QAEngine,
                                                                                       question: str) -> None:
    assert qa_engine.ask(question, DEFAULT_NOW).refused


@pytest.mark.parametrize(("question", "head", "task"), [
    ("渣土车是不是也要换成新能源？", "方案没有写明渣土是否也这样", 22),  # the task's vehicles are its own
    ("2024年禁燃区会扩大不", "方案没有写明2024年的安排", 20),  # another task's 2024 deadline does not count
])
def test_a_rule_stretched_to_another_thing_or_a_later_year_is_refused_with_the_task(qa_engine: QAEngine,
                                                                                  question: str, head: str,
                                                                                  task: int) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert answer.refused and answer.tasks == [task] and answer.text.startswith(head)


@pytest.mark.parametrize(("question", "first"), [
    ("低效治污设施排查是大气办一家牵头吗", "否：第6项的牵头单位是大气办、市生态环境保护综合执法支队"),
    ("低效治污设施排查是大气办牵头吗", "是：大气办是第6项的牵头单位"),
    ("在线监测造假的话，第三方机构也要追责吗", "是"),  # the task names the thing asked about
])
def test_one_of_two_lead_units_alone_is_no(qa_engine: QAEngine, question: str, first: str) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert not answer.refused and answer.text.startswith(first)



@pytest.mark.parametrize(("question", "refused"), [
    ("生物质锅炉要不要搞深度治理？", True),  # the task's rule is for 燃气锅炉
    ("燃煤锅炉氮氧化物限值是多少", True),  # 30毫克 is 燃气锅炉's
    ("燃气锅炉低氮改造啥时候完成", False),
    ("厂门口管车辆进出那个刷卡系统 啥时候装完", False),  # an everyday word before a general head: 门禁系统
])
def test_another_kind_of_the_tasks_thing_is_refused(qa_engine: QAEngine, question: str, refused: bool) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert answer.refused is refused
    if refused:
        assert "这一项说的是燃气锅炉" in answer.text


@pytest.mark.parametrize("question", ["渭南今年PM2.5考核目标是多少", "PM10年均浓度目标定的多少",
                                      "商混站引领性绩效评级的打分细则是啥", "臭氧差异化管控方案里泾阳县具体怎么管控",
                                      "渣土车要不要全部换新能源车", "出租车网约车要不要换成新能源"])
def test_another_city_term_rubric_plan_or_vehicle_is_refused(qa_engine: QAEngine, question: str) -> None:
    assert qa_engine.ask(question, DEFAULT_NOW).refused


@pytest.mark.parametrize("question", ["这个方案里具体有哪些任务是大气办牵头",
                                      "城里和咸阳南边那几个县以后还能卖散煤烧散煤吗", "PM2.5年均浓度目标多少"])
def test_this_plan_its_places_and_its_terms_are_still_answered(qa_engine: QAEngine, question: str) -> None:
    assert not qa_engine.ask(question, DEFAULT_NOW).refused


@pytest.mark.parametrize(("question", "tasks"), [
    ("五月底、六月底到期的任务都有哪些，提前提醒一下", [13, 14, 35]),
    ("今年12月底前要完成的有哪些，年底考核要盯", [8, 15, 24, 25, 32, 33]),  # the rest is the list's occasion
])
def test_a_list_by_months_takes_every_month_named(qa_engine: QAEngine, question: str, tasks: list[int]) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert answer.intent == "list" and sorted(answer.tasks) == tasks


@pytest.mark.parametrize("question", ["大气办主任是谁", "马芳林是哪个科室的，啥职务"])
def test_a_post_or_its_holder_is_not_the_plans_to_say(qa_engine: QAEngine, question: str) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert answer.refused and "职务" in answer.text.splitlines()[0]


@pytest.mark.parametrize(("question", "refused"), [
    ("礼泉海螺水泥的SCR脱硝升级改造要求哪个月底前完成", True),  # another firm than the one the task names
    ("冀东海德堡（泾阳）水泥二号线的SCR脱硝升级改造啥时候完成", True),  # another line than its 一号线
    ("老板问冀东海德堡二号线要不要也做SCR改造", True),  # asked with 也: not 否, the plan is silent on it
    ("SCR脱硝升级改造啥时候完成", False),  # the task's own project, no firm named
    ("泾阳那个外资水泥厂一号线去氮那个改造啥时候弄完", False),  # the task's firm, named by its place
    ("泾阳声威水泥的SCR改造啥时候完成", True),  # another firm in the same county: a rare name before 水泥
])
def test_a_firm_or_line_the_task_does_not_name_is_not_given_its_date(qa_engine: QAEngine, question: str,
                                                                      refused: bool) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert answer.refused is refused and answer.tasks[:1] == [7]
    assert not refused or "2023年10月底" not in answer.text


@pytest.mark.parametrize(("question", "refused"), [
    ("彬州市工业企业场内现有运输车辆也要逐步更换为新能源车吗", True),  # a county the task does not name
    ("兴平市工业企业场内运输车辆要换成新能源车吗", False),  # the one it names
])
def test_a_rule_for_named_places_is_not_stretched_to_others(qa_engine: QAEngine, question: str, refused: bool) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert answer.refused is refused and answer.tasks[:1] == [22]


@pytest.mark.parametrize(("question", "kind"), [
    ("方案里严禁新建的行业都有哪些", None),  # 方案里 at the start is this plan
    ("差异化管控方案里具体怎么管", "其他文件内容"),  # a plan the task is to draw up is another document
])
def test_this_plan_is_not_another_document(question: str, kind: str | None) -> None:
    assert asked_fact(question) == kind


def test_two_subjects_asked_each_are_answered_each(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("门禁系统和用电监管分别啥时候完成", DEFAULT_NOW)
    first, second = answer.text.split("\n\n")
    assert not answer.refused and answer.tasks == [25, 15]
    assert first.startswith("时限：2023年12月底前") and "第25项" in first and "第15项" in second


@pytest.mark.parametrize(("question", "kind"), [
    ("没评上引领性，以后一有重污染是不是就得关门", None),  # a firm closing down, not an office's hours
    ("大气办礼拜天几点开门", "办公时间"),
])
def test_closing_down_is_not_office_hours(question: str, kind: str | None) -> None:
    assert asked_fact(question) == kind


@pytest.mark.parametrize(("question", "first"), [
    ("降尘量6吨合格吗", "否："),  # 合格 is the plan's 达标: the amount is checked against the limit
    ("涂料有机物含量不合格的要处罚吗", "方案"),  # a penalty the plan does not set: no 是 from the rule
])
def test_passing_a_limit_in_everyday_words(qa_engine: QAEngine, question: str, first: str) -> None:
    answer = qa_engine.ask(question, DEFAULT_NOW)
    assert answer.text.startswith(first) and answer.refused is (first == "方案")


def test_every_field_asked_of_one_task_is_answered_first(qa_engine: QAEngine) -> None:
    lines = qa_engine.ask("燃气锅炉低氮改造要降到多少 啥时候之前改完 谁管这事", DEFAULT_NOW).text.splitlines()
    assert "30毫克" in lines[0] and lines[1].startswith("时限：2023年10月底前")
    assert lines[2].startswith("责任领导：刘鲲")


@pytest.mark.parametrize(("question", "first"), [
    ("赵局负责啥", "赵永刚 作为责任领导"),  # a leader by surname and title, the only 赵
    ("秦都PM2.5目标", "方案没有单独写明秦都"),  # a target asked bare is a figure; the city's is not the district's
    ("臭氧目标多少", "方案提到了“臭氧”，但没有写明"),  # "5—9月" is a period, not the figure asked
    ("一个县离市区40公里，新扩建涉气重点行业企业是不是也得A级", "否："),  # B级 and above is what the rule asks
])
def test_short_and_careful_asks(qa_engine: QAEngine, question: str, first: str) -> None:
    assert qa_engine.ask(question, DEFAULT_NOW).text.startswith(first)


def test_another_city_points_to_the_plans_own_rule(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("铜川燃气锅炉也按30毫克管吗", DEFAULT_NOW)
    assert answer.refused and "“铜川”" in answer.text and "第10项" in answer.text


@pytest.mark.parametrize(("question", "first"), [
    ("大气办牵头的燃气锅炉低氮改造，啥时候要改完", "时限："),  # 大气办牵头的 describes the task; only "when" is asked
    ("测天上落灰多少的那项活，谁牵头", "牵头单位："),  # 多少的 describes it too
])
def test_a_description_is_not_a_second_ask(qa_engine: QAEngine, question: str, first: str) -> None:
    assert qa_engine.ask(question, DEFAULT_NOW).text.startswith(first)


def test_a_verb_the_tagger_reads_as_a_term_is_not_rewritten_by_the_thesaurus(qa_engine: QAEngine) -> None:
    normal, rewrites = qa_engine.lexicon.normalise("月底要汇报搅拌站那块")
    assert "汇报" in normal and not [r for r in rewrites if r.kind == "thesaurus"]


@pytest.mark.parametrize(("question", "lines"), [
    ("燃气锅炉低氮改造氮氧化物要降到多少 啥时候改完 谁管", ["30毫克", "时限：2023年10月底前", "责任领导：刘鲲"]),
    ("降尘量标准多少 多久测一次 谁牵头", ["5吨", "每月开展监测", "牵头单位：市环境监测站"]),
])
def test_each_field_keeps_its_own_headline(qa_engine: QAEngine, question: str, lines: list[str]) -> None:
    got = qa_engine.ask(question, DEFAULT_NOW).text.splitlines()
    assert all(want in line for want, line in zip(lines, got, strict=False))


def test_a_surname_two_leaders_share_names_both(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("王局负责的是哪几项", DEFAULT_NOW)
    assert answer.intent == "list" and answer.tasks == [7, 23, 27]

"""Texts of the Q&A answers (plain text: the bot renders them as one escaped field).

Every str text is a Template: render(...) fills it for Telegram HTML escaping each field, plain(...) for the
command line. Add your feature's texts here, beside the feature.
"""

from __future__ import annotations

from planbot.render import Template

# Plain text (the bot escapes it); answers put the asked fact first, then the plan's own words.
QA_CITE_TASK = Template("第{number}项 {title}")
QA_NO_RESPONSIBILITY = Template("方案未写明该项的责任领导和单位")
QA_INHERITED = Template("（本项未单列责任分工，沿用其后任务的）")
QA_QUOTE = Template("原文：“{text}”")
QA_PREAMBLE = Template("方案开头")
QA_PARAGRAPH = Template("{text}（见方案“{where}”）")
QA_LIST_LINE = Template("第{number}项 {title} — {detail}")
QA_ROLE_LEAD = Template("牵头")
QA_WHEN_FACT = Template("{label}：{due} — {action}")
QA_TIME_LABELS = {"due": "时限", "start": "起始时间", "period": "时段", "recurring": "频次"}
QA_WHEN_NONE = Template("该项没有写明具体完成时限")
QA_WHEN_NONE_STEP = Template("方案没有写明这项工作的完成时限")
QA_WHEN_OTHER = Template("该项其他时限：{items}")
QA_TIME_WORDS = Template("时间要求：{items}")
QA_LIST_HEADER = Template("{filters}的任务共{count}项（{order}）：")
QA_LIST_ORDER_NUMBER = Template("按编号")
QA_LIST_ORDER_DATE = Template("按时限排序")
QA_FILTER_PERSON = Template("{name} 作为责任领导")
QA_FILTER_PERSON_NOT = Template("责任领导不含 {name}")
QA_FILTER_UNIT_LEAD = Template("{name} 牵头")
QA_FILTER_UNIT_SOLE = Template("{name} 单独牵头（不含与其他单位共同牵头的）")
QA_FILTER_UNIT_RESPONSIBLE = Template("{name} 作为责任单位")
QA_FILTER_UNIT_NOT_LEAD = Template("{name} 不牵头")
QA_FILTER_UNIT_NONE = Template("{name} 不参与")
QA_FILTER_UNIT_ANY = Template("{name} 参与")
QA_ROLE_VIA_GROUP = Template("{role}（{group}）")
QA_UNIT_ROLE = Template("{unit}{role}")
QA_FILTER_UNIT_SHARED_NOT = Template("不含与{name}共同承担")
QA_FILTER_PERIOD = Template("{label}到期")
QA_FILTER_SECTION = Template("“{name}”中")
QA_FILTER_UNDATED = Template("没有写明完成时限")
QA_LIST_OVERDUE_NOTE = Template("是否已完成请以调度情况为准。")
QA_LIST_GROUP_NOTE = Template("另有任务的责任单位写作“{groups}”，也可能涉及{name}，可问“{example}负责哪些任务”。")
QA_LIST_EMPTY = Template("方案中没有{filters}的任务。")
QA_LIST_PLAN_SPAN = Template("本方案的完成时限从{first}到{last}。")
QA_LIST_EMPTY_HINT = Template("可以问“{example}要完成哪些任务”或“某人负责哪些任务”。")
QA_REFUSE = Template("方案中没有关于“{topic}”的内容，无法回答。\n"
             "可以问方案里的任务，例如：某项工作什么时候完成、由谁负责、牵头单位是谁、限值是多少，"
             "某人或某单位负责哪些任务，某月要完成哪些任务，或者“第{number}项是什么”。")
QA_REFUSE_NEAR = Template("方案中没有关于“{topic}”的内容，无法回答。\n"
                          "方案里相近的是{label}“{title}”，可以问这一项的时间、责任单位或要求。")
QA_REFUSE_UNNAMED = Template("方案里没有能回答这个问题的内容，无法回答。\n"
                             "可以问方案里的任务，例如：某项工作什么时候完成、由谁负责、牵头单位是谁、限值是多少，"
                             "某人或某单位负责哪些任务，某月要完成哪些任务，或者“第{number}项是什么”。")
QA_REFUSE_NEAR_UNNAMED = Template("方案里没有能回答这个问题的内容，无法回答。\n"
                                  "方案里相近的是{label}“{title}”，可以问这一项的时间、责任单位或要求。")
QA_REFUSE_AMOUNT = Template("方案提到了“{topic}”，但没有写明相关的具体数字，无法回答。\n"
                    "可以问方案里写明的时限、责任单位或限值，例如“第{number}项是什么”。")
QA_REFUSE_AMOUNT_NEAR = Template("方案提到了“{topic}”，但没有写明相关的具体数字，无法回答。\n"
                                 "方案里相近的是{label}“{title}”，可以问这一项的时间、责任单位或要求。")
QA_REFUSE_AMOUNT_UNNAMED = Template("方案没有写明相关的具体数字，无法回答。\n"
                                    "可以问方案里写明的时限、责任单位或限值，例如“第{number}项是什么”。")
QA_REFUSE_PAST = Template("本方案是{plan_year}年的工作方案，只写{plan_year}年的目标和任务，没有{year}年的目标或实际情况，无法回答。\n"
                  "可以问方案里的任务，例如：某项工作什么时候完成、由谁负责、限值是多少，或者“第{number}项是什么”。")
QA_ALSO = Template("也可能是指：{text}")
QA_REFUSE_FACT = Template("方案没有写明{kind}。最接近的内容在{label}“{title}”，可以问这一项的时间、责任单位或要求。")
QA_REFUSE_FACT_SECTION = Template("方案没有写明{kind}。最接近的内容在方案的“{label}”部分。")
QA_REFUSE_FACT_PLAN = Template("方案没有写明{kind}。可以问方案里写明的时限、责任单位或限值，例如“第1项是什么”。")
QA_LIST_MENTIONED = Template("正文还提到“{name}”的任务（按编号）：")
QA_TOPIC_LIST = Template("与“{topic}”有关的任务共{count}项（按编号）：")
QA_CAVEAT_NEAREST = Template("（以上是方案中最接近的内容。）")
QA_PART_MISSING = Template("方案没有写明{kind}。")
QA_SMALL_TALK = Template("您好！我可以回答《{title}》里的问题。\n"
                         "可以问方案里的任务，例如：某项工作什么时候完成、由谁负责、牵头单位是谁、限值是多少，"
                         "某人或某单位负责哪些任务，某月要完成哪些任务，或者“第{number}项是什么”。")
QA_CAVEAT = Template("（方案没有直接提到“{words}”，以上是最接近的内容。）")
QA_READ_AS = Template("（按“{meant}”理解“{said}”。）")
QA_EMPTY_QUESTION = Template("请输入要问的问题，例如：“{title}什么时候完成？”或“{person}负责哪些任务？”")
QA_EXAMPLE_PERSON = Template("某位责任领导")
QA_TASK_MISSING = Template("方案中没有第{number}项任务（共有第{first}—{last}项）。可以发送“第{first}项是什么”查看。")

# Pieces of answers and of the index, filled with .plain() (the answer is escaped as a whole by the bot).
QA_TASK_LABEL = Template("第{number}项")
QA_GENERAL_HEADING = Template("方案总体要求")
QA_FIELD_LINE = Template("{field}：{value}")
QA_FACT_CITED = Template("{fact}（{cite}）")
QA_PLACE_FIGURE = Template("{place}：{figure}")
QA_CITE_PAREN = Template("（{cite}）")
QA_STEP_ACTION = Template("{text}（{action}）")
QA_DUE_MONTH_END = Template("{year}年{month}月底前")
QA_INDEX_TEXT = Template("{title}。{title}。{text}。{section}")  # what BM25 sees, not shown to users
QA_LLM_PROMPT = Template("问题：{question}\n\n方案原文：\n{sources}\n\n参考答案：\n{answer}")

# Yes/no answers on a plan's limits: {verdict} is one of the words below.
QA_YESNO_EXCEPTION = Template("{words}{verdict}方案列出的除外情形（{plan}…除外）")
QA_YESNO_SCOPE = Template("{words}{verdict}方案规定的范围（{plan}）")
QA_YESNO_LIMIT = Template("{answer}：{words}{verdict}方案的限值（{plan}）")
QA_YESNO_REQUIREMENT = Template("{answer}：{words}{verdict}方案的要求（{plan}）")
QA_GRADE_UNNAMED = Template("方案没有提到“{grades}”，它的要求是：")
QA_GRADE_OTHER = Template("否：方案没有提到“{grades}”，它的要求是：")
QA_YESNO_SAME_TIME = Template("是：方案的时限是{due}")
QA_YESNO_OTHER_TIME = Template("否：方案的时限是{due}，不是{asked}")
QA_YESNO_IN_TIME = Template("是：{asked}在方案的时限（{due}）之内")
QA_YESNO_LATE = Template("否：{asked}晚于方案的时限（{due}）")
QA_KIND_TIME = Template("具体时间")
QA_KIND_CHOICE = Template("两者中用哪一种")
QA_KIND_WHO_DOES = Template("由谁{action}")
QA_KIND_HOW_DOES = Template("怎么{action}")
QA_KIND_MEMBERS = Template("{group}具体包括哪些")
QA_KIND_ALSO = Template("{things}是否也这样")
QA_KIND_OTHER_KIND = Template("{thing}的要求（这一项说的是{own}）")
QA_KIND_YEAR = Template("{year}年的安排（本方案是当年的工作方案）")
QA_KIND_THING_FIGURE = Template("{thing}的数字（这一项的数字说的是它自己的对象）")
QA_KIND_OTHER_NAMED = Template("{things}的安排（这一项只写了它点名的{named}）")
QA_KIND_OTHERS = Template("其他{thing}的安排（这一项只写了它点名的）")
QA_KIND_REMAINDER = Template("其余部分的安排（只写了其中一部分的比例）")
QA_REFUSE_PLACE_FIGURE = Template("方案没有单独写明{place}的这个数字；“{where}”里的数字不是按{place}定的，无法回答。")
QA_YESNO_CLAUSE = Template("{answer}：{clause}")
QA_YESNO_GRADE = Template("{answer}：{scope}，须达到{grade}")
QA_YESNO_FIGURE = Template("{answer}：方案写的是“{plan}”")
QA_YESNO_ROLE_YES = Template("是：{name}是{label}的{role}")
QA_YESNO_ROLE_NO = Template("否：{name}不是{label}的{role}")
QA_YESNO_ROLE_UNSAID = Template("{label}的{role}写的是“{group}”，没有点名具体是哪些，方案没有写明是否包括{name}")
QA_YESNO_ROLE_ALSO = Template("否：{label}的{role}是{names}")
QA_ROLE_EITHER = Template("牵头单位或责任单位")
QA_YES = Template("是")
QA_NO = Template("否")
QA_INSIDE = Template("属于")
QA_OUTSIDE = Template("不属于")
QA_NOT_OVER = Template("没有超过")
QA_OVER = Template("超过了")
QA_MEETS = Template("达到了")
QA_FAILS = Template("达不到")

# Periods a question names, as answers restate them.
QA_MONTH_DAY = Template("{month}月{day}日")
QA_SPAN = Template("{start}—{end}")
QA_PERIOD_FROM = Template("{year}年{month}月{day}日以后")
QA_PERIOD_OVERDUE = Template("截至{year}年{month}月{day}日已过期限")
QA_PERIOD_THIS_MONTH = Template("本月（{year}年{month}月）")
QA_PERIOD_NAMED_MONTH = Template("{word}（{year}年{month}月）")
QA_PERIOD_NAMED_QUARTER = Template("{word}（{year}年第{quarter}季度）")
QA_PERIOD_NAMED_SPAN = Template("{word}（{start}—{end}）")
QA_PERIOD_NAMED_DAY = Template("{word}（{day}）")
QA_PERIOD_MONTH = Template("{year}年{month}月")
QA_PERIOD_MONTHS = Template("{year}年{first}—{last}月")
QA_PERIOD_MONTH_LIST = Template("{year}年{months}月")
QA_PERIOD_QUARTER = Template("{year}年第{quarter}季度")
QA_PERIOD_FIRST_HALF = Template("{year}年上半年")
QA_PERIOD_SECOND_HALF = Template("{year}年下半年")
QA_PERIOD_YEAR = Template("{year}年")
QA_PERIOD_THIS_YEAR = Template("今年（{year}年）")

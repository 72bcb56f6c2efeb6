"""Kinds of fact a question may ask that a plan may not write at all (money, a reason, progress…), and how a plan
would write each: a question asking one the best task does not state is refused with that task as a pointer."""

from __future__ import annotations

import re
from collections.abc import Sequence

# What kind of fact a question asks for that a plan may not state at all, and how a plan would state it.
FACT_KINDS: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    # A plan sets what is to be done by when; whether it has been done is the ledger's (/report), not the plan's.
    "实际进展": (re.compile(r"(?:完|好|成|用|运|发|过)(?:了)?没(?:有)?(?:[？?，,。]|$)|"
                        r"(?:完成|改完|做完|建成|建好|投用|投运|发布|印发|出台|装完|装好|停产)了(?:吗|么|没|没有)|"
                        r"已经.{0,12}(?:了吗|了没|了么|没有)|现在.{0,8}(?:进展|进度|怎么样了|到哪)|"
                        r"进展(?:如何|怎样|怎么样|到哪)|进度(?:如何|怎样|怎么样|到哪)|到哪一步|已经被|"
                        r"完成(?:了)?多少(?:了)|完成得(?:怎么样|咋样|如何)|完成情况|"
                        r"(?:创成|完成|建成|改完|装完|评上)(?:了)?几[家个台项]了"),
             re.compile(r"已(?:经)?(?:完成|建成|投用|投运|印发)")),
    "频次": (re.compile(r"(?:多久|多长时间|几天|几个月|几周)(?:[^，。？?,]{0,4})一[次回趟遍]|"
                      r"几次|多少次|几回|几趟|多少趟|几遍|频次|频率|每隔多久|隔多长时间|"
                      # a frequency put forward in a yes/no question ("是每周飞一次吗")
                      r"每[年季月周天日旬][^，。？?]{0,4}一[次回趟遍]"),
           re.compile(r"每[年季月周天日旬]|[\d一二两三四五六七八九十]+[辆车人]?次|(?<![本上下])[季月周旬](?:调度|通报|考核)")),
    "办理手续": (re.compile(r"什么手续|哪些手续|啥手续|办理流程|怎么办理|如何办理|"
                        r"(?:交|提交|准备|需要|要|带|报)(?:哪些|什么|啥)[\u4e00-\u9fff]{0,4}材料|材料清单|申请材料|"
                        r"材料交给谁|审批流程|报批流程|申报流程|流程(?:咋|怎么|如何)走|走(?:啥|什么)流程|具体流程|流程是(?:什么|啥)|"
                        r"(?:去|到|在)哪(?:儿|里)?办|办(?:啥|什么)?手续"),
             re.compile(r"手续|办理流程")),
    "分值": (re.compile(r"扣多少分|扣几分|扣分|加几分|加多少分|多少分|(?:怎么|如何|咋)打分|打分(?:咋|怎么|如何)打|"
                      r"评分(?:标准|规则|办法|细则)|打几分|"
                      r"[打评]分细则"),
           re.compile(r"\d+(?:\.\d+)?分")),
    "金额": (re.compile(r"多少钱|多少元|多少万元|几万元|多少万块|几万块|补多少|补贴|补助|奖多少|奖金|奖励多少|"
                      r"罚多少|罚款|罚金|经费|预算|谁(?:来)?(?:出钱|掏钱|付钱|掏|买单|承担费用)|费用(?:由谁|谁)|"
                      r"钱(?:由)?谁(?:来)?(?:出|掏|付)|"
                      # who pays, as a choice ("企业自己出还是财政出")
                      r"(?:财政|政府|企业自己|自己|企业)(?:出|掏|承担)(?:还是|吗|呢|[？?]|$)|还是(?:财政|政府|企业)(?:出|掏)|"
                      r"[装建检修维]费|"
                      r"资金多少|多少资金|花多少|拨了?多少|收费|缴费|交费|[费税](?:怎么|咋|如何)(?:收|交|缴)|"
                      r"费用[^，。？?]{0,4}多少|多少费用|(?:给不给|有没有|能不能)(?:补偿|赔偿)|补偿|赔偿|"
                      r"[交收要花给]钱|"
                      # a sum put forward ("一次奖500块对吧")
                      r"\d+(?:\.\d+)?\s*(?:块|元|万元|万块)"),
           re.compile(r"\d+(?:\.\d+)?\s*[万亿]?元")),
    "颜色": (re.compile(r"什么颜色|哪种颜色|颜色"), re.compile(r"[红橙黄绿青蓝紫白黑]色")),
    # "老板打电话问…" tells how a question came in; it does not ask for a number.
    "联系电话": (re.compile(r"(?<![打来接通回])电话|联系方式|手机号|热线"), re.compile(r"\d{7,}")),
    "公司名称": (re.compile(r"哪家公司|哪个公司|什么公司|公司名|公司是哪|哪(?:个|家)厂家|什么厂家|厂家是|"
                        r"(?:机构|第三方|第四方|单位)是哪家|哪家(?:机构|第三方|第四方)|"
                        r"什么牌子|哪个牌子|品牌|(?:装|用|买|选)哪家的?(?:[？?。]|$)"),
             re.compile(r"公司")),
    "处罚": (re.compile(r"(?:怎么|如何|怎样|咋)处罚|怎么罚|咋罚|处罚标准|罚不罚|会不会(?:被)?罚|(?:要|会|得)被?处罚"),
           re.compile(r"处罚|罚款|追究|查处|移交|移送")),
    # A plan says what is to be done, seldom why ("为啥不定Ⅱ类"): a reason is answered only where it is written.
    "原因": (re.compile(r"为啥|为什么|为何|啥原因|什么原因|原因是|凭啥|凭什么|什么理由|啥理由|咋就"),
           re.compile(r"因为|由于|原因|为了|旨在")),
    # (A firm "关门" in a yes/no is its closing down — "一有重污染是不是就得关门" — not an office's hours.)
    "办公时间": (re.compile(r"几点|上班|下班|(?<![是就得要会])(?:开门|关门)|办公时间|值班时间|工作时间|节假日"),
             re.compile(r"\d{1,2}[:：点]|工作日")),
    "具体地址": (re.compile(r"哪条街|哪条路|什么路|地址|具体位置|在哪(?:儿|里)?办公|门牌|位置在哪|"
                        r"哪个(?:镇|乡|村|街道|楼|园区)|在哪(?:个|栋)楼|在哪(?:儿|里)?(?:开|召开|举行)|"
                        r"在哪(?:儿|里)?(?:[？?。\s]|$)|在什么地方"),
             re.compile(r"[路街巷]\d+号|地址|设在|位于")),
    # A plan names its leaders and units; the people of a unit, an expert panel or a company it does not list.
    # "组长是谁" may be answered by a role ("局主要领导任组长"); "组长叫啥名字" asks the name itself.
    "人员姓名": (re.compile(r"(?:专家|人员|成员|主任|局长|科长|队长|站长|组长|书记|处长|老板|法人)(?:叫|姓)(?:什么|啥)|"
                        r"(?:是谁|哪位)[^，。？?]{0,4}叫(?:什么|啥)名|"
                        r"姓(?:什么|啥)"),
             re.compile(r"(?!)")),
    # Who holds an office or what post a person holds: the plan names leaders of tasks, not posts.
    "职务": (re.compile(r"(?:啥|什么|哪个)职务|职务是|(?:哪个|什么|啥)科室的|"
                      r"(?:主任|科长|局长|处长|站长|队长|书记)(?:现在)?(?:是?谁(?!兼)|叫什么|叫啥|是哪位)"),
           re.compile(r"(?<!负责)同志(?:任|兼任)")),  # a person named for a post ("…同志任组长")
    # One person inside a unit ("大气办具体哪个人负责", "哪个同志对接"), not who in general ("门禁具体谁负责"): the
    # plan names units and leaders, never the officer who handles a thing.
    "具体联系人": (re.compile(r"(?:哪个|哪位|具体哪个)(?:科长|处长|主任|局长|同志|工作人员|经办人)|"
                         r"(?:办|局|科|站|队|中心|分局)(?:里|里面)?具体(?:是)?(?:哪个人|哪位|哪个同志)|"
                         r"联系人(?:是谁|是哪位)"),
              re.compile(r"(?!)")),
    "人员名单": (re.compile(r"(?:专家|人员|成员|工作人员|联系人|主任|局长|科长|队长|站长|书记|处长|老板|法人|经办人)"
                        r"(?:都|分别)?(?:有|是)谁|(?:专家|人员|成员)名单|"
                        r"(?:都)?(?:有|是)(?:哪些|哪几位|哪几个)(?:专家|人员|成员)"),
             re.compile(r"专家(?:组)?(?:成员)?[：:]|为成员")),
    # Which firms exactly, when the plan gives only their number ("那5家是哪几家").
    "企业名单": (re.compile(r"(?:是|有)哪几家(?:企业|公司|厂)?(?:[？?。]|$)|具体是哪(?:几|些)(?:家|个厂|些厂|厂)|"
                        r"名单[^，。？?]{0,2}哪(?:几|些)家|"
                        r"哪几家企业|哪些企业已经|"
                        # the firms of a list the plan only names ("保留名单包括哪些企业", "名单里有哪些")
                        r"名单(?:里|中|上)?(?:都)?(?:包括|包含|有)(?:哪些|哪几家|什么)|具体(?:要)?[\u4e00-\u9fff]{0,4}哪些企业|"
                        # whether a firm is on a list the plan only names ("鑫达橡胶厂在不在保留名单里")
                        r"(?:在不在|是不是在|有没有在|在没在)[^，,。？?]{0,12}名单"),
             re.compile(r"有限公司|公司|集团")),
    # Which roads or sites exactly, where the plan names only the kind of work ("市政道路划线…具体是哪几条路").
    "具体地点": (re.compile(r"哪(?:几|些)条(?:路|街|道路|马路)|哪些(?:路段|街道|点位|工地)"),
             re.compile(r"[\u4e00-\u9fff]{2,}[路街](?:、|，|）)")),
    "企业情况": (re.compile(r"(?:做|生产|造)(?:什么|啥)(?:产品)?的|主营|主要产品|产品是"), re.compile(r"产品")),
    "持续时间": (re.compile(r"停(?:产)?(?:几|多少)天|停(?:产)?多久|停(?:产)?多长时间|持续(?:几|多少)天|持续多久|"
                        r"(?:保存|保留|存)(?:多久|多长时间|几年|几个月|几天)|"
                        r"(?:几|多少)(?:天|个工作日)内"),
             re.compile(r"[\d一二两三四五六七八九十]+(?:个)?(?:天|日|小时)")),
    "执行标准": (re.compile(r"(?:按|依|依据|执行|参照|用)(?:啥|什么|哪个|哪些|哪一个)标准|验收标准|什么标准验"),
             re.compile(r"标准|规范|导则|GB|[ABCD]级|水平|毫克|微克|限值")),
    # How a rating or an acceptance is judged ("A级绩效具体评定标准是啥"): a plan names the rating, its criteria
    # stand in the rating's own rules.
    "评定细则": (re.compile(r"(?:评定|评级|评价|认定|验收|考核|分级)的?(?:具体)?(?:标准|指标|细则|办法|条件)|"
                        r"(?:要|得)?看哪些指标"),
             re.compile(r"(?:评定|评级|评价|认定|验收|考核|分级)(?:标准|指标|细则|办法|条件)")),
    # Where one's own firm stands ("我们厂在应急减排清单里是几级"): a plan sets rules for kinds of firms, it does not
    # list the asker's.
    "具体某家企业的情况": (re.compile(r"(?:我们|咱们?|俺们?|额们|我)的?(?:厂|企业|公司|单位|工地|站)[^，。？?]{0,12}?"
                           r"(?:在不在|是不是在|有没有在|算不算|是几级|评的几级|(?:什么|啥)级别|几级管控|排第几|"
                           r"在[^，。？?]{0,8}(?:名单|清单)(?:里|中|上))"),
                re.compile(r"(?!)")),
    "获取渠道": (re.compile(r"下载|网址|链接|公众号|在哪(?:能|可以)?(?:看|查|找)到"),
             re.compile(r"网址|http|www|公众号")),
    # What a term means exactly ("算不算", "咋界定", "有啥区别"): a plan uses its terms, it seldom defines them.
    # ("…指的是哪四个厂", "…啥意思" of the plan's own short forms are answered from the text; "6吨算不算超标" compares.)
    "具体界定": (re.compile(r"具体指(?:的是)?(?:啥|什么|哪)|算不算(?:[？?。\s]|$)|"
                          r"具体是(?:啥|什么)(?:标准|意思)|[级类]是(?:啥|什么)(?:标准|意思)|"
                          r"(?:咋|怎么|如何)界定|界定标准|(?:啥|什么)样的[\u4e00-\u9fff]{0,8}(?:才)?算|"
                          r"按(?:啥|什么|几|多少|平均)[\u4e00-\u9fff]{0,6}算|区别在哪|(?:有)?(?:啥|什么)区别|差在哪|"
                          r"怎么定义|定义是|有(?:啥|什么)不(?:一样|同)|从哪(?:儿|里)?(?:起算|算起|开始算)|"
                          r"(?:咋|怎么|如何)区分|区分(?:标准|依据)"),
              re.compile(r"是指|指的是|界定为|定义为|所称")),
    # The content of another document the plan only cites ("…14号文里具体有哪几项").
    "其他文件内容": (re.compile(r"号文(?:件)?(?:里|中|上)|〔\d{4}〕\d+号(?:里|中|上)|"
                          # another plan the task is to draw up ("差异化管控方案里…具体怎么管"), not this one
                          r"(?<=[\u4e00-\u9fff])(?<!本)(?<!这个)(?<!细化)(?<!咱们)(?<!我们)(?<!行动)方案(?:里|中)[\u4e00-\u9fff]{0,12}(?:具体|都有|有哪)|"
                          r"(?:通知|文件|文)里(?:面)?(?:的)?[\u4e00-\u9fff]{0,12}(?:具体|都有|有哪)"),
               re.compile(r"(?!)")),
    # An emission stage ("国几", "什么排放阶段"): answered only where the task states one ("国三及以下").
    "排放阶段": (re.compile(r"国几|第几阶段|哪个阶段|什么阶段|啥阶段|排放阶段"),
             re.compile(r"国[一二三四五六七1-7]|[ⅠⅡⅢⅣⅤⅥ]阶段")),
    # What follows when a target or time limit is missed ("到期没创成会怎么处理"): a plan seldom says.
    "未完成的后果": (re.compile(r"(?:没|未|没有)(?:完成|创成|达到|达标|干完|做完|升到|评上)[^，。？?]{0,8}?(?:会|要)?"
                           r"(?:怎么|咋|如何)(?:处理|办|样)|完不成(?:会|要)?(?:怎么|咋)"),
               re.compile(r"未完成|未按期|逾期|问责|约谈")),
    # What is done to whoever breaks a rule ("降尘超过5吨的县会被咋处理"): answered where the task says it.
    "处理方式": (re.compile(r"会被?(?:怎么|咋|如何)(?:处理|处置|办|罚)|会(?:怎么|咋)样|"
                        r"会(?:不会)?被(?:问责|约谈|追责)"),
             re.compile(r"打击|查处|处罚|追究|责令|问责|约谈|停产|淘汰|关停")),
    # An exception asked for ("有没有例外", "能申请豁免不"): only where the rule lists one ("…除外").
    "例外情况": (re.compile(r"例外|豁免|除外|特殊情况|网开一面|通融"), re.compile(r"除外|例外|豁免")),
    # Which pollutants a monitor measures, which platform or app a system runs on: detail below a plan's level.
    "监测因子": (re.compile(r"(?:监测|测)(?:哪些|什么|啥|哪几种?)(?:污染物|因子|指标|项目)"),
             re.compile(r"监测(?:因子|项目|指标)[：:]")),
    # The device, agent or process a named project uses ("用啥样的燃烧器", "什么催化剂", "啥原理"): a plan sets the
    # result to reach and seldom the engineering, except where it names a method ("…升级为催化燃烧法").
    "具体工艺或设备": (re.compile(r"(?:啥|什么|哪种|哪个|哪款|哪类)样?的?[\u4e00-\u9fff]{0,2}?"
                               r"(?:燃烧器|催化剂|药剂|吸附剂|滤料|滤袋|型号|工艺|技术路线|原理)|原理是|"
                               r"(?:用|采用|上)(?:啥|什么|哪种|哪个)(?:样的?)?技术|"
                               # how a technique is carried out ("SCR脱硝技术具体怎么做")
                               r"(?:技术|工艺)[^，,。？?]{0,4}(?:具体)?(?:怎么|咋|如何)(?:做|搞|弄|实现|操作)"),
                    re.compile(r"(?<![办方执依违做守立])法(?![规律治])|工艺|技术路线")),
    "具体平台": (re.compile(r"哪个[\u4e00-\u9fff]{0,2}(?:APP|app|App|平台|系统|软件)|"
                        r"(?:什么|啥)(?:APP|app|App|平台|软件)"),
             re.compile(r"平台|APP|app|软件")),
    # A plan of a year schedules work; the weather or the air of a given day is a forecast's business.
    "天气或空气质量预报": (re.compile(r"预报|(?:今天|明天|后天|这两天|近几天|下周|这周|本周|周末|今晚)"
                             r"(?:.{0,8}(?:天气(?!应急|预案|预警)|下雨|下雪|刮风|雾霾|空气质量|AQI|优良|"
                             r"(?:会|有)(?:不会|没有)?(?:重)?污染)|"
                             r".{0,12}(?:启动|发布).{0,6}(?:预警|应急响应))"),
                  re.compile(r"空气质量预报")),
    # The form of a report (its template, its fields): the office's circular says it, not the plan.
    "格式模板": (re.compile(r"(?:什么|啥|哪个)(?:模板|格式|样表)|模板(?:是|在哪)|(?:包含|包括|写)哪些内容|填报格式"),
             re.compile(r"模板|格式|样表")),
    # A response's levels and what starts each belong to the emergency plan, not the action plan.
    "启动条件": (re.compile(r"分几级|分为几级|(?:啥|什么|哪些)条件(?:下)?(?:启动|发布|触发)|启动条件|触发条件"),
             re.compile(r"分为[一二三四五六七八九十\d]+级|启动条件")),
    # Statistics of the city itself (population, output, area): the plan sets work, it does not describe the city.
    "统计数据": (re.compile(r"人口|(?:GDP|gdp|生产总值|产值)(?:是)?多少|面积(?:有)?多大|面积是多少"),
             re.compile(r"人口|万人|生产总值|平方公里(?!）)")),
    "人员数量": (re.compile(r"多少(?:个)?人(?!员)|几个人|人员编制|多少编制|人员配备"),
             re.compile(r"[\d一二两三四五六七八九十]+(?:个|名)?人")),
}


_ASKS_WHICH = re.compile(r"哪(?:几|些)")
_EXAMPLES = re.compile(r"、[^，。；、]{1,14}、[^，。；]{1,14}等")  # a list of three or more ending in 等
_PER = re.compile(r"[每一](天|日|周|星期|礼拜|月|个月|年|季度?)")
_COUNT_AFTER = r"[^，。；]{0,8}\d+[辆车人]?次"  # "日…进出10辆次", "月均3次": so many times per that unit
_SAME_UNIT = {"天": "[天日]", "日": "[天日]", "星期": "周", "礼拜": "周", "个月": "月", "季度": "季"}


def states_fact(kind: str, question: str, text: str) -> bool:
    """Whether a plan text states the kind of fact asked; a frequency asked per day, week or month must be stated
    per the same unit ("每天几次" is not answered by "每月开展监测")."""
    if kind == "具体界定" and _ASKS_WHICH.search(question) and any(
            text[m.end():m.end() + 2] in question for m in _EXAMPLES.finditer(text)):
        return True  # "低效治理技术具体指哪几种": the plan's "采用A、B、C等低效治理技术" lists them
    if not FACT_KINDS[kind][1].search(text):
        return False
    if kind == "频次" and (m := _PER.search(question)):
        unit = _SAME_UNIT.get(m.group(1), m.group(1))
        # "一天进出多少趟" is answered by "日载货车辆进出10辆次": a count in the clause after the unit is per unit.
        return bool(re.search("每" + unit, text) or re.search(unit + _COUNT_AFTER, text))
    return True


def stating_sentence(kind: str, question: str, sentences: Sequence[str]) -> str | None:
    """The first sentence stating the kind of fact asked ("每月开展监测…" for "多久测一次"), or None."""
    return next((s for s in sentences if states_fact(kind, question, s)), None)


def names_the_plans_words(kind: str, question: str, text: str) -> bool:
    """Whether the words asking the kind of fact are the plan's own ("要加大检测频次吗" where the plan writes
    "加大检测频次"): a yes/no question about that rule, not a request for the fact."""
    found = FACT_KINDS[kind][0].search(question)
    return found is not None and found.group(0) in text


def asked_fact(text: str) -> str | None:
    """The kind of fact asked for among those a plan may lack (frequency, money, phone, company), if any."""
    return next((kind for kind, (ask, _) in FACT_KINDS.items() if ask.search(text)), None)

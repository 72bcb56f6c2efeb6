"""Understanding a question: what is asked (intent) and about what (person, unit, period, task number)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from knowledge.model import Plan
from knowledge.qa.facts import asked_fact
from knowledge.qa.periods import Period, cn_number, find_period, future_year, past_year

Intent = Literal["when", "who", "unit", "howmuch", "list", "task", "what"]
# "not_lead": any task the unit does not lead ("X不牵头的"); "none": tasks it takes no part in ("不是X管的").
Role = Literal["lead", "responsible", "not_lead", "none", "any"]

# Unit-type endings: a unit is also called by what precedes them ("秦都分局" → "秦都").
_UNIT_ENDINGS = ("分局", "科", "办", "站", "中心", "支队", "大队", "局")
# Generic group names ("各分局") are units of the ledger, but never short forms of a specific one.
_GROUP = re.compile(r"^(各|局直属|有关|相关)")

_N = r"(\d+|[零一二两三四五六七八九十百千]+)"
_TASK_NUMBER = re.compile(
    r"第\s*" + _N + r"\s*(?:项|条|个任务|号任务|号)|" + _N + r"\s*号任务|任务\s*(\d+)(?![\d年月日号])|^\s*(\d+)\s*$|"
    # "35项谁负责" opens with the number, 第 left out as on a phone ("37项重点任务" counts them, it names none)
    r"^\s*(\d{1,4})\s*项(?!重点|任务|工作|目标|措施)"
)
# Only supporting ("只配合") is the responsible role; not leading alone ("不牵头的"): every task it does not lead.
_ONLY_SUPPORT = re.compile(r"只(?:是)?配合|仅(?:是)?配合|只当?责任单位|"
                           r"(?:参加|参与|有份)[^，,。？?]{0,4}(?:但|但是|可|却)?不(?:是)?牵头")  # "参加但不是牵头的"
# Negation and exclusivity of a role: "不牵头只配合", "非牵头" ask for tasks where the unit is not the lead.
_NOT_LEAD = re.compile(r"不(?:是)?牵头|非牵头|" + _ONLY_SUPPORT.pattern)
# Leading together with another unit is leading ("联合牵头也算").
_CO_LEAD = re.compile(r"(?:联合|共同|一起)牵头(?:的)?(?:也算|也行|算不算|也要)?")
# Tasks with no time limit asked as a list ("没写完成时限的任务有哪些", "没有期限的").
_UNDATED = re.compile(r"(?:没|无|未)(?:有)?(?:写|明确|规定|写明)?(?:具体)?(?:完成)?"
                      r"(?:时限|期限|截止时间|完成时间|时间要求)")
# Exclusion of a leader: "不是刘鲲管的", "除了刘鲲（以外）", "刘鲲以外", "非刘鲲", "没有刘鲲的" ask for the tasks others
# lead ("有没有刘鲲的" asks whether there are any, it excludes no one).
_EXCLUDE_BEFORE = re.compile(r"(?:不是|不归|不由|除了|除|非|(?<!有)没有|不含|不包括|不带)$")
# The same for a unit, anywhere in the question: "哪些不是大气办管的", "除了大气办以外".
_EXCLUDE_UNIT = re.compile(r"(?:不是|不归|不由)[^，,。？?]{1,14}(?:管|负责|牵头|参与)的|"
                           r"除了?[^，,。？?]{1,14}(?:以外|之外)|"
                           r"(?:除了?|不含|不包括|除去|去掉)[^，,。？?]{1,14}(?:牵头|负责|参与)的")
_EXCLUDE_AFTER = re.compile(r"^(?:以外|之外|不管|不负责|不分管|不是|不当|没当)")
# Either role asked at once ("牵头配合都算", "牵头或者责任单位点名的", "参与的…都算").
_EITHER_ROLE = re.compile(r"牵头[^，,。？?]{0,4}(?:配合|责任单位)|(?:配合|责任单位)[^，,。？?]{0,4}牵头|都算")
# Two units named together ("执法支队和大气办一起牵头的"): the tasks they share.
# A unit leading alone, not with another ("单独牵头", "跟别的单位一块牵头的不算").
_SOLE = re.compile(r"单独|独自|独立|一家牵头|(?:跟|和|与)(?:别的|其他|其它)[^，,。？?]{0,8}(?:不算|除外|不要)|"
                   r"不(?:跟|和|与)(?:别的|其他|其它)")
_TOGETHER = re.compile(r"一起|共同|联合|都(?:有|参与|牵头|负责)|同时")
# A second unit excluded from the first's tasks ("…牵头的，除了跟大气办一起牵头的"): the words right before it.
_EXCLUDE_OTHER = re.compile(r"(?:除了?|不含|不包括|不算|去掉)[^，,。？?]{0,3}$")
_WHO = re.compile(r"谁|责任领导|哪位领导|哪个领导|领导是|分管领导|包抓领导")
# "单位" asks for a unit only in asking forms: "排污单位", "餐饮单位" are subjects.
# A title typed after a leader's name ("刘鲲局长", "王光明同志") names the same person, not another topic.
_TITLE = r"(?:副?(?:局长|市长|县长|区长|主任|科长|处长|队长|站长|书记|组长|部长)|同志|领导)?"
_UNIT = re.compile(
    r"(?:哪个|哪些|哪家|什么|牵头|责任|负责|配合|参与)单位|单位(?:是|有|为)|部门|哪个科|哪些科|科室|哪个分局|哪些分局|哪几个(?:分局|单位|部门|科室|局)|哪个局|哪家|牵头|配合|涉及哪些|"
    r"负责单位|责任主体"
)
_WHEN = re.compile(
    r"什么时候|何时|啥时候|(?<!换个)(?<![换错])(?<!错开)时间(?!段)|期限|时限|截止|日期|哪天|哪一天|几月|几号|多久(?!.{0,3}一次)|"
    r"节点|之前完成|前完成|何日|哪个月|月份|到期|(?<!比)哪一?年"
)
# Measure words a count is asked in ("几家", "几位", "多少台"): the answer must state a number in the same one.
MEASURES = "家个项天吨辆次台座人位名条批轮户处所套"
_TITLED = re.compile(r"([\u4e00-\u9fff])(?:局长|局|主任|书记|总)")  # a leader by surname and title ("赵局")
BARE_TARGET = re.compile(r"(?:目标|指标)(?:是)?(?:啥|什么)?(?:[？?。]|$)")  # "秦都PM2.5目标": its figure, asked bare
_HOWMUCH = re.compile(
    r"多少|多大|比例|百分之|百分比|几成|占比|标准|限值|不超过|不高于|不低于|(?<![那这些哪])几[家个位名台]|多高|多低|什么水平|第几|"
    r"什么级|哪一级|几级|上限|下限|数量|浓度|达到什么|" + BARE_TARGET.pattern
)
_LISTWORD = re.compile(
    r"哪些|哪几|什么任务|什么工作|什么事|负责什么|牵头什么|管什么|有什么|清单|列表|"
    r"列出|列一下|列下|列个|罗列|列举|捋|梳理|都有|任务|工作|事项|几项|哪几条|哪一?项|的活|"  # "…牵头的活(儿)"
    r"(?:干|做|交|完成|弄|搞|忙)(?:些)?(?:啥|什么|哪些)"  # "武功分局今年都要干啥", "这个月要交啥"
)
# Words that only frame a list question; anything else left over is a subject (a specific question).
_FRAME = re.compile(
    r"哪些|哪几项|哪几个|哪几|什么|有什么|都有|有没有|包括|包含|任务|工作|事项|事情|事|清单|列表|列出|请|帮我|查询|查一下|看看|一下|负责|牵头|"
    r"罗列|列出来|列一下|列下|列个|列举|也算|都算|捋一下|捋一捋|捋|梳理一下|梳理|活儿|活|重点任务|重点工作|而且|并且|同时|且|"
    r"明确写了|写了|写明|点名|点了名|点了|提到|提及|涉及|节点|部分|还有|"
    r"配合|参与|承担|分管|包抓|主要|作为|需要|要|需|应|应该|必须|完成|完(?![善整备全])|到期|截止|期限|的|了|吗|呢|有|是|和|及|与|前|之前|以前|底|由|在|哪|"
    r"给|我|所有|全部|目前|现在|已经|已|还|没|未|逾期|过期|超期|本月|这个月|当月|下个月|下月|上个月|本周|这周|下周|下个星期|今年|"
    r"年内|上半年|下半年|年底|年末|季度|第|项|条|个|共|多少|几|都|可|能|会|做|干|处理|推进|办|单位|领导|责任|相关|以内|以后|月份|份"
)
# Question forms that ask for several tasks ("…有关的任务", "哪些任务", "全部罗列出来").
_LIST_ASK = re.compile(r"(?:哪些|哪几|所有|全部|有关的?|相关的?|涉及)(.{0,3})(?:任务|项(?!目)|条|工作|事)|"
                       r"罗列|列出|列一下|列下|"
                       # the list asked after its noun ("…的任务有哪些", "…的任务是哪几项"), not a task's details
                       r"的(?:任务|工作)(?:都|还|一共|共)?(?:有|是)(?:哪些|哪几|什么)(?!.{0,2}(?:要求|措施|内容|规定|标准|目标))|"
                       # a relation to a topic asked without naming tasks ("…相关的都有哪些")
                       r"(?:有关|相关|涉及)的?(?:都|还)?(?:有|是)(?:哪些|哪几|什么)(?!.{0,2}(?:要求|措施|内容|规定|标准|目标))|"
                       # the work about a topic ("臭氧这块都要做些啥": 这块 reads 有关的)
                       r"(?:有关|相关)的(?:都|还)?(?:要|得|需要)?(?:做|干|搞|落实)(?:些|哪些)?(?:什么|哪些)|"
                       # a topic and "这块" alone ("臭氧这块"): everything on it
                       r"(?<=[\u4e00-\u9fffA-Za-z0-9])(?:有关|相关)的[？?。\s]*$")
def asks_for_list(text: str) -> bool:
    """Whether the question asks for several tasks rather than one fact."""
    return bool(_LIST_ASK.search(text))


def is_frame_word(word: str) -> bool:
    """Whether a word only frames a list ask ("任务", "工作", "哪些"), naming no topic."""
    return bool(_FRAME.fullmatch(word))



_COUNT_WORDS = re.compile(r"一共|总共|共|多少|几|都|还")


def without_list_ask(text: str) -> str:
    """The question without the words that ask for a list ("有关的任务", "哪些任务")."""
    # The topic between ("涉及臭氧的任务") stays; a count between ("有关的一共几项任务") does not.
    return _LIST_ASK.sub(lambda m: f" {_COUNT_WORDS.sub('', m.group(1) or '')} ", text)


# Targets, and another year's own plan ("2024年的…方案"), are per year; a time limit falling in a later year is not.
_TARGET = re.compile(r"目标|指标|考核任务|(?:\d{4}|明|后)年(?:度)?的?[^，。？?\d]{0,10}(?:方案|计划)")
_LATIN_OR_CJK = re.compile(r"[\u4e00-\u9fffA-Za-z]")
# A locative left over ("责任单位里有…的") names nothing.
_LOCATIVE = re.compile(r"[里中内上]")
# A subject left in a question (two or more characters) makes it a specific question, not a list.
_SUBJECT = re.compile(r"[\u4e00-\u9fff]{2,}|[A-Za-z]{2,}")


@dataclass(frozen=True)
class Question:
    """A question as understood: intent, entities, and the subject words left for retrieval."""

    text: str
    intent: Intent
    task_number: int | None = None
    persons: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    role: Role = "any"
    period: Period | None = None
    residual: str = ""  # what remains after entities and framing words: the subject of a specific question
    rest: str = ""  # the question without the names, units and task number it mentions
    past_year: int | None = None  # a year the plan does not cover that the question asks about ("去年", "明年")
    sections: tuple[str, ...] = ()  # sub-sections named by their subject ("臭氧污染防治" → "（六）…臭氧污染防治")
    excluded: bool = False  # the person named is excluded ("不是刘鲲管的"): the tasks others lead
    undated: bool = False  # the tasks asked for are those without a time limit ("没写完成时限的任务")
    other_units: tuple[str, ...] = ()  # units whose shared tasks are left out ("除了跟大气办一起牵头的")
    together: bool = False  # the tasks every unit (or leader) named takes part in ("执法支队和大气办一起牵头的")
    sole: bool = False  # the unit leads alone ("执法支队单独牵头的", "跟别的单位一块牵头的不算")

    @property
    def has_entity(self) -> bool:
        """Whether a list could be built from ledger fields alone."""
        return bool(self.persons or self.units or self.period or self.sections or self.undated)


_SECTION_PARTS = ("部分", "板块", "那块", "这块", "方面", "那部分")


def section_aliases(plan: Plan) -> dict[str, str]:
    """Each sub-section's title, and its subject without the words every title opens with
    ("深入实施臭氧污染防治" → "臭氧污染防治"), mapped to the section's name."""
    titles = [s.title for s in plan.sections if s.title]
    common = ""
    if len(titles) > 1:
        size = 0
        while all(len(t) > size and t[size] == titles[0][size] for t in titles):
            size += 1
        common = titles[0][:size]
    out: dict[str, str] = {}
    for section in plan.sections:
        for alias in (section.title, section.title[len(common):]):
            if len(alias) >= 4:  # a short remainder ("治理") would name no section in particular
                out.setdefault(alias, section.name)
        # "臭氧部分", "燃煤那块": the subject's head word with a word for a part of the plan.
        subject = section.title[len(common):]
        before = subject.split("污染")[0]  # "臭氧污染防治" → "臭氧"; without 污染, the first two characters
        head = before if "污染" in subject and len(before) >= 2 else subject[:2]
        for part in _SECTION_PARTS:
            out.setdefault(head + part, section.name)
    return out


_CLAUSES = re.compile(r"[，,。；;！!？?]")


def question_clauses(text: str) -> list[str]:
    """The parts of a question between its commas, stops and question marks, empty ones left out."""
    return [part for part in _CLAUSES.split(text) if part.strip()]


def unit_aliases(plan: Plan) -> dict[str, str]:
    """Short forms of the plan's unit names ("秦都" → "秦都分局", "执法支队" → "市…执法支队"), from the ledger only."""
    names = [u for u in plan.unit_names if not _GROUP.match(u)]
    aliases: dict[str, set[str]] = {}

    def add(alias: str, unit: str) -> None:
        if len(alias) >= 2:
            aliases.setdefault(alias, set()).add(unit)
        if len(alias) >= 4 and alias.endswith(("支队", "大队")):  # "执法支队" is also said "执法队"
            aliases.setdefault(alias[:-2] + "队", set()).add(unit)

    for group in plan.unit_names:
        if _GROUP.match(group):  # "各分局" is asked about by its full name only
            add(group, group)

    for unit in names:
        add(unit, unit)
        body = unit[1:] if unit.startswith("市") and len(unit) > 3 else unit
        add(body, unit)
        for ending in _UNIT_ENDINGS:
            if unit.endswith(ending) and len(unit) - len(ending) >= 2:
                stem = unit[: -len(ending)]
                if ending == "分局":  # a district: "秦都", also written "秦都区"/"秦都县"
                    add(stem, unit)
                break
        # Tails of long names: "市生态环境保护综合执法支队" is called "综合执法支队" or "执法支队",
        # "市环境监测站" "监测站" — a tail keeps the unit-type ending and at least two characters before it.
        tail_ending = next((e for e in _UNIT_ENDINGS if body.endswith(e)), None)
        if tail_ending:
            add(tail_ending, unit)  # "支队" alone, while one unit only is of that type (shared types drop below)
            for size in range(len(tail_ending) + 2, len(body)):
                add(body[-size:], unit)
            # Heads too: "市宣教信息中心" is called "宣教中心" (the first words of the name plus its type).
            stem = body[: -len(tail_ending)]
            for size in range(2, len(stem)):
                add(stem[:size] + tail_ending, unit)
    # An alias shared by two units names neither.
    return {a: next(iter(us)) for a, us in aliases.items() if len(us) == 1}


def _position(text: str, unit: str, aliases: Mapping[str, str]) -> int:
    """Where the question first names a unit (by any of its aliases)."""
    return min((text.find(a) for a, u in aliases.items() if u == unit and a in text), default=len(text))


def _find_units(text: str, aliases: dict[str, str]) -> tuple[tuple[str, ...], str]:
    """Units named in the text, in the order the question names them (the longest alias wins where two overlap),
    and the text with them removed."""
    found: dict[str, int] = {}
    original = text
    for alias in sorted(aliases, key=len, reverse=True):
        if alias in text:
            found.setdefault(aliases[alias], original.find(alias))
            text = text.replace(alias, " ")
    return tuple(sorted(found, key=lambda u: found[u])), text


def with_leaders_named(text: str, leaders: Sequence[str]) -> str:
    """The text with a leader called by surname and title written out ("赵局" → 赵永刚; "王局" → every leader of
    that surname, joined by 、), unless one of them is already named in full."""
    def named(m: re.Match[str]) -> str:
        people = [p for p in leaders if len(p) >= 2 and p[0] == m.group(1)]
        return "、".join(people) if people and not any(p in text for p in people) else m.group(0)

    return _TITLED.sub(named, text)


def understand(text: str, plan: Plan, now: date, aliases: dict[str, str] | None = None,
               subject: Callable[[str], bool] | None = None) -> Question:
    """Classify the question and pull out its entities; `now` is the bureau's local date; `subject` says whether
    leftover words name a topic (default: any two Chinese characters)."""
    q = with_leaders_named(text.strip(), plan.leaders)
    rest = q
    number: int | None = None
    if m := _TASK_NUMBER.search(q):
        number = cn_number(next(g for g in m.groups() if g))
        if number is not None:
            rest = rest.replace(m.group(0), " ")
    persons = tuple(p for p in plan.leaders if p in q)
    excluded = any(_EXCLUDE_BEFORE.search(q[:q.index(p)]) or _EXCLUDE_AFTER.match(q[q.index(p) + len(p):])
                   for p in persons)
    for p in persons:
        rest = re.sub(re.escape(p) + _TITLE, " ", rest)
    unit_map = aliases if aliases is not None else unit_aliases(plan)
    units, rest = _find_units(rest, unit_map)
    unit_excluded = bool(units and _EXCLUDE_UNIT.search(q))
    # "执法支队牵头的，除了跟大气办一起牵头的": the first unit's tasks without those the second one shares.
    also_excluded = tuple(u for u in units[1:] if _EXCLUDE_OTHER.search(q[:_position(q, u, unit_map)]))
    if also_excluded:
        units, unit_excluded = tuple(u for u in units if u not in also_excluded), False
    # A section's subject makes a list question ("臭氧污染防治有哪些任务"); retrieval keeps those words (`rest`).
    sections: list[str] = []
    residual_text = rest
    for alias, name in sorted(section_aliases(plan).items(), key=lambda item: -len(item[0])):
        if alias in residual_text:
            sections.append(name)
            residual_text = residual_text.replace(alias, " ")
    period = find_period(q, now, plan.year)
    residual_text = residual_text.replace(period.source, " ") if period and period.source else residual_text
    residual_text = re.sub(r"(?:\d{4}年)?\d{1,2}月(?:\d{1,2}日|底|末|份)?", " ", residual_text)
    residual_text = _CO_LEAD.sub(" ", residual_text)
    residual_text = re.sub(r"[\d\s\W_]+", " ", _FRAME.sub(" ", residual_text)).strip()
    # A role ("不牵头只配合的", "不是…管的") beside a unit or person is the filter of a list, not its subject.
    residual_text = re.sub(r"\s+", " ", _NOT_LEAD.sub(" ", _EXCLUDE_BEFORE.sub(" ", residual_text))).strip()
    role: Role = "responsible" if _ONLY_SUPPORT.search(q) else "not_lead" if _NOT_LEAD.search(q) else (
        "any" if _EITHER_ROLE.search(q) else
        "lead" if "牵头" in q else ("responsible" if re.search(r"责任单位|配合", q) else "any"))
    undated = bool(_UNDATED.search(q)) and number is None
    if undated:
        residual_text = _UNDATED.sub(" ", residual_text).strip()
    if unit_excluded:
        # "除了大气办以外的单位牵头的": the tasks others lead; "哪些不是大气办管的": the tasks it takes no part in
        role = "not_lead" if role == "lead" else "none"
    sole = len(units) == 1 and role == "lead" and bool(_SOLE.search(q))
    together = (len(units) > 1 or len(persons) > 1) and bool(_TOGETHER.search(q))
    if sole:
        residual_text = re.sub(r"\s+", " ", _SOLE.sub(" ", residual_text)).strip()  # "单独" frames the ask
    has_subject = subject(residual_text) if subject is not None else bool(_SUBJECT.search(residual_text))

    intent: Intent
    if number is not None:
        intent = field_intent(q) or "task"
    elif (persons or units or period or sections or undated) and not has_subject and (
            _LISTWORD.search(q) or _NOT_LEAD.search(q) or excluded or unit_excluded or sole or together
            or not _LATIN_OR_CJK.search(_LOCATIVE.sub("", residual_text))):
        intent = "list"
    elif sole and _LISTWORD.search(q) and not (_WHEN.search(q) or _HOWMUCH.search(q)):
        intent = "list"  # "支队单独牵头的（不算跟别的科室联合牵头的）都有哪些": the asides only restate the filter
    else:
        intent = field_intent(q) or "what"
    # A deadline may fall in the next year, but the plan's targets and amounts are for its own year only:
    # "明年的PM2.5目标" is about a year it sets nothing for, "明年3月底前完成的任务" is not.
    target = intent == "howmuch" or bool(_TARGET.search(q))
    covered = set() if target else {d.date.year for t in plan.tasks for d in t.deadlines if d.date}
    past = past_year(q, now, plan.year) or future_year(q, now, plan.year, covered)
    if intent not in ("list", "task") and (units or persons or period):
        # "大气办牵头的事一共有哪些，领导让我汇总", "12月底前要完成的有哪些，年底考核要盯": the first clause is a
        # list ask on its own, the rest its occasion (not "铸造厂改造，除了大气办以外…都有谁", whose first clause
        # names the topic).
        first = _CLAUSES.split(q)[0]
        if first != q and _LISTWORD.search(first):
            alone = understand(first, plan, now, aliases, subject)
            if alone.intent == "list":
                return alone
    return Question(q, intent, number, persons, units, role, period, residual_text, rest, past,
                    tuple(dict.fromkeys(sections)), excluded, undated, also_excluded, together, sole)


def field_intent(q: str) -> Intent | None:
    """Which ledger field a specific question asks for, if any."""
    if _WHO.search(q):
        return "who"
    if _WHEN.search(q):
        return "when"
    if _HOWMUCH.search(q):
        return "howmuch"
    if _UNIT.search(q):
        return "unit"
    return None


_ASK_BREAK = re.compile(r"[\s，,。；;？?！!]+|另外|还有|以及")  # between asks, spaces included


def ask_clauses(text: str) -> list[str]:
    """The parts of a question between its breaks, spaces included ("要降到多少 啥时候改完": two asks)."""
    return [c for c in _ASK_BREAK.split(text) if c]


def answerable_part(text: str) -> Intent | None:
    """In a question with two asks ("…谁牵头 多久一次"), the ledger field a clause asks for while asking no fact
    of a kind the plan may lack; None for a single ask."""
    clauses = ask_clauses(text)
    if len(clauses) < 2 or not any(asked_fact(c) for c in clauses):
        return None
    return next((intent for c in clauses if asked_fact(c) is None and (intent := field_intent(c))), None)

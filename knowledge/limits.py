"""Quantitative limits and goals in plan text: value, unit, what is limited, and the comparator (pure)."""

from __future__ import annotations

import re

from knowledge.model import Goal, Limit

# Units, longest first so 毫克/立方米 wins over 米 and 蒸吨 over 吨.
UNITS: tuple[str, ...] = (
    "吨/月·平方公里", "吨/月/平方公里", "吨/平方公里·月", "毫克/立方米", "微克/立方米", "毫克/立方米",
    "万千瓦", "兆瓦", "蒸吨/小时", "蒸吨", "万吨", "万辆", "辆次", "平方公里", "平方米", "公里", "千米", "米",
    "%", "％", "家", "辆", "台", "座", "套", "户", "个", "项", "天", "小时", "吨",
)
_NUMBER = r"(\d+(?:\.\d+)?)"
_DASH = r"(?:—+|–|-|－|～|~|〜|至|到)"
_UNIT = "|".join(re.escape(u) for u in UNITS)
_LIMIT = re.compile(rf"(?<![\d.A-Za-z]){_NUMBER}(?:\s*{_DASH}\s*{_NUMBER})?\s*({_UNIT})")
_AT_MOST_BEFORE = ("不超过", "不高于", "不大于", "低于", "小于", "控制在", "降至", "以内")
_AT_LEAST_BEFORE = ("不少于", "不低于", "不小于", "达到", "超过", "大于", "高于")
_AT_MOST_AFTER = re.compile(r"^(?:及以下|以下|以内|范围内)")
_QUALIFIER = re.compile(r"^(?:及以上|以上|及以下|以下|以内|范围内|范围)?")
_AT_LEAST_AFTER = re.compile(r"^(?:及以上|以上)")
_CLAUSE_BREAK = re.compile(r"[，,。；;、（）()“”：:\s]")
_LEADING_WORDS = re.compile(r"^(?:力争|努力|争取|确保|要求|完成|实现|确定|推动|淘汰|将|把|使|对|在|其中|全面)+")
_TRAILING_WORDS = re.compile(r"(?:控制在|不超过|不高于|不大于|不少于|不低于|不小于|低于|小于|达到|超过|大于|高于|"
                             r"降至|各争创|争创|完成|在|为|达|各)+$")
# "及" in "国三及以下" is part of the subject, not a join between two of them.
_CONNECTIVES = re.compile(r".*(?:及(?!以[上下])|和|与|或|等|的)")
# Measured quantities whose subject is the noun just before the number.
_KNOWN_SUBJECTS = ("PM2.5", "PM10", "氮氧化物", "二氧化硫", "颗粒物", "挥发性有机物", "VOCs", "臭氧", "降尘量",
                   "优良天数", "重污染天数", "年均浓度")
_MEASURES = {"吨/月·平方公里", "吨/月/平方公里", "吨/平方公里·月", "毫克/立方米", "微克/立方米"}
_AMOUNTS = {"万吨", "吨", "辆次", "万辆", "万千瓦", "兆瓦"}
_DISTANCES = {"公里", "千米", "米", "平方公里", "平方米"}
# A place written before a count ("秦都区4家"); "全市" is the whole area, not a place's name.
_PLACE = re.compile(r"^(?!全[市县区]$)[\u4e00-\u9fa5]{1,6}(?:区|县|市)$")
_FOLLOWING_STOP = re.compile(r"(?:达到|完成|实现|开展|除外|全部|安装|接入|的|[，,。；;、（）()]|$)")
# Words right before a number that make it something to meet, whatever follows ("稳定在93%以上").
_TO_MEET_BEFORE = ("不超过", "不高于", "不大于", "低于", "控制在", "降至", "不少于", "不低于", "不小于", "达到",
                   "稳定在", "提高到")
_COMPARISON_BEFORE = ("大于", "小于", "超过", "高于", "低于", "不足")
_CJK = re.compile(r"^[\u4e00-\u9fa5]")
_EXCEPT = re.compile(r"^[^。；;，,）)]*除外")


def _clause_before(text: str, start: int) -> str:
    """The clause fragment just before a number, without punctuation."""
    head = text[:start]
    cut = max((m.end() for m in _CLAUSE_BREAK.finditer(head)), default=0)
    return head[cut:]


def _comparator(before: str, after: str) -> str | None:
    """<=, >= or None from the words around the number."""
    if _AT_LEAST_AFTER.match(after):
        return ">="
    if _AT_MOST_AFTER.match(after):
        return "<="
    # Longest word first: "不低于" is at least, though it ends with "低于".
    for word in sorted(_AT_MOST_BEFORE + _AT_LEAST_BEFORE, key=len, reverse=True):
        if before.endswith(word):
            return "<=" if word in _AT_MOST_BEFORE else ">="
    return None


def _kind(before: str, after: str, unit: str, comparator: str | None) -> str:
    """"scope" when the number says which units/areas a rule covers, else "limit" (a ceiling) or "target"."""
    qualifier = _QUALIFIER.match(after)
    said = qualifier.group(0) if qualifier else ""
    rest = after[len(said):]
    compared = before.endswith(_COMPARISON_BEFORE) or bool(said)
    if compared and rest.startswith("的") and (_CJK.match(rest[1:]) or rest[1:2] in ("）", ")")):
        scope = True  # "年销售汽油量大于3000吨的（加油站）", "150万吨以上的物流园区"
    elif before.endswith(_TO_MEET_BEFORE):
        scope = False  # "降尘量不高于5吨", "达到90%以上"
    elif said.startswith("范围") or (unit in _DISTANCES and (said == "以内" or "周边" in before)):
        scope = True  # "市区及周边25公里范围内": the area a rule covers
    elif said and said != "以内" and _CJK.match(rest):
        scope = True  # "35蒸吨及以上燃煤锅炉", "5000平方米及以上建筑工地": the threshold names the units covered
    else:
        scope = bool(_EXCEPT.match(rest))  # "（35蒸吨燃煤锅炉除外）"
    if scope:
        return "scope"
    return "limit" if comparator == "<=" else "target"


def _following_subject(after: str) -> str:
    """The noun phrase after the unit, e.g. 30%新能源替代 → 新能源替代."""
    rest = re.sub(r"^(?:左右|及以上|以上|及以下|以下|以内|范围内)的?", "", after)
    stop = _FOLLOWING_STOP.search(rest)
    return rest[: stop.start() if stop else len(rest)][:16]


def _subject(before: str, after: str, unit: str) -> str:
    """What the limit applies to, named from the words around the number."""
    clause = _TRAILING_WORDS.sub("", before)
    for known in _KNOWN_SUBJECTS:
        if clause.endswith(known):
            return known
    stripped = _LEADING_WORDS.sub("", clause)
    if unit in _MEASURES or unit in _DISTANCES:
        return stripped or _following_subject(after)
    if unit in _AMOUNTS:
        return _CONNECTIVES.sub("", stripped) or stripped or _following_subject(after)
    if _PLACE.match(before):
        return before  # 秦都区4家: the district written right before the number
    following = _following_subject(after)
    if following:
        return following
    return _CONNECTIVES.sub("", stripped) or stripped


def find_limits(text: str) -> tuple[Limit, ...]:
    """Every quantitative limit in `text`, in reading order."""
    out: list[Limit] = []
    for m in _LIMIT.finditer(text):
        unit = m.group(3)
        before_full = text[: m.start()]
        if re.search(r"[〔\[]\d*$", before_full) or text[m.end():].startswith("号"):
            continue  # document numbers such as 〔2023〕14号
        before = _clause_before(text, m.start())
        after = text[m.end():]
        value = float(m.group(1))
        upper = float(m.group(2)) if m.group(2) else None
        subject = _subject(before, after, unit)
        # The source text: the clause around the number up to the unit and any 以上/以下 qualifier.
        tail = re.match(r"(?:及以上|以上|及以下|以下|以内|范围内)?", after)
        text_src = before + m.group(0) + (tail.group(0) if tail else "")
        unit_norm = "%" if unit == "％" else unit
        comparator = _comparator(before, after)
        kind = _kind(before, after, unit, comparator)
        out.append(Limit(value, unit_norm, subject, text_src, comparator, upper, kind))
    return tuple(out)


_GOAL = re.compile(
    rf"([^，,。；;、\s]*?)(不超过|不高于|不大于|低于|控制在|不少于|不低于|达到|下降|降低|减少|提高到|提高){_NUMBER}\s*({_UNIT})"
)
_GOAL_COMPARATORS = {"不超过": "<=", "不高于": "<=", "不大于": "<=", "低于": "<=", "控制在": "<=",
                     "不少于": ">=", "不低于": ">=", "达到": ">=", "提高到": ">=", "提高": ">=",
                     "下降": ">=", "降低": ">=", "减少": ">="}


def find_goals(text: str) -> tuple[Goal, ...]:
    """Targets such as PM2.5年均浓度不超过49微克/立方米 → Goal(PM2.5年均浓度, 49, 微克/立方米, <=)."""
    out: list[Goal] = []
    for m in _GOAL.finditer(text):
        name = _LEADING_WORDS.sub("", m.group(1))
        verb = m.group(2)
        if verb in ("下降", "降低", "减少", "提高"):
            name += verb  # "PM2.5浓度下降5%" is a goal on the decrease itself
        if not name:
            continue
        unit = "%" if m.group(4) == "％" else m.group(4)
        out.append(Goal(name, float(m.group(3)), unit, _GOAL_COMPARATORS[verb], m.group(0)))
    return tuple(out)


# "推进…的37项重点工作任务", "聚焦…6个方面": how many tasks and areas the plan says it has.
_COUNT_TASKS = re.compile(r"(?<![\d.])(\d+)\s*项((?:[\u4e00-\u9fa5]{0,6}?)任务)")
_COUNT_AREAS = re.compile(r"(?<![\d.])(\d+)\s*(?:个)?(方面|领域)")


def find_counts(text: str) -> tuple[Goal, ...]:
    """The first stated number of tasks and of areas, as goals with comparator "=" (e.g. 37 项 重点工作任务)."""
    out: list[Goal] = []
    if m := _COUNT_TASKS.search(text):
        out.append(Goal(m.group(2), float(m.group(1)), "项", "=", m.group(0)))
    if m := _COUNT_AREAS.search(text):
        out.append(Goal(m.group(2), float(m.group(1)), "个", "=", m.group(0)))
    return tuple(out)


"""Yes/no questions with a number ("降尘6吨达标吗", "3家够不够"): compare the asked amount with the plan's limit."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from knowledge.model import Goal, Limit
from knowledge.qa import texts as msg
from knowledge.qa.periods import cn_number

# A number (not the digits of a name such as "PM2.5") and the words after it (a bare number ends the question).
_AMOUNT = re.compile(r"(?<![A-Za-z\d.])(\d+(?:\.\d+)?|[零一二两三四五六七八九十百千]+(?:点[零一二三四五六七八九]+)?)\s*"
                     r"([\u4e00-\u9fff%％]{0,6})")
# A yes/no form: "…吗", "…不", A-not-A ("够不够", "行不行"), "是否", "能否".
_YES_NO = re.compile(r"(?:吗|(?<!什)么|不|没有?|吧)[？?。！!\s]*$|(.)[不没]\1|是否|能否|可否")
# How a limit's subject is named in a question: its Latin head ("PM2.5") or its first two characters ("优良").
_SUBJECT_HEAD = re.compile(r"[A-Za-z][A-Za-z0-9.]*|[\u4e00-\u9fff]{2}")
# Words after a number that begin a unit or measure word; particles and "以下/以上" do not.
_UNIT_START = re.compile(r"[%％]|[\u4e00-\u9fff]")
_NOT_UNIT_START = re.compile(r"[以吗吧呢啊么了的是不能可算够行达合超还就才]")


# What the question's predicate asks, after its amount: a breach rather than compliance ("超标没", "超了吗",
# "不达标吗") flips 是/否. The verbs are kinds of comparison, read per direction of the limit, not one question's words.
_A_NOT_A = re.compile(r"(.)[不没]\1")
_STATED = re.compile(r"[？?]\s*$")
_WH = re.compile(r"什么|啥|哪|谁|怎|咋|多少|多久|多长|多大|多高|多远|多重|几[个项家天月次号年]")
# "差" falls short on its own ("差一点", "差不差"), not inside a compound ("交差" delivers, "误差", "差异").
_BREACH_ANY = re.compile(r"不(?:达标|合格|符合|满足|过关)|违|(?<![交偏温误落])差(?![异别距])")
_BREACH_UPPER = re.compile(r"超|高于|大于|多于|过高|过多|太高|太多")
_NEGATED = re.compile(r"(?:不|没有?|未)$")
_BREACH_LOWER = re.compile(r"低于|少于|小于|不足|不够|达不到|太低|太少")


def asks_yes_no(text: str) -> bool:
    """Whether the question asks yes or no ("…吗", "是不是…", "…行不行"; not "…要装什么"), or puts a statement with
    是 and a question mark ("听说是6月底前投用？"), which is not a choice ("…还是…") or a question-word ask."""
    if _YES_NO.search(text):
        return True
    # "…是6月底前投用？", "…要控制在50毫克？": a statement to confirm, with 是 or a figure in it.
    stated = "是" in text or bool(re.search(r"\d|了[？?]\s*$", text))  # "…也不让用了？"
    return bool(_STATED.search(text)) and stated and "还是" not in text and not _WH.search(text)


def asks_only_yes_no(text: str) -> bool:
    """A yes/no question that asks nothing else: no question word ("…是不是要装，装啥" also asks what)."""
    return asks_yes_no(text) and not _WH.search(text)


def asks_breach(text: str, upper: bool) -> bool:
    """Whether a yes/no question asks if an amount breaches the limit (an upper limit if `upper`)."""
    numbers = list(_AMOUNT.finditer(text))
    predicate = _A_NOT_A.sub(r"\1", text[numbers[-1].end(1):] if numbers else text)
    if _BREACH_ANY.search(predicate):
        return True
    # "这算不超标吧", "没超要求吧" put compliance forward: the breach word is negated.
    return any(not _NEGATED.search(predicate[:m.start()])
               for m in (_BREACH_UPPER if upper else _BREACH_LOWER).finditer(predicate))


@dataclass(frozen=True)
class Verdict:
    """The comparison's headline and the limit it used."""

    headline: str
    limit: Limit
    inside: bool | None = None  # for a scope ("35蒸吨及以上"): whether the asked amount falls within it
    words: str = ""  # the amount as asked ("20蒸吨"), for a scope


def asked_amounts(text: str) -> list[tuple[float, str, str]]:
    """The numbers a yes/no question asks about: value, the number as written, and the words after it."""
    if not asks_yes_no(text):
        return []
    out = []
    for m in _AMOUNT.finditer(text):
        value = float(m.group(1)) if m.group(1)[0].isdigit() else _cn_decimal(m.group(1))
        if value is not None:
            out.append((float(value), m.group(1), m.group(2).replace("％", "%")))
    return out


def _cn_decimal(raw: str) -> float | None:
    """A Chinese number, with its decimals read digit by digit ("四点五" → 4.5)."""
    whole, _, decimals = raw.partition("点")
    value = cn_number(whole)
    digits = [cn_number(ch) for ch in decimals]
    if value is None or None in digits:
        return None
    return value + sum(d / 10 ** (i + 1) for i, d in enumerate(digits) if d is not None)


def _unit_head(limit: Limit) -> str:
    """How a question writes the limit's unit: "吨/月·平方公里" is asked as "吨", "毫克/立方米" as "毫克"."""
    return re.split(r"[/·]", limit.unit.replace("％", "%"))[0]


def _in_unit(after: str, head: str) -> bool:
    """Whether the words after a number are in the limit's unit: a count of trips ("10辆次") is also asked by the
    thing counted ("8辆货车")."""
    return after.startswith(head) or (len(head) > 1 and head.endswith("次") and after.startswith(head[:-1]))


def goal_limits(goals: Sequence[Goal]) -> list[Limit]:
    """The plan's overall targets that bound an amount (PM2.5 ≤ 49, 优良天数 ≥ 244) as limits to compare with."""
    kinds = {"<=": "limit", ">=": "target"}
    return [Limit(g.value, g.unit, g.name, g.text, g.comparator, kind=kinds[g.comparator])
            for g in goals if g.comparator in kinds]


def _names_subject(limit: Limit, text: str) -> bool:
    """Whether the question names what the limit is about ("PM2.5目标是不是50": a bare number about PM2.5)."""
    head = _SUBJECT_HEAD.match(limit.subject)
    return head is not None and head.group().lower() in text.lower()


def _starts_unit(after: str) -> bool:
    """Whether the words after a number begin with a unit or measure word (then only that unit may match)."""
    return bool(_UNIT_START.match(after)) and not _NOT_UNIT_START.match(after)


# Words before a number that state it as the plan's figure ("目标是不超过45", "要完成50%", "不少于244天").
_STATES_FIGURE = re.compile(r"(?:不超过|不高于|不低于|不少于|不大于|不小于|[目指]标是?|要求是?|限值是?|要?完成|"
                            r"控制[在到]|降到|压到|是要)\s*$")
# Whether an amount passes ("完成25%行不行", "48能达标不"), as against whether it is the plan's figure.
_ASKS_PASS = re.compile(r"行不行|行吗|行不|够不够|够吗|够不|达标|合格|可以吗|可不可以|就行|能不能")
_RANGE = re.compile(r"以下|以内|不到|不足|以上|及以上|以外|之外|外")
_BELOW = ("以下", "以内", "不到", "不足")
_RANGE_WORDS = ("以下", "以内", "以上")
# "…以上的企业才装": a threshold put forward as the condition of the rule (才 after the thing it bounds).
_ONLY_FROM = re.compile(r"[\u4e00-\u9fff]{0,8}?才")
_EPSILON = 1e-6


def compare(text: str, limits: Sequence[Limit]) -> Verdict | None:
    """是/否 (or whether the amount falls under the rule) from a limit in the asked unit (a task's, or the plan's
    overall targets); a limit whose subject the question names wins ("秦都区3家" → "秦都区4家")."""
    found = [(lim, value, f"{number}{_unit_head(lim)}") for value, number, after in asked_amounts(text)
             for lim in limits if _unit_head(lim) and (_in_unit(after, _unit_head(lim))
                                                      or (not _starts_unit(after) and _names_subject(lim, text)))]
    if not found:
        return None
    limit, value, words = max(found, key=lambda f: (bool(f[0].subject) and f[0].subject in text,
                                                    len(_unit_head(f[0])), -abs(f[0].value - f[1])))
    # "35蒸吨以下" asks about a range, not the number itself: just below (or above) it, and said so.
    rest = text[text.find(words) + len(words):] if words in text else ""
    if m := _RANGE.match(rest):
        value += -_EPSILON if m.group(0) in _BELOW else _EPSILON
        words += m.group(0)
    plan_words = limit.text
    number = _AMOUNT.match(words)
    before = text[:text.find(number.group(1))] if number else ""
    if (not limit.is_scope and _STATES_FIGURE.search(before) and not _ASKS_PASS.search(text)
            and not asks_breach(text, upper=limit.comparator == "<=")):
        # "目标是不超过45吧", "要完成50%对吧": whether the plan's figure is that one, not whether that amount passes.
        same = abs(value - (limit.upper or limit.value)) < _EPSILON or abs(value - limit.value) < _EPSILON
        return Verdict(msg.QA_YESNO_FIGURE.plain(answer=msg.QA_YES if same else msg.QA_NO, plan=plan_words), limit)
    if limit.is_scope and words.endswith(_RANGE_WORDS) and _ONLY_FROM.match(rest[len(m.group(0)) if m else 0:]):
        # "是20辆次以上的企业才装？" asks whether the plan's threshold is that one, not whether 20 falls within it.
        same = abs(value - limit.value) <= 2 * _EPSILON
        return Verdict(msg.QA_YESNO_FIGURE.plain(answer=msg.QA_YES if same else msg.QA_NO, plan=plan_words), limit)
    if limit.is_scope:
        # A threshold naming who or where a rule covers ("35蒸吨及以上", "25公里范围内"): in or out, not pass/fail.
        high = limit.upper if limit.upper is not None else limit.value
        inside = {">=": value >= limit.value, "<=": value <= high}.get(limit.comparator or "",
                                                                      limit.value <= value <= high)
        headline = msg.QA_YESNO_SCOPE.plain(words=words, verdict=msg.QA_INSIDE if inside else msg.QA_OUTSIDE,
                                            plan=plan_words)
        return Verdict(headline, limit, inside, words)
    elif limit.comparator == "<=":
        ok = value <= (limit.upper or limit.value)
        yes = ok != asks_breach(text, upper=True)  # "超标没" asks the opposite of "达标吗"
        headline = msg.QA_YESNO_LIMIT.plain(answer=msg.QA_YES if yes else msg.QA_NO, words=words,
                                            verdict=msg.QA_NOT_OVER if ok else msg.QA_OVER, plan=plan_words)
    else:
        ok = value >= limit.value
        yes = ok != asks_breach(text, upper=False)
        headline = msg.QA_YESNO_REQUIREMENT.plain(answer=msg.QA_YES if yes else msg.QA_NO, words=words,
                                                  verdict=msg.QA_MEETS if ok else msg.QA_FAILS, plan=plan_words)
    return Verdict(headline, limit)

"""Bans and their exceptions in a rule ("严禁新建…（污染治理提升类项目除外）", "禁止使用高污染燃料（…除外）"):
whether what a yes/no question asks falls under the ban or its exception, and the clauses a rule is cut into."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# Words that forbid ("禁止审批", "不再采用"); "不达标" and "不少于" qualify, they do not forbid.
PROHIBIT = re.compile(r"禁止|严禁|不再|不得|不准|不允许|不许|杜绝")
# Words that stop a thing ("…期间停产", "淘汰"): they answer whether it may go on, not whether it must be done.
_STOP = re.compile(r"停产|停止|停用|关停|淘汰")
# A question asking whether something is forbidden ("是不是不让用", "禁止销售吗"), once A-not-A forms ("能不能",
# "让不让") and a closing "…不" are taken out.
_ASKS_FORBIDDEN = re.compile(r"不让|不能|不准|不许|不得|不再|不可以|不允许|禁止|严禁|不行|"
                             r"禁(?![燃区])")  # "要不要禁" (not the 禁 of 禁燃区)
_A_NOT_A = re.compile(r"(.)不\1|可不可以|允不允许")
# "是不是在禁用范围之外": asked after the ban's word, outside it means not forbidden.
_OUTSIDE = re.compile(r"之外|以外|范围外|外面|不在")
_CLOSING_NOT = re.compile(r"不[？?。！!\s]*$")
# An exception a rule makes ("（35蒸吨及以上燃煤锅炉…除外）").
_EXCEPTION = re.compile(r"（([^（）]*)除外）|([^，；。（）]*)除外")
# Heads that add nothing to the item they close ("火力发电企业", "…类项目", "原料煤使用企业").
_GENERAL_HEAD = re.compile(r"^$|(?:企业|单位|公司|厂|项目|行业)$")
# The exception named only to deny it ("不是治理提升类的").
_DENIED = "(?:不是|并非|不属于|不算)[^，,。？?]{0,4}"
CJK2 = re.compile(r"[\u4e00-\u9fff]{2}")  # two Chinese characters
_CJK_GAP = "[\u4e00-\u9fff]{1,2}"


@dataclass(frozen=True)
class RuleVerdict:
    """是 (yes) or 否, and the clause of the plan it was read from."""

    yes: bool
    clause: str


def clauses(text: str) -> list[str]:
    """The text cut at commas and full stops, never inside parentheses (an exception stays with its rule)."""
    out: list[str] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in "，；。！？\n":
            if text[start:i].strip():
                out.append(text[start:i].strip())
            start = i + 1
    if text[start:].strip():
        out.append(text[start:].strip())
    return out


def asked(question: str) -> str:
    """The question without its A-not-A forms and closing 不 ("能不能用" asks, it does not say 不能)."""
    return _CLOSING_NOT.sub("", _A_NOT_A.sub(" ", question))


def yes_to_ban(question: str, *, forbidden: bool) -> bool:
    """是 to "is it forbidden?" when it is, to "may it be done?" (or "is it outside the ban?") when it is not."""
    said = asked(question)
    if (m := _ASKS_FORBIDDEN.search(said)) and not _OUTSIDE.search(said, m.end()):
        return forbidden
    return not forbidden


def forbids(part: str, permission: bool) -> bool:
    """Whether a clause bans (or, for a question asking whether a thing may go on, stops) something."""
    rule = _EXCEPTION.sub(" ", part)
    return bool(PROHIBIT.search(rule) or (permission and _STOP.search(rule)))


def _mentions(term: str, text: str) -> bool:
    """Whether a (lower-cased) text names a term, or its stem spelt out ("火电厂": 火电, as in 火力发电企业)."""
    term = term.lower()
    if term in text:
        return True
    stem = term[:2] if len(term) >= 3 else term
    return len(stem) == 2 and CJK2.fullmatch(stem) is not None and bool(
        re.search(_spelt_out(stem), text))


def _spelt_out(stem: str) -> str:
    """A pattern for a two-character stem written out with one or two characters between ("火电": 火力发电)."""
    return re.escape(stem[0]) + _CJK_GAP + re.escape(stem[1])


def _names_item(term: str, exception: str, question: str) -> bool:
    """Whether a term names an item of an exception: as its head, or before a head the question names too or a
    general one ("火电厂" for 火力发电企业, "污染治理提升的项目" for 污染治理提升类项目); "烧煤" (燃煤) names the fuel,
    not the 燃煤锅炉 excepted."""
    if not _mentions(term, exception):
        return False
    stem = re.escape(term.lower()) if term.lower() in exception else (
        _spelt_out(term))
    for m in re.finditer(stem, exception):
        head = re.split(r"[、，,及和与等\s]", exception[m.end():], maxsplit=1)[0]
        if _GENERAL_HEAD.search(head) or any(head[i:i + 2] in question for i in range(len(head) - 1)):
            return True
    return False


def ban_verdict(question: str, said_words: Sequence[str], clause: str) -> RuleVerdict:
    """Whether what is asked falls under the clause's ban, or under its exception ("35蒸吨及以上…除外"): excepted
    when the question names more that only the exception holds than what only the rule holds ("污染治理提升类的钢铁
    项目": two words of the exception against one of the rule)."""
    rule = _EXCEPTION.sub(" ", clause).lower()
    exception = " ".join(m.group(1) or m.group(2) or "" for m in _EXCEPTION.finditer(clause)).lower()
    # "不是治理提升类的": the exception named only to say the thing is not of it.
    denied = [t for t in said_words if re.search(_DENIED + re.escape(t), question)]
    only_exception = sum(_names_item(t, exception, question) and not _mentions(t, rule)
                         for t in said_words if t not in denied)
    if denied and not only_exception:
        return RuleVerdict(yes_to_ban(question, forbidden=True), clause)
    only_rule = sum(_mentions(t, rule) and not _mentions(t, exception) for t in said_words)
    return RuleVerdict(yes_to_ban(question, forbidden=only_exception <= only_rule), clause)


def exception_verdict(question: str, sentence: str, scope: str, inside: bool) -> bool | None:
    """是/否 for a yes/no question on a prohibition whose exception is a scope ("禁止使用高污染燃料（35蒸吨及以上燃煤
    锅炉…除外）"): an amount inside the scope is excepted (None when the scope stands in no exception of a ban)."""
    if not any(scope in (m.group(1) or m.group(2) or "") for m in _EXCEPTION.finditer(sentence)):
        return None
    if not PROHIBIT.search(_EXCEPTION.sub(" ", sentence)):
        return None
    return yes_to_ban(question, forbidden=not inside)

"""Yes/no questions on a rule rather than a number ("新建燃煤锅炉还能批吗", "降尘数据是按季度通报吗"): 是/否 read
from the clause of the plan that holds the question's words, and only on clear evidence — a prohibition and its
exceptions, a different grade, frequency or season than the one asked, "all" asked where the plan says a share —
or, for 是, every word of the question found and nothing contradicting it. Otherwise no verdict: the plan's own
words answer."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from knowledge.qa.bans import CJK2, PROHIBIT, RuleVerdict, asked, ban_verdict, clauses, forbids, yes_to_ban

# Opposites a rule names one of ("低挥发性…", "内浮顶"): the other one asked is not what it asks for.
_MODIFIED = r"[\u4e00-\u9fff]{0,6}"  # the words between a modifier and the thing it modifies ("低挥发性有机物含量")
_OPPOSITES = {"高": "低", "低": "高", "内": "外", "外": "内", "新": "旧", "旧": "新", "大": "小", "小": "大"}
# What a thing is to become, as asked ("改成…", "升级成…") and as a rule says it ("升级为…", "更换为…").
_BECOME_ASKED = re.compile(r"(?:改成|换成|升级成|升级为|改为|换为|改造成|改造为|弄成|搞成)([\u4e00-\u9fff]{2,8})")
_BECOME_TOLD = re.compile(r"(?:升级为|改造为|更换为|改为|换成|升级成|替换为|改造成)([\u4e00-\u9fff]{2,10})")
# A question asking whether something may be done ("还能批吗", "行不行", "让不让上"): only a prohibition (or its
# exception) answers it; a rule that merely mentions the thing does not permit it.
_ASKS_PERMISSION = re.compile(r"还能|能不能|能否|^能|[^功新节产动效性可智]能(?![源力效耗够达])|可以|可否|"
                              r"行不行|行吗|行不?$|还行|让不让|还让|允许|准不准|给批")
# Every one asked about ("是不是都得换", "所有汽修厂") where the plan sets a share or a gradual change.
_ALL = re.compile(r"都|全部|所有|全都|一律|百分百|百分之百|100%")
_SHARE = re.compile(r"\d+(?:\.\d+)?\s*[%％]|百分之|部分|逐步")
_FUNCTION_CHARS = set("的了是吗呢吧啊在和与及其对把被由为来去做要也都还就不没")  # they tie no clause to a question
# A grade asked ("A级", "第三方", "国四", "Ⅱ类"), a requirement asked ("一定要…吗"), a rule for every one.
_GRADE_TERM = re.compile(r"[A-Da-d]级|第[一二三四五六七八九十]方|国[一二三四五六]|[ⅠⅡⅢⅣ]类")
_MUST = re.compile(r"一定|必须|非得|得要|要求|是不是要|是否要")
_WHOLE_RULE = re.compile(r"全部|一律|全面")
# Some classes of a thing, right before it ("一、二类汽修企业").
_CLASSES = re.compile(r"[一二三四五六七八九十ⅠⅡⅢⅣⅤ][一二三四五六七八九十ⅠⅡⅢⅣⅤ、和及]*类$")
# Characters a grade or ordinal differs by: "第三方" and "第四方", "A级" and "B级", "国三" and "国四".
_ORDINAL = "一二三四五六七八九十两0123456789ABCDEFabcdefⅠⅡⅢⅣⅤⅥ"
_ONLY = re.compile(r"只|就|仅")
_IS_PERIOD = re.compile(r"是(?:从|在)?\s*[\d一二三四五六七八九十]{1,2}\s*(?:月|[—–\-~～至到])")
# How often, in days: a frequency asked must be the plan's.
_FREQUENCY = (
    (re.compile(r"每天|每日|天天|日报"), 1),
    (re.compile(r"每周|每星期|周报"), 7),
    (re.compile(r"每月|按月|月度|每个月|月报|月调度"), 30),
    (re.compile(r"每季|按季|季度"), 90),
    (re.compile(r"半年"), 180),
    (re.compile(r"每年|按年|年度"), 365),
)
# Seasons as months; a season asked must lie within the plan's ("冬天" within "秋冬季", not "夏天").
_SEASONS = (
    (re.compile(r"秋冬"), frozenset({10, 11, 12, 1, 2, 3})),
    (re.compile(r"春[季天]"), frozenset({3, 4, 5})),
    (re.compile(r"夏[季天]|伏天"), frozenset({6, 7, 8})),
    (re.compile(r"秋[季天]"), frozenset({9, 10, 11})),
    (re.compile(r"冬[季天]"), frozenset({12, 1, 2})),
)
_PERIOD_DAYS = {"日": 1, "周": 7, "月": 30, "季": 90, "年": 365}
_WHOLE_YEAR = re.compile(r"全年|一年到头|常年|一年四季")
_DIGIT = {c: i for i, c in enumerate("一二三四五六七八九", start=1)} | {"十": 10}
_M = r"(\d{1,2}|十[一二]?|[一二三四五六七八九])"  # a month's number, in digits or Chinese
_MONTH_SPAN = re.compile(rf"{_M}\s*[—–\-~～至到]\s*{_M}月")
_MONTH_PAIR = re.compile(r"(?<![\d十])([一二三四五六七八九])([一二三四五六七八九])月")
_MONTH = re.compile(rf"(?<![\d年]){_M}月(?!底|初|中|末|前|\d)")


def _month(token: str) -> int:
    if token.isdigit():
        return int(token)
    return 10 + (_DIGIT.get(token[1], 0) if len(token) > 1 else 0) if token.startswith("十") else _DIGIT[token]


def months(text: str) -> frozenset[int]:
    """The months a text names by season or month ("5—9月", "七八月份", "秋冬季", "全年"); empty when none."""
    if _WHOLE_YEAR.search(text):
        return frozenset(range(1, 13))
    found: set[int] = set()
    for pattern, season in _SEASONS:
        if pattern.search(text):
            found |= season
            text = pattern.sub(" ", text)
    for m in _MONTH_SPAN.finditer(text):
        first, last = _month(m.group(1)), _month(m.group(2))
        found |= {(first + i - 1) % 12 + 1 for i in range((last - first) % 12 + 1)}
    text = _MONTH_SPAN.sub(" ", text)
    for m in _MONTH_PAIR.finditer(text):
        found |= {_month(m.group(1)), _month(m.group(2))}
    text = _MONTH_PAIR.sub(" ", text)
    found |= {_month(m.group(1)) for m in _MONTH.finditer(text)}
    return frozenset(m for m in found if 1 <= m <= 12)


def frequency(text: str, about: Sequence[str] = ()) -> int | None:
    """How often a text says something is done, in days (None when it says no frequency); with `about`, the
    frequency written on one of those words first ("周调度、月汇总" is weekly about 调度)."""
    for word in about:
        if attached := re.search(f"([日周月季年])(?:度)?{re.escape(word)}", text):
            return _PERIOD_DAYS[attached.group(1)]
    return next((days for pattern, days in _FREQUENCY if pattern.search(text)), None)


def _stating(text: str, sentence: str, says: Callable[[str], object]) -> str | None:
    """The clause of the sentence, else of the text, that says it (a frequency, months)."""
    return next((c for c in clauses(sentence) if says(c)), None) or next((c for c in clauses(text) if says(c)), None)


def other_grade(term: str, clause: str) -> bool:
    """Whether the clause names a sibling of the term differing only in an ordinal ("第四方机构" for "第三方机构")."""
    if not any(ch in _ORDINAL for ch in term) or all(ch in _ORDINAL for ch in term.upper() + term.lower()):
        return False  # no ordinal, or nothing but one ("b" of "B级" split off names no kind to have siblings)
    return any(m.group(0).lower() != term.lower() for m in re.finditer(ordinal_shape(term), clause, re.IGNORECASE))


def ordinal_shape(term: str) -> str:
    """A pattern for the term with any ordinal in place of its own ("二号线" → "[一二…]号线")."""
    return "".join(f"[{_ORDINAL}]" if ch in _ORDINAL else re.escape(ch) for ch in term)


def _best_clause(words: Sequence[str], text: str, permission: bool) -> str | None:
    """The clause holding the most of the question's words (a prohibition first among ties when the question asks
    whether something may be done, then the first); None when none holds any."""
    scored = [(sum(w.lower() in c.lower() for w in words), permission and bool(PROHIBIT.search(c)), -i, c)
              for i, c in enumerate(clauses(text))]
    best = max(scored, default=None)
    return best[3] if best is not None and best[0] > 0 else None


def rule_verdict(question: str, terms: Sequence[str], text: str, *, complete: bool, typed: str = "",
                 words: Sequence[str] = (), things: Sequence[str] | None = None) -> RuleVerdict | None:
    """是/否 for a yes/no question (in the plan's words; `typed` as the user wrote it, for its seasons and frequencies)
    whose topic words are `terms`, from a task's `text`; `complete` says whether every topic word of the question is
    one the plan uses (only then may a plain match answer 是); `words` are all its content words (a tagger reads a
    grade such as "第三方" as a numeral, not a topic); `things` are the topic words that name things (the plan's own
    verb may differ: "改成" for "改造为"), by default all of them."""
    said_words = list(dict.fromkeys([*terms, *words]))
    permission = bool(_ASKS_PERMISSION.search(question))
    clause = _best_clause(said_words, text, permission)
    if clause is None:
        return None
    sentence = next((p for p in re.split(r"[。；\n]", text) if clause in p), clause)
    if permission and not forbids(clause, permission):
        # "没评上引领性的…还能生产吗": the subject stands in one clause, the stop ("…期间停产") in the next one
        # that names something of the question too.
        parts = clauses(sentence)
        after = parts[parts.index(clause) + 1] if clause in parts and parts.index(clause) + 1 < len(parts) else ""
        # (or the clause right after the subject's: "…达不到A级绩效水平的橡胶企业，责令停产整治")
        clause = next((c for c in parts if forbids(c, permission)
                       and (c == after or any(w.lower() in c.lower() for w in said_words))), clause)
    if forbids(clause, permission):
        return ban_verdict(question, said_words, clause)
    # Contrasts are read in the whole sentence: its frequency or months may stand in a clause of their own.
    for term in (t for t in said_words if t.lower() not in clause.lower()):
        if other_grade(term, sentence):
            # "第四方机构" where "第三方机构" is asked: no; where the sentence names both, the one in the clause
            # sharing more of the question's other words plays the asked part ("请第三方来核查" vs "聘请第四方…").
            if term.lower() not in sentence.lower() or _sibling_plays_the_part(question, term, sentence):
                return RuleVerdict(False, clause)
            return None
    if (graded := _grade_verdict(question, said_words, text)) is not None:
        return graded
    if (opposite := _opposite_of(question, sentence) or _other_target(question, sentence)) is not None:
        # "还能用高VOCs含量的涂料吗" where the rule says 低挥发性有机物含量: not what the plan asks for.
        return RuleVerdict(yes_to_ban(question, forbidden=True), opposite)
    verdict, clause = _period_verdict(question, f"{question} {typed}", said_words, text, sentence, clause)
    if verdict is not None:
        return verdict
    if _ALL.search(asked(question)) and (
            every := _all_verdict(question, said_words, text, sentence, clause, things or terms)) is not None:
        return every
    # A thing named with a suffix of its own ("汽修厂" for the plan's 汽修企业) is still the plan's thing.
    if complete and not permission and all(t.lower() in text.lower() or (len(t) >= 3 and t[:2].lower() in text.lower())
                                           for t in (terms if things is None else things)):
        return RuleVerdict(True, clause)
    return None


def _opposite_of(question: str, sentence: str) -> str | None:
    """The clause of the sentence naming the opposite of what the question names ("低挥发性" for "高挥发性",
    "内浮顶" for "外浮顶") while never naming the question's own; None when there is none."""
    for i, ch in enumerate(question[:-2]):
        other, rest = _OPPOSITES.get(ch), question[i + 1:i + 3]
        if other and CJK2.fullmatch(rest) and other + rest in sentence and ch + rest not in sentence:
            return next((c for c in clauses(sentence) if other + rest in c), None)
    for i, ch in enumerate(question[2:], start=2):
        # After the thing, as typed ("有机物含量高的漆" where the rule says 低挥发性有机物含量的涂料).
        other, before = _OPPOSITES.get(ch), question[i - 2:i]
        if other and CJK2.fullmatch(before) and (
                found := re.search(other + _MODIFIED + re.escape(before), sentence)) and not re.search(
                ch + _MODIFIED + re.escape(before), sentence):
            return next((c for c in clauses(sentence) if found.group(0) in c), None)
    return None


def _other_target(question: str, sentence: str) -> str | None:
    """The clause naming what a thing is to become when the question names another ("升级成活性炭吸附就行" where
    the task says 升级为催化燃烧法), or None."""
    asked, told = _BECOME_ASKED.search(question), _BECOME_TOLD.search(sentence)
    if asked is None or told is None or asked.group(1)[:2] in told.group(1):
        return None
    return next((c for c in clauses(sentence) if told.group(0) in c), None)


def _grade_verdict(question: str, said_words: Sequence[str], text: str) -> RuleVerdict | None:
    """A grade asked against the one the task sets, in whichever clause sets it ("铸造厂升级一定要达到A级吗": the best
    clause is the title, "对标应急绩效B级及以上" the rule): below it 否; above a floor ("及以上") it meets the rule but
    is not what must be reached."""
    for grade in _GRADE_TERM.findall(question):
        hit = next((c for c in clauses(text) if other_grade(grade, c)
                    and any(w.lower() in c.lower() for w in said_words if w.lower() not in grade.lower())), None)
        if hit is None or grade.lower() in text.lower():
            continue
        floor = re.search(r"([A-Da-d])级及以上", hit)
        if floor and grade[0].isascii() and meets_grade(grade[0], floor.group(1), floor=True):
            return RuleVerdict(not _MUST.search(question), hit)
        return RuleVerdict(False, hit)
    return None


def meets_grade(grade: str, need: str, *, floor: bool) -> bool:
    """Whether a letter grade meets a required one (A is the best): the very grade, or a better one where the rule
    sets a floor ("B级及以上")."""
    return grade.upper() == need.upper() or (floor and grade.upper() < need.upper())


def _all_verdict(question: str, said_words: Sequence[str], text: str, sentence: str, clause: str,
                 things: Sequence[str]) -> RuleVerdict | None:
    """"Every one" asked: 是 where a clause says 全部 of what only the question names beside the best clause
    ("现有车辆逐步更换…，新增车辆全部为新能源车" for 新增的); 否 against a share or some classes in the best
    clause, or a share in another clause of the task holding what the best one lacks ("推进…清洁生产" is the title;
    "…完成不少于30%清洁生产审核任务" holds 审核 too)."""
    def adds(part: str) -> bool:
        return any(w.lower() in part.lower() and w.lower() not in clause.lower() for w in said_words)

    if whole := next((c for c in clauses(sentence) if c != clause and _WHOLE_RULE.search(c) and adds(c)), None):
        return RuleVerdict(True, whole)
    if _SHARE.search(clause) or _only_classes(question, things, clause):
        return RuleVerdict(False, clause)
    if share := next((c for c in clauses(text) if _SHARE.search(c) and adds(c)
                      and sum(w.lower() in c.lower() for w in said_words) >= 2), None):
        return RuleVerdict(False, share)
    return None


def _sibling_plays_the_part(question: str, term: str, sentence: str) -> bool:
    """Whether, of the clauses naming the term and those naming a sibling of it, a sibling's shares strictly more
    of the question's other characters (function characters aside)."""
    rest = {ch for ch in question.replace(term, " ") if "\u4e00" <= ch <= "\u9fff" and ch not in _FUNCTION_CHARS}

    def shared(part: str) -> int:
        return len(rest & set(part))

    own = [shared(c.replace(term, " ")) for c in clauses(sentence) if term.lower() in c.lower()]
    other = [shared(c) for c in clauses(sentence) if term.lower() not in c.lower() and other_grade(term, c)]
    return bool(own and other) and max(other) > max(own)


def _only_classes(question: str, things: Sequence[str], clause: str) -> bool:
    """Whether the clause limits a thing the question asks about to some classes of it ("一、二类汽修企业" against
    "所有汽修企业"), a limit the question does not give itself."""
    for thing in things:
        at = clause.lower().find(thing.lower())
        limit = _CLASSES.search(clause[:at]) if at > 0 else None
        if limit is not None and limit.group(0) not in question:
            return True
    return False


def asks_all_of_a_share(question: str, text: str) -> bool:
    """Whether a question asks about every one ("全部完成吗") where the text sets a share or a gradual change."""
    return bool(_ALL.search(asked(question)) and _SHARE.search(text))


def _period_verdict(question: str, said: str, said_words: Sequence[str], text: str, sentence: str,
                    clause: str) -> tuple[RuleVerdict | None, str]:
    """How often or in which months, read from the clause that says it (which the verdict then shows): 否 when the
    asked one is not the plan's, 是 for the very period; else no verdict and the clause to read on."""
    asked_days = frequency(said, said_words)
    if asked_days is not None and (hit := _stating(text, sentence, lambda c: frequency(c, said_words))):
        if frequency(hit, said_words) != asked_days:
            return RuleVerdict(False, hit), hit
        clause = hit
    asked_months = months(said)
    if asked_months and (hit := _stating(text, sentence, months)):
        plan_months = months(hit)
        # "是6到9月落实吗", "就七八月份": the period itself is asked, so it must be the plan's, not only within it.
        exact = bool(_ONLY.search(question) or _IS_PERIOD.search(question))
        if not (asked_months <= plan_months and (asked_months == plan_months or not exact)):
            return RuleVerdict(False, hit), hit
        if asked_months == plan_months:
            return RuleVerdict(True, hit), hit  # the very period the plan gives ("是5到9月吗")
        clause = hit
    return None, clause



"""Does the plan cover a question? Evidence from the question's own topic words, not a list of topics."""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.qa.corpus import Doc
from knowledge.qa.retrieval import Retriever
from knowledge.qa.tokenize import STOPWORDS, Tokenizer

GENERIC_SHARE = 0.3  # a word found in this share of the documents or more does not show which topic is meant
MISSING_WEIGHT = 1.2  # a word the plan never uses weighs more than its rarest word: it is the unknown topic
SINGLE_CHARACTER_SHARE = 0.6
SCATTERED_SHARE = 0.5
MIN_COVERAGE = 0.5  # below this share of the question's topic weight (with unknown words) the plan does not cover it
MIN_COVERAGE_KNOWN = 0.2  # even with only known words, a document matching this little is no answer
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NEAR_TIME = re.compile(r"^(?:[今明后昨][天日晚]|[本这下上]个?(?:周|星期|礼拜)|今晚|今早|近期)$")


@dataclass(frozen=True)
class Coverage:
    """The topic words of a question, those the plan never uses, and the matched share of their weight."""

    words: tuple[str, ...]
    missing: tuple[str, ...]
    share: float
    unknown: float = 0.0  # share of the topic weight on things and names the plan never uses
    unknown_other: float = 0.0  # share on actions, qualities and time words the plan never uses

    @property
    def covered(self) -> bool:
        """Whether the top document is evidence enough to answer."""
        if not self.words:
            return True
        if self.missing:
            return self.share >= MIN_COVERAGE
        return self.share >= MIN_COVERAGE_KNOWN


# Part-of-speech classes that never name a topic: pronouns, particles, prepositions, conjunctions, adverbs,
# modal particles, interjections, numerals, measure words, locatives, onomatopoeia, time words.
FUNCTION_TAGS = ("r", "u", "p", "c", "d", "y", "e", "m", "q", "f", "o", "t", "z")
# Classes an unknown word must belong to before it counts as a topic the plan lacks: things and names.
THING_TAGS = ("n", "vn", "nz", "j", "eng", "i")
GENERAL_FREQ = 15000  # a word this common in general Chinese ("事情", "问题", "地方") names no particular topic
# An unknown word's weight grows with how much it tells in general Chinese (jieba's counts): from nothing for a
# word as common as "地方" to full weight for one as rare as "下雨".
INFO_FLOOR, INFO_FULL = 7.0, 11.0
# A yes/no form "X不X" ("行不行", "够不够", "是不是") asks, it names nothing.
_A_NOT_A = re.compile(r"^(.{1,2})不\1")
# A word holding a question pronoun ("哪些地方", "啥样", "多少钱" aside from its noun) asks, it names no topic.
# "上限是多少" asks the limit and "来得及不" asks whether a date is in time: they name no subject; nor does a part of a
# month or year next to a date ("11月中旬", "年初").
_ASKING = re.compile(r"什么|啥|哪|多少|怎|^多[大高低长远重]|百分之几|几成|"
                     r"^(?:上限|下限|数值|来得及|来不及|赶得上|赶不上|赶趟)$|"
                     r"^(?:上旬|中旬|下旬|月初|月中|月末)$|^(?:今年|本年|当年)?(?:年初|年中|年底|年末|年内|上半年|下半年)$|"
                     # a month written in Chinese numerals ("十月底"): a date, which the period parser reads
                     r"^[一二三四五六七八九十]{1,3}月(?:底|初|中|末|份|中旬|上旬|下旬)?$")
# Resultative and directional complements of spoken verbs ("降到", "装完", "改成", "拆掉"): the head verb carries the
# meaning, so such a verb is unknown only when its head character is.
_COMPLEMENT = re.compile(r"^([\u4e00-\u9fff])[到完好成掉上下起出过给住]$")
# Spoken nouns: a head with a locative or diminutive suffix ("厂里", "边上", "炉子", "事儿") says what its head says.
_AFFIXED = re.compile(r"^([\u4e00-\u9fff])[里上边头子儿]$")


_TO_AMOUNT = re.compile(r"(?=([\u4e00-\u9fff]{1,2}?[到在成])(?:多少|几|(?:什么|啥)(?:级别|等级|档次|程度|水平|标准)))")
_ASKED_KIND_OF = re.compile(r"(?:什么|啥|哪个|哪一|多少|多大|几)(级别|等级|档次|程度|水平|数量|数额|比例|标准|规模)")


def is_topic(word: str, known: bool, tokenizer: Tokenizer, *, broad: bool = False) -> bool:
    """Whether a question word names what is asked about (by part of speech and frequency, not by a list):
    a word the plan uses counts unless it is a function word; a word it does not use counts only when it
    names a thing (or is no dictionary word at all: a coinage or a name) and is not common in general Chinese.
    `broad` (evidence for the decision): an unknown action, quality or time word ("下雨", "超低", "明天") counts too,
    weighed by how much it tells (see `information_weight`)."""
    tag = tokenizer.tag(word)
    if _A_NOT_A.match(word) or _ASKING.search(word):
        return False
    if not known and word[0] in "这那" and 2 <= len(word) <= 3 and tokenizer.tag(word[0]).startswith("r"):
        return False  # "那阵子", "这回": a demonstrative points at something, it names nothing
    if not known and word[0] in "不没别" and len(word) <= 3 and tag.startswith(("v", "d")):
        return False  # "不用", "不必": a negated modal asks about the topic, it names none
    if broad and not known and tag.startswith("t"):
        return True  # "明天", "下周": a plan of a year says nothing about a given day or week
    if tag.startswith(FUNCTION_TAGS) and not tag.startswith("nz"):
        return False
    if known:
        return True
    if broad and tag:
        return True
    if tokenizer.frequency(word) >= GENERAL_FREQ:
        return False
    if not tag and len(word) == 2 and tokenizer.tag(word[0]).startswith("r"):
        return False  # a demonstrative and a noun run together ("那事", "那片", "这档") points, it names nothing
    if not tag:  # no dictionary word: a coinage or a name, unless it is function words run together ("前要")
        return not all(ch in STOPWORDS or tokenizer.tag(ch).startswith((*FUNCTION_TAGS, "v")) for ch in word)
    return tag.startswith(THING_TAGS)


def is_thing(word: str, tokenizer: Tokenizer) -> bool:
    """Whether a word names a thing or a name (noun classes, or no dictionary word at all)."""
    tag = tokenizer.tag(word)
    return not tag or tag.startswith(THING_TAGS)


def information_weight(word: str, tokenizer: Tokenizer) -> float:
    """0..1: how much an unknown word tells (0 for words as common as "地方", 1 for words as rare as "下雨")."""
    return min(1.0, max(0.0, (tokenizer.information(word) - INFO_FLOOR) / (INFO_FULL - INFO_FLOOR)))


def topic_words(text: str, tokenizer: Tokenizer, retriever: Retriever, *, broad: bool = False) -> list[str]:
    """Content words of the question that name its topic, minus words common to many documents."""
    corpus = retriever.corpus
    # "什么级别", "啥水平": the kind of answer asked for, part of the question phrase, not its subject.
    asked = {m.group(1) for m in _ASKED_KIND_OF.finditer(text)}
    # "降到多少", "达到多少天", "控制在多少": a verb with its complement right before the amount frames the ask.
    asked |= {m.group(1)[i:] for m in _TO_AMOUNT.finditer(text) for i in range(len(m.group(1)) - 1)
              if tokenizer.is_verb(m.group(1)[i:-1])}
    words = [w for w in dict.fromkeys(tokenizer.content_words(text))
             if w not in asked and is_topic(w, w.lower() in corpus, tokenizer, broad=broad)]
    # A single character the plan never uses ("税") is a topic too; known single characters say little.
    words += [w for w in dict.fromkeys(tokenizer.words(text))
              if len(w) == 1 and _CJK.match(w) and w not in retriever.chars and w not in STOPWORDS
              and is_topic(w, False, tokenizer)]
    limit = GENERIC_SHARE * len(retriever.docs)
    return [w for w in words if sum(1 for tf in retriever.words.tfs if w.lower() in tf) < limit]


def unknown_words(words: list[str], tokenizer: Tokenizer, retriever: Retriever) -> list[str]:
    """Words the plan never uses; a two-character non-dictionary word made of the plan's characters is a
    segmentation artefact ("区要"), not a new topic."""
    out = []
    for w in words:
        lw = w.lower()
        if lw in retriever.corpus or lw in retriever.compact:
            continue
        if _NEAR_TIME.match(lw):  # "下周", "明天": a plan of a year says nothing about a given day or week
            out.append(w)
            continue
        if len(lw) == 2 and _CJK.match(lw) and all(ch in retriever.chars for ch in lw) and not tokenizer.is_word(w):
            continue
        suffixed = lw[:2] in retriever.corpus and lw[2:] in retriever.chars
        prefixed = lw[1:] in retriever.corpus and lw[:1] in retriever.chars and tokenizer.tag(lw[:1]).startswith("v")
        if len(lw) == 3 and _CJK.match(lw) and (suffixed or prefixed):
            # A plan word with one more character after it ("汽修厂", "升级成") or a verb before it ("修铁路") is a
            # variant, not a new topic ("水污染" is one: 水 names a thing).
            continue
        if (m := _COMPLEMENT.match(lw)) and tokenizer.is_verb(w) and m.group(1) in retriever.word_chars:
            continue  # "降到" beside the plan's "降低": the plan's own action with a spoken complement
        if (m := _AFFIXED.match(lw)) and m.group(1) in retriever.word_chars:
            continue  # "炉子" beside the plan's "锅炉": the plan's own thing in spoken form
        out.append(w)
    return out


def assess(text: str, doc: Doc | None, tokenizer: Tokenizer, retriever: Retriever) -> Coverage:
    """How much of the question's topic weight the document covers (unknown words count against it)."""
    words = topic_words(text, tokenizer, retriever, broad=True)
    missing = unknown_words(words, tokenizer, retriever)
    things = {w for w in missing if is_thing(w, tokenizer) and tokenizer.frequency(w) < GENERAL_FREQ}
    if not words:
        return Coverage((), (), 1.0 if doc is not None else 0.0)
    idf = retriever.words.idf
    top = max(idf.values(), default=1.0)

    doc_text = f"{doc.title}\n{doc.text}".lower() if doc is not None else ""

    def weight(w: str) -> float:
        if w in missing:  # a lone new character ("税", "归") is weaker evidence than a new word
            share = SINGLE_CHARACTER_SHARE if len(w) == 1 else 1.0
            if len(w) == 2 and all(ch in doc_text for ch in w):
                share = SCATTERED_SHARE  # "烧煤" beside "燃煤…复烧": the document's own words, recombined
            return top * MISSING_WEIGHT * share * information_weight(w, tokenizer)
        return idf.get(w.lower(), top)

    words = [w for w in words if weight(w) > 0]  # an unknown word as common as "地方" says nothing
    missing = [w for w in missing if w in words]
    if not words:
        return Coverage((), (), 1.0 if doc is not None else 0.0)
    total = sum(weight(w) for w in words)
    matched = retriever.matched([w for w in words if w not in missing], doc) if doc is not None else []
    if things and doc is not None and doc.sentences:
        # Next to a word the plan never uses, the known words must meet in one sentence (or the task's own
        # title and fields): "交通…超标" gathered from two sentences is not "交通噪声超标".
        fixed = f"{doc.title}\n{doc.fields_text()}".lower()
        matched = max(([w for w in matched if w.lower() in fixed or w.lower() in s.lower()] for s in doc.sentences),
                      key=lambda ws: sum(weight(w) for w in ws))
    share = sum(weight(w) for w in matched) / total if total else 0.0
    unknown = sum(weight(w) for w in missing if w in things) / total if total else 0.0
    other = sum(weight(w) for w in missing if w not in things) / total if total else 0.0
    # The refusal names what is missing, the things first ("方案中没有关于“人口”…"), never a weightless word.
    named = tuple(sorted((w for w in missing if weight(w) > 0), key=lambda w: w not in things))
    return Coverage(tuple(words), named, share, unknown, other)

"""Refusals that name only what the plan lacks (never a filler word) and say what it covers nearby."""

from __future__ import annotations

import re

from knowledge.model import Plan
from knowledge.qa import texts as msg
from knowledge.qa.answer import Answer, source_of
from knowledge.qa.corpus import Doc
from knowledge.qa.coverage import FUNCTION_TAGS, is_thing
from knowledge.qa.lexicon import place_sense
from knowledge.qa.places import gazetteer
from knowledge.qa.question import Question
from knowledge.qa.retrieval import Retriever
from knowledge.qa.tokenize import Tokenizer

# A question word inside a segmented word ("哪几个", "干啥"): never quoted as a missing topic.
_QUESTION_WORD = re.compile(r"什么|啥|哪|几|多少|怎|谁|吗|呢|么")
# A place no division table holds (a country, a region) counts as elsewhere when this common in general Chinese
# (jieba's counts: 美国 and 欧洲 in the thousands); a village a plan does not list may still be its own ground.
PLACE_FREQ = 50
# Another city or province, unnamed ("别的市", "外地"); another county is still the city's own ground.
_ELSEWHERE = re.compile(r"别的(?:市|城市|地市|省)|其他(?:城市|地市|省份?)|其他市(?![级场区直])|外地|外省|外市|兄弟城市|"
                        r"周边城市|全国其他")
_CITY = "市"  # "宝鸡" + 市: how jieba knows a city it tags as a plain noun
QUOTE_INFORMATION = 9.0  # jieba's information of a word ("东西" 8.1, "事情" 8.3; "名字" 9.3, "会商" 13.6)
# Names jieba guesses for common words ("谢谢" as a person): not a topic of a greeting.
_NAME_TAGS = ("nr", "ns")
# Characters that only frame an ask (verbs, pronouns, particles, measure words): a word made of them names no topic.
_FRAME_CHAR_TAGS = ("v", "r", "u", "p", "m", "q", "d", "y", "c")


# An emission stage or class ("国四", "Ⅱ类"): a grade the engine compares with the plan's own, not a name.
_GRADE_NAME = re.compile(r"国[一二三四五六七1-7]|[ⅠⅡⅢⅣⅤⅥ]类")


class Refusals:
    """The refusal texts of one plan, and the checks that a question is about another place or is small talk."""

    def __init__(self, plan: Plan, tokenizer: Tokenizer, retriever: Retriever) -> None:
        self.plan = plan
        self.tokenizer = tokenizer
        self.retriever = retriever
        docs = retriever.docs
        self.places = gazetteer("\n".join([plan.title, *(f"{d.title}\n{d.text}" for d in docs)]))

    def quotable(self, words: list[str] | tuple[str, ...]) -> list[str]:
        """The words a refusal or caveat may name as missing: never a function word, a question word or a verb
        phrase made only of verbs and particles ("干啥", "装到", "哪几个")."""
        def quotable(word: str) -> bool:
            tag = self.tokenizer.tag(word)
            if (tag.startswith(FUNCTION_TAGS) and not tag.startswith("nz")) or _QUESTION_WORD.search(word):
                return False
            name = tag.startswith(_NAME_TAGS) and place_sense(word) is not False  # "北京", not "东西"
            if tag and not name and self.tokenizer.information(word) < QUOTE_INFORMATION:
                return False  # a word as common as "东西" or "事情" is no topic to tell the user the plan lacks
            cjk = [ch for ch in word if "\u4e00" <= ch <= "\u9fff"]
            return not cjk or not all(self.tokenizer.tag(ch).startswith(_FRAME_CHAR_TAGS) for ch in cjk)

        return [w for w in words if quotable(w)]

    def unknown_names(self, missing: tuple[str, ...] | list[str]) -> list[str]:
        """The names among words the plan lacks (a maker, a firm, a person: "比亚迪"), not places, grades or slips."""
        return [w for w in self.quotable(missing) if self.tokenizer.tag(w).startswith(("nr", "nt", "nz"))
                and place_sense(w) is not True and not _GRADE_NAME.match(w)]

    def refuse(self, q: Question, missing: list[str], near: Doc | None = None) -> Answer:
        """"方案中没有关于…" naming the words the plan lacks, with the nearest task when there is one."""
        missing = self.quotable(missing)
        first = min((t.number for t in self.plan.tasks), default=1)
        if not missing:  # nothing to name: say so plainly, not "关于‘这个问题’"
            text = (msg.QA_REFUSE_NEAR_UNNAMED.plain(label=near.label, title=near.title) if near is not None
                    else msg.QA_REFUSE_UNNAMED.plain(number=first))
            return Answer(text, refused=True, intent=q.intent)
        topic = "、".join(missing[:3])
        text = (msg.QA_REFUSE_NEAR.plain(topic=topic, label=near.label, title=near.title) if near is not None
                else msg.QA_REFUSE.plain(topic=topic, number=first))
        return Answer(text, refused=True, intent=q.intent)

    def refuse_fact(self, q: Question, kind: str, pointer: Doc) -> Answer:
        """"方案没有写明…" with the nearest task as a pointer."""
        if pointer.task is not None:
            text = msg.QA_REFUSE_FACT.plain(kind=kind, label=pointer.label, title=pointer.title)
        elif pointer.label != pointer.title:  # a section of the plan: its label holds its title ("（一）加强组织领导")
            text = msg.QA_REFUSE_FACT_SECTION.plain(kind=kind, label=pointer.label)
        else:  # the preamble: no pointer to name
            text = msg.QA_REFUSE_FACT_PLAN.plain(kind=kind)
        tasks = [pointer.task.number] if pointer.task else []
        return Answer(text, tasks, refused=True, sources=[source_of(pointer)], intent=q.intent)

    def refuse_amount(self, q: Question, topic: set[str], near: Doc | None = None) -> Answer:
        """The plan names the subject but gives no figure for it; the task that names it as a pointer."""
        first = min((t.number for t in self.plan.tasks), default=1)
        words = self.quotable([w for w in dict.fromkeys(self.tokenizer.content_words(q.rest or q.text))
                                if w.lower() in topic])
        # A Latin term as the user typed it ("SCR"), not as the index lower-cases it.
        words = [q.text[at:at + len(w)] if (at := q.text.lower().find(w)) >= 0 and w.isascii() else w for w in words]
        if words and near is not None and near.task is not None:
            text = msg.QA_REFUSE_AMOUNT_NEAR.plain(topic="、".join(words[:3]), label=near.label, title=near.title)
            return Answer(text, [near.task.number], refused=True, sources=[source_of(near)], intent=q.intent)
        text = (msg.QA_REFUSE_AMOUNT.plain(topic="、".join(words[:3]), number=first) if words
                else msg.QA_REFUSE_AMOUNT_UNNAMED.plain(number=first))
        return Answer(text, refused=True, intent=q.intent)

    def refuse_past(self, q: Question, year: int) -> Answer:
        """A year the plan does not cover: it is this year's plan, with no figure for that year."""
        first = min((t.number for t in self.plan.tasks), default=1)
        text = msg.QA_REFUSE_PAST.plain(plan_year=self.plan.year, year=year, number=first)
        return Answer(text, refused=True, intent=q.intent)

    def other_place(self, q: Question) -> str | None:
        """A place the plan never names that lies outside its city ("西安", "铜川"): the plan is one city's, so it
        says nothing of that place. A county of its own city it never names ("彬州") is still its own ground; a
        place no division is named (a country) counts when common in general Chinese."""
        if q.task_number is not None or q.persons or q.units:
            return None
        if m := _ELSEWHERE.search(q.text):  # "别的市也要求吗": another city, unnamed
            return m.group(0)
        corpus = self.retriever.corpus
        for word in self.tokenizer.words(q.text):
            # jieba tags some cities as plain nouns ("宝鸡") but their full names ("宝鸡市") as places.
            # A word with another everyday sense ("东西" thing, "太阳" sun, "上路") is read in that sense.
            place = (self.tokenizer.tag(word).startswith("ns") or self.tokenizer.tag(word + _CITY).startswith("ns")
                     ) and place_sense(word) is not False
            if not place or word.lower() in corpus or word[:2].lower() in corpus:
                continue
            known = word in self.places.codes or word + _CITY in self.places.codes
            if (self.places.other(word) or self.places.other(word + _CITY) if known
                    else self.tokenizer.frequency(word) >= PLACE_FREQ):
                return word
        # A full name the segmenter cut ("彬州市" as 彬|州市) is still the division's.
        return next((n for n in self.places.named_in(q.text) if self.places.other(n) and n.lower() not in corpus), None)

    def small_talk(self, q: Question) -> bool:
        """A greeting or thanks with no topic ("你好", "谢谢"): short, no slot, no number, no word of the plan
        (not even a character pair) and no thing named."""
        chars = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", q.text)
        if not chars or len(chars) > 6 or re.search(r"\d", chars) or q.task_number is not None:
            return False
        if q.persons or q.units or q.sections or q.period is not None:
            return False
        if any(chars[i:i + 2].lower() in self.retriever.corpus for i in range(len(chars) - 1)):
            return False
        words = self.tokenizer.content_words(q.text)
        return not any(is_thing(w, self.tokenizer) and not self.tokenizer.tag(w).startswith(_NAME_TAGS)
                       for w in words)

    def refuse_place_figure(self, place: str, doc: Doc, q: Question) -> Answer:
        """A figure asked for one district where the plan gives only the whole area's."""
        where = doc.label if doc.task is not None else (
            doc.paragraph.heading if doc.paragraph is not None and doc.paragraph.heading else msg.QA_PREAMBLE.plain())
        tasks = [doc.task.number] if doc.task else []
        return Answer(msg.QA_REFUSE_PLACE_FIGURE.plain(place=place, where=where), tasks, refused=True,
                      sources=[source_of(doc)], intent=q.intent)

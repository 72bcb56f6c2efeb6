"""QAEngine: understand the question, answer from ledger fields or retrieved passages, refuse without evidence."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from knowledge.model import Plan
from knowledge.qa import texts as msg
from knowledge.qa.answer import Answer, cite, list_line, quote, source_of, task_answer
from knowledge.qa.compose import NUMERIC_ASK, Composer
from knowledge.qa.corpus import Doc, build_docs
from knowledge.qa.coverage import FUNCTION_TAGS, Coverage, assess, is_thing, is_topic, topic_words
from knowledge.qa.decide import WEIGHTS, Signals, Weights, decide
from knowledge.qa.facts import asked_fact, states_fact
from knowledge.qa.grounding import ungrounded
from knowledge.qa.learning import question_key
from knowledge.qa.lexicon import Lexicon, place_sense, sense_classes
from knowledge.qa.lists import list_answer
from knowledge.qa.question import (
    Question,
    answerable_part,
    asks_for_list,
    understand,
    unit_aliases,
    without_list_ask,
)
from knowledge.qa.retrieval import SHORT_LIST, Dense, Ranked, Retriever
from knowledge.qa.tokenize import Tokenizer
from knowledge.qa.yesno import asks_yes_no, compare, goal_limits

__all__ = ["Answer", "QAEngine"]

log = logging.getLogger(__name__)

ALSO_TIE = 0.95  # a runner-up this close to the best is shown too ("也可能是指…")
AMOUNT_CANDIDATES = 3  # "how many" looks this far down the ranking for a document that states the figure
COVER_CANDIDATES = 4  # how far down the ranking an answer may come from when the best match covers no topic word
COVER_MARGIN = 0.2  # among near-tied matches, one covering this much more of the question's topic weight wins
DENSE_AGREE = 3  # the lexical best agrees with dense when it is among dense's first this many

# Other departments the plan's text names ("对接市住建局"): segmented whole, so a list can be asked about them.
_AGENCY = re.compile(r"(?<=市)[\u4e00-\u9fff]{2,4}?局")

# A question word inside a segmented word ("哪几个", "干啥"): never quoted as a missing topic.
_QUESTION_WORD = re.compile(r"什么|啥|哪|几|多少|怎|谁|吗|呢|么")
# A place as common as this in general Chinese (jieba's counts: 西安 2576, 宝鸡 188) is a known city or region; a
# village or county a plan does not list (乾县 19, 礼泉 8) may still be its own ground.
PLACE_FREQ = 100
_DATED = re.compile(r"\d{4}年|\d{1,2}月|[年月]底|年内|每[年季月周]")
_DEPARTMENT = "部门"
_CITY = "市"  # "宝鸡" + 市: how jieba knows a city it tags as a plain noun
_QUOTED_TERM = re.compile(r"“([\u4e00-\u9fffA-Za-z]{2,8})”")
_EITHER = re.compile(r"或者|或是|或|还是")
# A grade written with an ordinal ("国四", "Ⅱ类"): a grade the plan never uses is a different thing from the plan's
# ("国三及以下"), however close the words around it.
_GRADE = re.compile(r"国[一二三四五六七1-7]|[ⅠⅡⅢⅣⅤⅥ]类")
# Words that ask for an amount rather than name its subject ("降尘量上限是多少").
_AMOUNT_WORD = re.compile(r"上限|下限|限值|最高|最低|标准|数量|指标|数字|数值")
# A who-question's framing ("哪个领导包抓"): the plan's paragraph on leaders' duties is not the task asked about.
_WHO_FRAME = re.compile(r"(?:哪个|哪位|什么)?(?:分管|包抓|责任)?领导(?:是谁|包抓|分管|负责|管)?|包抓|分管|"
                        r"(?:由)?谁(?:来)?(?:负责|管|主抓|抓)")
# A unit question's framing ("责任单位哪几个分局"): the units are asked for, the topic picks the task.
_UNIT_FRAME = re.compile(r"(?:牵头|责任|负责|配合|参与)单位|哪(?:几)?个(?:分局|单位|部门)|哪些(?:分局|单位|部门)")
QUOTE_INFORMATION = 9.0  # jieba's information of a word ("东西" 8.1, "事情" 8.3; "名字" 9.3, "会商" 13.6)
# Whether doing it by a month would be in time ("10月底改完来得及不"), as against what the time limit is.
_IN_TIME_ASK = re.compile(r"来得及|来不及|行不行|行吗|可以吗|可不可以|赶得上|赶不上|能不能|中不中|成不成|晚不晚|晚了|"
                          r"按时|算不算")
# How a place's name may end after the short form a question types ("秦都" → "秦都区", "高新" → "高新区").
_PLACE_SUFFIX = "(?:区|县|市|新区)?"
# Names jieba guesses for common words ("谢谢" as a person): not a topic of a greeting.
_NAME_TAGS = ("nr", "ns")
# Characters that only frame an ask (verbs, pronouns, particles, measure words): a word made of them names no topic.
_FRAME_CHAR_TAGS = ("v", "r", "u", "p", "m", "q", "d", "y", "c")

# A rephraser takes (question, deterministic answer text, passages) and returns new text or None.
Rephrase = Callable[[str, str, list[str]], str | None]


class QAEngine:
    """Grounded answers about one plan; `dense` and `llm` are optional and only refine the deterministic answer."""

    def __init__(self, plan: Plan, *, dense: Dense | None = None, llm: Rephrase | Any | None = None,
                 tokenizer: Tokenizer | None = None, jieba_cache: Path | None = None,
                 timezone: str = "Asia/Shanghai", llm_timeout: float = 8.0,
                 lexicon: Mapping[str, str] | None = None, mappings: Mapping[str, int] | None = None,
                 weights: Weights = WEIGHTS) -> None:
        self.plan = plan
        self._plan_title = plan.title.lower()
        self._doc_classes: dict[str, set[str]] = {}  # thesaurus classes of each document's words, filled on use
        self.weights = weights  # the fitted decision; bench/qa_fit.py passes others to see what the gate alone decides
        self.tz = ZoneInfo(timezone)
        self.docs = build_docs(plan)
        self.aliases = unit_aliases(plan)
        agencies = {m for d in self.docs for m in _AGENCY.findall(d.text)}
        # Short aliases only: odd tails of long names ("合执法支队") would distort segmentation.
        names = [*plan.leaders, *plan.unit_names, *(a for a in self.aliases if len(a) <= 3), *agencies,
                 # the plan's own coinages, written in quotation marks ("环境码", "日控月考"), are words of its own
                 *{m for d in self.docs for m in _QUOTED_TERM.findall(d.text)}]
        self.tokenizer = tokenizer or Tokenizer(names, cache_file=jieba_cache)
        self.retriever = Retriever(self.docs, self.tokenizer, dense)
        self.composer = Composer(self.retriever)
        plan_words = [w for d in self.docs for w in self.tokenizer.words(f"{d.title}\n{d.text}")]
        self.lexicon = Lexicon(self.retriever.corpus, plan_words, [*plan.leaders, *plan.unit_names, *self.aliases],
                               self.tokenizer)
        # "住建部门" is how staff say the bureau the plan calls "住建局": a bureau's stem with 部门 means it.
        self.lexicon.add({a[:-1] + _DEPARTMENT: a for a in agencies if len(a) >= 3})
        self._local = threading.local()  # per-thread state of one ask (the bot asks from several threads)
        self.mappings: dict[str, int] = {}  # question key → task number, taught by the office
        self.learn(lexicon or {}, mappings or {})
        if llm is not None and hasattr(llm, "invoke"):  # a LangChain chat model: wrap it with the timeout
            from knowledge.qa.llm import LLMRephraser

            llm = LLMRephraser(llm, llm_timeout)  # type: ignore[arg-type]
        self.llm: Rephrase | None = llm
        self.ledger_text = "\n".join(d.fields_text() for d in self.docs)

    @property
    def last_signals(self) -> Signals | None:
        """The decision's inputs of this thread's last question (None when no calibrated decision was taken)."""
        return getattr(self._local, "signals", None)

    @last_signals.setter
    def last_signals(self, value: Signals | None) -> None:
        self._local.signals = value

    @property
    def _asked(self) -> str:
        return getattr(self._local, "asked", "")

    @_asked.setter
    def _asked(self, value: str) -> None:
        self._local.asked = value

    def learn(self, aliases: Mapping[str, str], mappings: Mapping[str, int]) -> None:
        """Apply what the office taught (stored aliases, question → task mappings) at once; repeating is harmless."""
        if aliases:
            self.lexicon.add(aliases)
        numbers = {t.number for t in self.plan.tasks}
        taught = {question_key(q): n for q, n in mappings.items() if n in numbers and question_key(q)}
        self.mappings = {**self.mappings, **taught}  # swapped in whole, like the lexicon's entries

    def ask(self, question: str, now: datetime) -> Answer:
        """Answer one question; `now` (aware) anchors relative periods in the plan's time zone."""
        text = (question or "").strip()
        if not text:
            return Answer(self._empty_hint(), intent="empty")
        today = now.astimezone(self.tz).date() if now.tzinfo else now.date()
        self._asked = text
        normal, rewrites = self.lexicon.normalise(text)
        q = understand(normal, self.plan, today, self.aliases, subject=self._names_topic)
        self.last_signals = None
        if self._small_talk(q):
            first = min((t.number for t in self.plan.tasks), default=1)
            return Answer(msg.QA_SMALL_TALK.plain(title=self.plan.title, number=first), refused=True, intent="chat")
        answer, sources = self._answer(q, today)
        answer = self._grounded(q, answer, sources)
        # Say how a typing slip or a thesaurus synonym was read ("按‘刘鲲’理解"): both are guesses the user can check;
        # the curated lexicon's entries are not.
        slips = [r for r in rewrites if r.kind in ("slip", "thesaurus") and r.meant not in r.said]
        if slips and not answer.refused:
            notes = "".join(msg.QA_READ_AS.plain(meant=r.meant, said=r.said) for r in slips[:2])
            answer = replace(answer, text=f"{answer.text}\n{notes}")
        if self.llm is not None and not answer.refused:
            answer = self._rephrase(q, answer, sources)
        return self._marked(q, answer)

    def _marked(self, q: Question, answer: Answer) -> Answer:
        """A refusal or a low-confidence answer carries the best-matching task (what /unanswered offers)."""
        signals = self.last_signals
        low = not answer.refused and signals is not None and decide(signals, self.weights).verdict == "caveat"
        if not (answer.refused or low):
            return answer
        pointer = answer.tasks[0] if answer.tasks else None
        if pointer is None:
            ranked = self.retriever.rank(q.rest or q.text, allow_dense=False)
            pointer = next((d.task.number for d in ranked.docs if d.task is not None), None)
        return replace(answer, low_confidence=low, pointer=pointer)

    def _empty_hint(self) -> str:
        """Example questions taken from this plan (a task with a due date, a leader), never from a fixed one."""
        dated = [t for t in self.plan.tasks if any(d.kind == "due" for d in t.deadlines)] or list(self.plan.tasks)
        title = dated[0].title if dated else ""
        person = self.plan.leaders[0] if self.plan.leaders else msg.QA_EXAMPLE_PERSON
        return msg.QA_EMPTY_QUESTION.plain(title=title, person=person)

    # -- dispatch ------------------------------------------------------------------------------------------------
    def _answer(self, q: Question, today: date) -> tuple[Answer, list[str]]:
        """The deterministic answer and the texts its numbers must come from."""
        context = [q.text, q.period.label if q.period else ""]
        mapped = self.mappings.get(question_key(self._asked))
        doc = next((d for d in self.docs if d.task and d.task.number == mapped), None) if mapped else None
        if doc is not None:  # the office said which task answers this question
            return self._doc_answer(q, doc), [*context, doc.text, doc.fields_text()]
        if q.intent == "list":
            return list_answer(self.plan, q, self.aliases), [*context, self.ledger_text]
        if q.past_year is not None and q.task_number is None:
            # The plan sets this year's targets; what happened in an earlier year it only uses as a baseline.
            return self._refuse_past(q, q.past_year), context
        if (place := self._other_place(q)) is not None:
            missing = assess(q.rest or q.text, None, self.tokenizer, self.retriever).missing
            return self._refuse(q, [*(w for w in missing if w != place), place]), context
        if q.task_number is None and q.intent != "list" and asks_for_list(q.text):
            listed = self._topic_list(q)
            if listed is not None:
                return listed, [*context, self.ledger_text]
        if q.task_number is not None:
            doc = next((d for d in self.docs if d.task and d.task.number == q.task_number), None)
            if doc is None:
                numbers = sorted(t.number for t in self.plan.tasks)
                text = msg.QA_TASK_MISSING.plain(number=q.task_number, first=numbers[0], last=numbers[-1])
                return Answer(text, refused=True, intent="task"), [*context, self.ledger_text]
            return self._doc_answer(q, doc), [*context, doc.text, doc.fields_text()]
        return self._retrieve(q, context)

    def _retrieve(self, q: Question, context: list[str]) -> tuple[Answer, list[str]]:
        """Rank the documents (dense always consulted when available); one calibrated decision answers or refuses."""
        query = q.rest or q.text
        frame = {"who": _WHO_FRAME, "unit": _UNIT_FRAME}.get(q.intent)
        if frame is not None and q.task_number is None:
            framed = frame.sub(" ", query)
            query = framed if self._names_topic(framed) else query
        doc_sims = self.retriever.similarities(self._asked)  # the embedding reads the question as typed
        sentence_sims = self.retriever.sentence_similarities(self._asked) if doc_sims else None
        # Ranking keeps the documents' vectors (bench/qa_fit.py: right task first 410 vs 408 of 425 with the best
        # sentence); the best sentence informs the decision.
        sims = doc_sims
        ranked = self.retriever.rank(query, sims=sims)
        top = ranked.docs[0] if ranked.docs else None
        evidence = assess(query, top, self.tokenizer, self.retriever)
        if top is not None:
            # Framing words may outweigh the topic ("各牵头单位…" for "X由谁牵头"): among the first few documents,
            # and then ranking on the topic words alone, one covering clearly more of the topic wins.
            focused = self.retriever.rank(" ".join(evidence.words), sims=sims) if evidence.words else ranked
            for pool in (ranked, focused):
                for doc in pool.docs[:COVER_CANDIDATES]:
                    found = assess(query, doc, self.tokenizer, self.retriever)
                    if found.share >= evidence.share + COVER_MARGIN:
                        top, evidence, ranked = doc, found, _promote(ranked, doc)
        self.last_signals = self._signals(q, top, evidence, doc_sims, sentence_sims)
        decision = decide(self.last_signals, self.weights)
        kind = asked_fact(q.text) or asked_fact(self._asked)  # as typed too: "厂家" reads as 企业 once normalised
        if top is None or decision.verdict == "refuse":
            if top is not None and kind is not None and not self._quotable(evidence.missing):
                # Nothing to name but the kind of fact ("明天会不会重污染" asks a forecast): say that, not "这个问题".
                return self._refuse_fact(q, kind, top), context
            # Name only words the plan lacks (never a filler or a word it uses), and what it covers nearby.
            near = top if top is not None and top.task is not None and evidence.share > 0 else None
            return self._refuse(q, list(evidence.missing), near), context
        top, evidence, ranked = self._better_covered(query, ranked, top, evidence)
        grades = [g for g in dict.fromkeys(_GRADE.findall(q.text)) if g.lower() not in self.retriever.corpus]
        if grades and not asks_yes_no(q.text):  # a yes/no one is answered with the plan's own grade (below)
            return self._refuse(q, grades, top if top.task is not None else None), context
        if kind is not None and not states_fact(kind, q.text, f"{top.text}\n{top.fields_text()}"):
            part = answerable_part(q.text)
            if part is None:
                # The plan names the subject but not this kind of fact (a frequency, an amount of money…).
                return self._refuse_fact(q, kind, top), context
            # Two asks, one answerable ("…谁牵头 多久一次"): the plan does not answer the question as asked, so it
            # is a refusal (recorded for /unanswered) that says so first and still gives the part the plan holds.
            answer = self._doc_answer(replace(q, intent=part), top)
            return (replace(answer, text=f"{msg.QA_PART_MISSING.plain(kind=kind)}\n{answer.text}", refused=True),
                    [*context, top.text, top.fields_text()])
        yes_no = self._yes_no(q, [top, *ranked.docs[:AMOUNT_CANDIDATES]]) or self._in_time(q, top)
        if yes_no is not None:
            keys = {src.get("key") for src in yes_no.sources}
            return yes_no, [*context, *(s for d in self.docs if d.key in keys for s in (d.text, d.fields_text()))]
        if q.intent == "howmuch" and _asks_number(q.text):
            if (by_place := self._place_figure(q, [top, *ranked.docs[:AMOUNT_CANDIDATES]])) is not None:
                doc = by_place[1]
                return by_place[0], [*context, doc.text, doc.fields_text()]
            if siblings := self._siblings_of_plan_terms(evidence.missing, top):
                # "颗粒物" beside the task's 氮氧化物 figure: the figure is about the other member of the kind.
                return self._refuse(q, siblings, top if top.task is not None else None), context
            stated = self._stating_amount(q, query, [top, *(d for d in ranked.docs if d is not top)], evidence)
            if stated is None:
                # The plan names the subject but gives no figure for it ("多少家加油站"): a quote would not answer.
                return self._refuse_amount(q, {w.lower() for w in evidence.words}), context
            if stated is not top:  # a runner-up holds the figure ("一共多少项任务" → "37项重点工作任务")
                return self._doc_answer(q, stated), [*context, stated.text, stated.fields_text()]
        answer = self._doc_answer(q, top)
        sources = [*context, top.text, top.fields_text()]
        if grades:  # "国四柴油车要不要淘汰": say first that the plan names another grade, then what it requires
            answer = replace(answer, text=f"{msg.QA_GRADE_UNNAMED.plain(grades='、'.join(grades))}\n{answer.text}")
        if decision.verdict == "caveat":
            quoted = self._quotable(evidence.missing)
            caveat = (msg.QA_CAVEAT.plain(words="、".join(quoted[:2])) if quoted else msg.QA_CAVEAT_NEAREST.plain())
            answer = replace(answer, text=f"{answer.text}\n{caveat}")
        second = assess(query, ranked.docs[1], self.tokenizer, self.retriever) if len(ranked.docs) > 1 else None
        if (second is not None and ranked.scores[1] >= ALSO_TIE * ranked.scores[0] and second.covered
                and second.share > evidence.share - COVER_MARGIN):
            # Two documents match equally well: answer from the first, and point to the second rather than guess.
            other = ranked.docs[1]
            first_line = self.composer.answer_doc(q, other).splitlines()[0]
            answer = Answer(f"{answer.text}\n{msg.QA_ALSO.plain(text=first_line)}",
                            [*answer.tasks, *([other.task.number] if other.task else [])],
                            sources=[*answer.sources, source_of(other)], intent=answer.intent)
            sources += [other.text, other.fields_text()]
        return answer, sources

    def _signals(self, q: Question, top: Doc | None, evidence: Coverage, doc_sims: dict[str, float] | None,
                 sentence_sims: dict[str, float] | None) -> Signals:
        """The decision's inputs for the chosen document."""
        sims = doc_sims
        dense = max(sims.values(), default=0.0) if sims else None
        agree = bool(sims and top is not None
                     and top.key in sorted(sims, key=lambda k: -sims[k])[:DENSE_AGREE])
        best = sorted(sentence_sims.values(), reverse=True) if sentence_sims else []
        sentence = best[0] if best else dense
        margin = best[0] - best[1] if len(best) > 1 else 0.0
        slots = bool(q.persons or q.units or q.sections or q.period or q.task_number is not None)
        share = evidence.share if top is not None else 0.0
        return Signals(share, evidence.unknown, evidence.unknown_other, dense, agree, slots, sentence, margin)

    def _better_covered(self, query: str, ranked: Ranked, top: Doc,
                        evidence: Coverage) -> tuple[Doc, Coverage, Ranked]:
        """Among matches tied with the best, one that covers clearly more of the question's topic words
        ("空气质量排名": the sentence on the ranking, not the preamble that only says 空气质量)."""
        for doc, score in zip(ranked.docs[1:SHORT_LIST], ranked.scores[1:SHORT_LIST], strict=False):
            if score < ALSO_TIE * ranked.scores[0]:
                break
            found = assess(query, doc, self.tokenizer, self.retriever)
            if found.covered and found.share >= evidence.share + COVER_MARGIN:
                return doc, found, _promote(ranked, doc)
        return top, evidence, ranked

    def _stating_amount(self, q: Question, query: str, docs: list[Doc], evidence: Coverage) -> Doc | None:
        """The best-ranked of the first few documents that covers the question (a runner-up at least as well as the
        best) and states the asked amount."""
        for doc in docs[:AMOUNT_CANDIDATES]:
            found = evidence if doc is docs[0] else assess(query, doc, self.tokenizer, self.retriever)
            # The words naming the plan itself ("这个细化方案") or the amount asked ("上限") need not stand in the
            # sentence holding the figure.
            subject = {w.lower() for w in found.words if w not in found.missing and w.lower() not in self._plan_title
                       and not _AMOUNT_WORD.fullmatch(w)}
            if found.covered and found.share >= evidence.share and self.composer.states_amount(q, doc, subject):
                return doc
        return None

    def _yes_no(self, q: Question, docs: list[Doc]) -> Answer | None:
        """A yes/no question with a number: 是/否 from the first candidate task holding a limit in the asked unit,
        then the sentence that sets it."""
        for doc in docs:
            if doc.task is not None:
                verdict = compare(q.text, doc.task.limits)
            else:  # the general requirements hold the plan's overall targets ("PM2.5年均浓度不超过49")
                verdict = compare(q.text, [g for g in goal_limits(self.plan.goals) if g.text in doc.text])
            if verdict is None:
                continue
            sentence = next((s for s in doc.sentences if verdict.limit.text in s), "")
            if doc.task is None:
                where = doc.paragraph.heading if doc.paragraph is not None and doc.paragraph.heading else ""
                return Answer(msg.QA_PARAGRAPH.plain(text=verdict.headline, where=where or msg.QA_PREAMBLE),
                              sources=[source_of(doc)], intent="yesno")
            lines = [msg.QA_FACT_CITED.plain(fact=verdict.headline, cite=cite(doc.task))]
            if sentence:
                lines.append(quote([sentence]))
            return Answer("\n".join(lines), [doc.task.number], sources=[source_of(doc)], intent="yesno")
        return None

    def _place_figure(self, q: Question, docs: list[Doc]) -> tuple[Answer, Doc] | None:
        """A figure the plan breaks down by place ("…（秦都区4家、乾县4家…）"), asked for the place a question
        names ("乾县要创几家"): that place's figure first, not the total."""
        typed = [a for a, unit in self.aliases.items() if unit in q.units and a in q.text and len(a) >= 2]
        for doc in docs:
            if doc.task is None:
                continue
            for alias in sorted(typed, key=len, reverse=True):
                # The plan's limits already carry their subject ("乾县4家": 乾县); the place asked is its end.
                lim = next((lim for lim in doc.task.limits if lim.text.startswith(lim.subject)
                            and re.fullmatch(f".*{re.escape(alias)}{_PLACE_SUFFIX}", lim.subject)), None)
                if lim is None:
                    continue
                end = len(lim.subject)
                place = lim.text[lim.text.rindex(alias, 0, end):end]  # as the plan writes it ("高新区" for "高新")
                sentence = next((s for s in doc.sentences if lim.text in s), lim.text)
                text = task_answer(doc.task, msg.QA_PLACE_FIGURE.plain(place=place, figure=lim.text[end:]), [sentence])
                return Answer(text, [doc.task.number], sources=[source_of(doc)], intent=q.intent), doc
        return None

    def _siblings_of_plan_terms(self, missing: tuple[str, ...], doc: Doc) -> list[str]:
        """Words the plan never uses that are of the same thesaurus kind as a word of the document ("二氧化硫" and
        "臭氧" are both gases): other members of the kind, not other names for the plan's."""
        own = self._doc_classes.get(doc.key)
        if own is None:
            words = {w for w in self.tokenizer.words(f"{doc.title}\n{doc.text}") if len(w) >= 2}
            own = self._doc_classes[doc.key] = {c for w in words for c in sense_classes(w)}
        return [w for w in missing if is_thing(w, self.tokenizer) and sense_classes(w) & own]

    def _in_time(self, q: Question, doc: Doc) -> Answer | None:
        """A yes/no question on a month ("11月中旬改完来得及不"): 是/否 first, by the task's time limit asked about,
        then the usual "when" answer."""
        if q.period is None or doc.task is None or not asks_yes_no(q.text):
            return None
        due = self.composer.asked_time(q, doc)
        if due is None or due.kind != "due" or due.date is None:
            return None
        asked = q.period.source or q.period.label  # as the question wrote it ("11月"): no year the user did not say
        if not _IN_TIME_ASK.search(q.text):
            # "是9月底前划定吗" asks what the time limit is, not whether 9月 would be in time.
            same = q.period.start <= due.date <= q.period.end
            head = (msg.QA_YESNO_SAME_TIME if same else msg.QA_YESNO_OTHER_TIME).plain(asked=asked, due=due.text)
        elif q.period.end <= due.date:
            head = msg.QA_YESNO_IN_TIME.plain(asked=asked, due=due.text)
        elif q.period.start > due.date:
            head = msg.QA_YESNO_LATE.plain(asked=asked, due=due.text)
        else:
            return None  # the month asked straddles the limit: the limit itself answers
        when = self._doc_answer(replace(q, intent="when"), doc)
        return replace(when, text=f"{head}\n{when.text}", intent=q.intent)

    def _doc_answer(self, q: Question, doc: Doc) -> Answer:
        text = self.composer.answer_doc(q, doc)
        tasks = [doc.task.number] if doc.task else []
        # "When" of a task with no time limit: the plan lacks the asked fact — a refusal that points to the task
        # (like a frequency or an amount the plan does not give), not an answer.
        lacks = q.intent == "when" and (
            not _DATED.search(doc.text) if doc.task is None  # a paragraph of general requirements with no date
            else not doc.task.deadlines or text.startswith(msg.QA_WHEN_NONE_STEP.plain()))  # or the step has none
        return Answer(text, tasks, refused=lacks, sources=[source_of(doc)], intent=q.intent)

    def _quotable(self, words: list[str] | tuple[str, ...]) -> list[str]:
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

    def _other_place(self, q: Question) -> str | None:
        """A well-known place the plan never names ("西安", "北京"): the plan is one city's, so it says nothing of
        that place. Only places common in general Chinese count — a village the plan does not list is still the
        plan's own ground."""
        if q.task_number is not None or q.persons or q.units:
            return None
        corpus = self.retriever.corpus
        for word in self.tokenizer.words(q.text):
            # jieba tags some cities as plain nouns ("宝鸡") but their full names ("宝鸡市") as places.
            # A word with another everyday sense ("东西" thing, "太阳" sun, "上路") is read in that sense.
            place = (self.tokenizer.tag(word).startswith("ns") or self.tokenizer.tag(word + _CITY).startswith("ns")
                     ) and place_sense(word) is not False
            if (place and word.lower() not in corpus
                    and word[:2].lower() not in corpus and self.tokenizer.frequency(word) >= PLACE_FREQ):
                return word
        return None

    def _small_talk(self, q: Question) -> bool:
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

    def _refuse(self, q: Question, missing: list[str], near: Doc | None = None) -> Answer:
        missing = self._quotable(missing)
        topic = "、".join(missing[:3]) if missing else msg.QA_REFUSE_TOPIC_FALLBACK
        first = min((t.number for t in self.plan.tasks), default=1)
        text = (msg.QA_REFUSE_NEAR.plain(topic=topic, label=near.label, title=near.title) if near is not None
                else msg.QA_REFUSE.plain(topic=topic, number=first))
        return Answer(text, refused=True, intent=q.intent)

    def _refuse_fact(self, q: Question, kind: str, pointer: Doc) -> Answer:
        """"方案没有写明…" with the nearest task as a pointer."""
        if pointer.task is not None:
            text = msg.QA_REFUSE_FACT.plain(kind=kind, label=pointer.label, title=pointer.title)
        elif pointer.label != pointer.title:  # a section of the plan: its label holds its title ("（一）加强组织领导")
            text = msg.QA_REFUSE_FACT_SECTION.plain(kind=kind, label=pointer.label)
        else:  # the preamble: no pointer to name
            text = msg.QA_REFUSE_FACT_PLAN.plain(kind=kind)
        tasks = [pointer.task.number] if pointer.task else []
        return Answer(text, tasks, refused=True, sources=[source_of(pointer)], intent=q.intent)

    def _names_topic(self, text: str) -> bool:
        """Whether leftover words of a question name a topic (by part of speech, not a list of framing words)."""
        corpus = self.retriever.corpus
        return any(is_topic(w, w.lower() in corpus, self.tokenizer) for w in self.tokenizer.content_words(text))

    def _topic_list(self, q: Question) -> Answer | None:
        """Tasks about the question's topic words: a section whose title holds them all, else every task that
        does (a word counts as found when it or one of its search sub-words is in the task)."""
        known = [w for w in topic_words(without_list_ask(q.rest or q.text), self.tokenizer, self.retriever)
                 if w.lower() in self.retriever.corpus]
        if not known:
            return None
        # The things asked about select the tasks; an action beside them ("对接", "推进") only frames the ask,
        # unless it qualifies the thing written right after it ("铸造行业").
        asked = q.rest or q.text
        known = [w for w in known if not _is_action(self.tokenizer.tag(w))
                 or any(f"{w}{t}" in asked for t in known if not _is_action(self.tokenizer.tag(t)))] or known
        # "VOCs或者挥发性有机物": either word selects a task; otherwise every word must.
        match = any if _EITHER.search(q.text) else all
        tasks = [t for t in self.plan.tasks if t.section and match(w.lower() in t.section.lower() for w in known)]
        if not tasks:
            def found(word: str, text: str) -> bool:
                parts = [p for p in self.tokenizer.tokens(word) if len(p) >= 2] or [word.lower()]
                if word.endswith("局") and len(word) >= 3:  # a department is also written without "局" ("住建、城管")
                    parts.append(word[:-1].lower())
                return word.lower() in text or any(p in text for p in parts if p != word.lower())

            tasks = [t for t in self.plan.tasks
                     if match(found(w, f"{t.title}\n{t.text}".lower()) for w in known)]
        if len(tasks) < 2:
            return None
        tasks.sort(key=lambda t: t.number)
        lines = [msg.QA_TOPIC_LIST.plain(topic="、".join(known[:3]), count=len(tasks))]
        lines += [list_line(t, "、".join(d.text for d in t.deadlines if d.kind == "due") or msg.QA_WHEN_NONE)
                  for t in tasks]
        sources = [source_of(d) for d in self.docs if d.task in tasks]
        return Answer("\n".join(lines), [t.number for t in tasks], sources=sources, intent="list")

    def _refuse_amount(self, q: Question, topic: set[str]) -> Answer:
        first = min((t.number for t in self.plan.tasks), default=1)
        words = self._quotable([w for w in dict.fromkeys(self.tokenizer.content_words(q.rest or q.text))
                                if w.lower() in topic])
        name = "、".join(words[:3]) or msg.QA_REFUSE_TOPIC_FALLBACK
        return Answer(msg.QA_REFUSE_AMOUNT.plain(topic=name, number=first), refused=True, intent=q.intent)

    def _refuse_past(self, q: Question, year: int) -> Answer:
        first = min((t.number for t in self.plan.tasks), default=1)
        text = msg.QA_REFUSE_PAST.plain(plan_year=self.plan.year, year=year, number=first)
        return Answer(text, refused=True, intent=q.intent)

    # -- safety nets ---------------------------------------------------------------------------------------------
    def _grounded(self, q: Question, answer: Answer, sources: list[str]) -> Answer:
        """Enforce the number/date check; a composed answer that fails it falls back to a plain quote."""
        if answer.refused:
            return answer
        bad = ungrounded(answer.text, sources)
        if not bad:
            return answer
        log.warning("answer failed the grounding check (%s); falling back to a quote", bad)
        doc = next((d for d in self.docs if d.task and answer.tasks and d.task.number == answer.tasks[0]), None)
        if doc is None or doc.task is None:
            return self._refuse(q, [])
        return Answer(f"{cite(doc.task)}\n{quote([doc.text])}", [doc.task.number], sources=[source_of(doc)],
                      intent=answer.intent)

    def _rephrase(self, q: Question, answer: Answer, sources: list[str]) -> Answer:
        """Let the optional LLM reword the answer; keep it only if it passes the same check."""
        assert self.llm is not None
        try:
            text = self.llm(q.text, answer.text, [s for s in sources if s])
        except Exception as exc:  # any model failure (timeout, network, parsing) keeps the grounded answer
            log.warning("LLM phrasing failed: %s", exc)
            return answer
        if not text or not text.strip():
            return answer
        bad = ungrounded(text, sources)
        if bad:
            log.warning("LLM answer rejected, ungrounded numbers/dates: %s", bad)
            return answer
        text = text.strip()
        missing = [n for n in answer.tasks if msg.QA_TASK_LABEL.plain(number=n) not in text]
        cited = self.plan.task(missing[0]) if missing else None
        if missing and len(answer.tasks) == 1 and cited is not None:  # keep the grounded answer's citation
            text += msg.QA_CITE_PAREN.plain(cite=cite(cited))
        elif missing:  # a list rewritten without its numbers loses its point
            return answer
        return Answer(text, answer.tasks, answer.refused, answer.sources, answer.intent)


def _asks_number(text: str) -> bool:
    """Whether the question asks for a figure; in a yes/no question "几个县" means "several counties"."""
    found = [m.group(0) for m in NUMERIC_ASK.finditer(text)]
    return bool(found) and not (asks_yes_no(text) and all(f.startswith("几") for f in found))


def _is_action(tag: str) -> bool:
    """A verb (not a verbal noun such as "监测"): it frames a list question rather than naming its topic."""
    return tag.startswith("v") and tag != "vn"


def _promote(ranked: Ranked, doc: Doc) -> Ranked:
    """The same ranking with `doc` first (it takes the best score; the others keep their order)."""
    rest = [(d, sc) for d, sc in zip(ranked.docs, ranked.scores, strict=True) if d is not doc]
    top_score = max(ranked.scores, default=1.0)
    return Ranked([doc, *(d for d, _ in rest)], [top_score, *(sc for _, sc in rest)], ranked.used_dense)

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
from knowledge.qa.answer import Answer, source_of, task_answer
from knowledge.qa.compose import NUMERIC_ASK, Composer
from knowledge.qa.corpus import Doc, build_docs
from knowledge.qa.coverage import assess, is_topic
from knowledge.qa.decide import WEIGHTS, Signals, Weights, decide
from knowledge.qa.facts import asked_fact, names_the_plans_words, states_fact, stating_sentence
from knowledge.qa.figures import AMOUNT_CANDIDATES, LATIN_TERM, Figures
from knowledge.qa.grounding import grounded
from knowledge.qa.learning import question_key
from knowledge.qa.lexicon import Lexicon
from knowledge.qa.lists import list_answer, topic_list
from knowledge.qa.llm import LLMRephraser, rephrased
from knowledge.qa.question import (
    BARE_TARGET,
    Question,
    answerable_part,
    asks_for_list,
    understand,
    unit_aliases,
)
from knowledge.qa.ranking import ALSO_TIE, COVER_MARGIN, better_covered, choose
from knowledge.qa.refusals import Refusals
from knowledge.qa.retrieval import Dense, Retriever
from knowledge.qa.rules import other_grade
from knowledge.qa.scope import Scope
from knowledge.qa.several import asked_fields, each_asked, each_field, joined
from knowledge.qa.tokenize import Tokenizer
from knowledge.qa.yesno import asks_only_yes_no, asks_yes_no

__all__ = ["Answer", "QAEngine"]

log = logging.getLogger(__name__)


# Other departments the plan's text names ("对接市住建局"): segmented whole, so a list can be asked about them.
_AGENCY = re.compile(r"(?<=市)[\u4e00-\u9fff]{2,4}?局")

_DATED = re.compile(r"\d{4}年|\d{1,2}月|[年月]底|年内|每[年季月周]")
_DEPARTMENT = "部门"
_NEAR_SHARE = 0.5  # a task covering this much of the rest of the question is the nearest one to point to
_FREQUENCY_KIND = "频次"
_QUOTED_TERM = re.compile(r"“([\u4e00-\u9fffA-Za-z]{2,8})”")
# A choice between roles ("牵头还是配合"), which the responsibility lines answer.
_ROLE_CHOICE = re.compile(r"牵头|配合|负责|责任|参与")
# An either-or ask: the words just before and after 还是 ("省平台还是市平台", "电动的还是氢能的").
_CHOICE = re.compile(r"([^，,。？?\s]{1,8}?)(?:的)?还是([^，,。？?\s]{1,8})")
_VALUE_BEFORE = "[是用买选找请]的?"  # a name put forward as the value a yes/no asks about ("用的是比亚迪的车不")
# A grade written with an ordinal ("国四", "Ⅱ类"): a grade the plan never uses is a different thing from the plan's
# ("国三及以下"), however close the words around it.
_GRADE = re.compile(r"国[一二三四五六七1-7]|[ⅠⅡⅢⅣⅤⅥ]类")

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
        self.refusals = Refusals(plan, self.tokenizer, self.retriever)
        self.scope = Scope(plan, self.tokenizer, self.retriever, self.composer, self.aliases, self.refusals.places)
        self.figures = Figures(plan, self.composer, self.tokenizer, self.retriever, self.aliases, self._doc_answer)
        plan_words = [w for d in self.docs for w in self.tokenizer.words(f"{d.title}\n{d.text}")]
        self.lexicon = Lexicon(self.retriever.corpus, plan_words, [*plan.leaders, *plan.unit_names, *self.aliases],
                               self.tokenizer)
        # "住建部门" is how staff say the bureau the plan calls "住建局": a bureau's stem with 部门 means it.
        self.lexicon.add({a[:-1] + _DEPARTMENT: a for a in agencies if len(a) >= 3})
        self._local = threading.local()  # per-thread state of one ask (the bot asks from several threads)
        self.mappings: dict[str, int] = {}  # question key → task number, taught by the office
        self.learn(lexicon or {}, mappings or {})
        if llm is not None and hasattr(llm, "invoke"):  # a LangChain chat model: wrap it with the timeout
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
        if (each := each_asked(text)) is not None:  # "橡胶和铸造分别要对标什么级别": each subject its own answer
            return joined([self.ask(part, now) for part in each], self.docs)
        today = now.astimezone(self.tz).date() if now.tzinfo else now.date()
        self._asked = text
        normal, rewrites = self.lexicon.normalise(text)
        q = understand(normal, self.plan, today, self.aliases, subject=self._names_topic)
        self.last_signals = None
        if self.refusals.small_talk(q):
            first = min((t.number for t in self.plan.tasks), default=1)
            return Answer(msg.QA_SMALL_TALK.plain(title=self.plan.title, number=first), refused=True, intent="chat")
        answer, sources = self._answer(q, today)
        answer = grounded(answer, sources, self.docs) or self.refusals.refuse(q, [])
        # Say how a typing slip or a thesaurus synonym was read ("按‘刘鲲’理解"): both are guesses the user can check;
        # the curated lexicon's entries are not. Right under the headline, where a long list cannot hide it.
        slips = [r for r in rewrites if r.kind in ("slip", "thesaurus") and r.meant not in r.said]
        if slips and not answer.refused:
            notes = "".join(msg.QA_READ_AS.plain(meant=r.meant, said=r.said) for r in slips[:2])
            head, _, rest = answer.text.partition("\n")
            answer = replace(answer, text="\n".join(part for part in (head, notes, rest) if part))
        if self.llm is not None and not answer.refused:
            answer = rephrased(self.llm, self.plan, q.text, answer, sources)
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
            return self.refusals.refuse_past(q, q.past_year), context
        if (place := self.refusals.other_place(q)) is not None:
            missing = assess(q.rest or q.text, None, self.tokenizer, self.retriever).missing
            # The plan's own rule on the same thing is the nearest task ("铜川燃气锅炉…" → its 燃气锅炉 task).
            rest = (q.rest or q.text).replace(place, " ")
            near = next((d for d in self.retriever.rank(rest, allow_dense=False).docs[:1] if d.task is not None
                         and assess(rest, d, self.tokenizer, self.retriever).share >= _NEAR_SHARE), None)
            return self.refusals.refuse(q, [*(w for w in missing if w != place), place], near), context
        if q.task_number is None and q.intent != "list" and asks_for_list(q.text):
            listed = topic_list(self.plan, q, self.tokenizer, self.retriever)
            if listed is not None:
                return listed, [*context, self.ledger_text]
        if q.task_number is not None:
            doc = next((d for d in self.docs if d.task and d.task.number == q.task_number), None)
            if doc is None:
                numbers = sorted(t.number for t in self.plan.tasks)
                text = msg.QA_TASK_MISSING.plain(number=q.task_number, first=numbers[0], last=numbers[-1])
                return Answer(text, refused=True, intent="task"), [*context, self.ledger_text]
            return self._doc_answer(q, doc), [*context, doc.text, doc.fields_text()]
        return self._retrieve(q, context, today)

    def _retrieve(self, q: Question, context: list[str], today: date) -> tuple[Answer, list[str]]:
        """Rank the documents (dense always consulted when available); one calibrated decision answers or refuses."""
        chosen = choose(q, self._asked, self.retriever, self.tokenizer, self._names_topic)
        query, ranked, top, evidence = chosen.query, chosen.ranked, chosen.top, chosen.evidence
        self.last_signals = chosen.signals
        decision = decide(self.last_signals, self.weights)
        kind = asked_fact(q.text) or asked_fact(self._asked)  # as typed too: "厂家" reads as 企业 once normalised
        if top is None or decision.verdict == "refuse":
            if top is not None and kind is not None and not self.refusals.quotable(evidence.missing):
                # Nothing to name but the kind of fact ("明天会不会重污染" asks a forecast): say that, not "这个问题".
                return self.refusals.refuse_fact(q, kind, top), context
            # Name only words the plan lacks (never a filler or a word it uses), and what it covers nearby.
            near = top if top is not None and top.task is not None and evidence.share > 0 else None
            return self.refusals.refuse(q, list(evidence.missing), near), context
        top, evidence, ranked = better_covered(query, ranked, top, evidence, self.tokenizer, self.retriever)
        quoted = self.refusals.quotable(evidence.missing)  # the words the plan lacks that an answer may name
        grades = [g for g in dict.fromkeys(_GRADE.findall(q.text)) if g.lower() not in self.retriever.corpus]
        if grades and not asks_yes_no(q.text):  # a yes/no one is answered with the plan's own grade (below)
            return self.refusals.refuse(q, grades, top if top.task is not None else None), context
        if asks_yes_no(q.text) and (names := [n for n in self.refusals.unknown_names(evidence.missing)
                                              if re.search(_VALUE_BEFORE + re.escape(n), q.text)]):
            # "运矿车用的是比亚迪的车不": a maker or firm the plan never names is nothing it can confirm or deny.
            return self.refusals.refuse(q, names, top if top.task is not None else None), context
        if self._unnamed_choice(top):
            # "电动的还是氢能的": a choice between things the task names neither of is not the plan's to make.
            return self.refusals.refuse_fact(q, msg.QA_KIND_CHOICE.plain(), top), context
        if (beyond := self.scope.beyond(q, top, evidence, kind, today)) is not None:
            # A step, a doer, a group's members, another thing or year, the rest of a share: not the task's words.
            return self.refusals.refuse_fact(q, beyond, top), context
        if kind is not None and asks_only_yes_no(q.text) and names_the_plans_words(kind, q.text, top.text):
            kind = None  # "要加大检测频次吗": whether the plan's rule applies, answered below
        # A yes/no on a frequency ("是每周测一次吗") is answered by any the plan states (then 否 if another).
        asked = "" if asks_only_yes_no(q.text) else q.text
        if kind is not None and not states_fact(kind, asked, f"{top.text}\n{top.fields_text()}"):
            part = answerable_part(q.text)
            if part is None:
                # The plan names the subject but not this kind of fact (a frequency, an amount of money…).
                return self.refusals.refuse_fact(q, kind, top), context
            # Two asks, one answerable ("…谁牵头 多久一次"): the plan does not answer the question as asked, so it
            # is a refusal (recorded for /unanswered) that says so first and still gives the part the plan holds.
            answer = self._doc_answer(replace(q, intent=part), top)
            return (replace(answer, text=f"{msg.QA_PART_MISSING.plain(kind=kind)}\n{answer.text}", refused=True),
                    [*context, top.text, top.fields_text()])
        if kind == _FREQUENCY_KIND and q.intent == "when":
            q = replace(q, intent="what")  # "多久调度一回" asks how often, which the task states ("月调度")
        # A grade the task does not name ("国四…10月底前也必须淘汰吗") is answered by the grade, not by the date.
        other_grades = any(other_grade(g, top.text) for g in grades)
        yes_no = self.figures.yes_no(q, [top, *ranked.docs[:AMOUNT_CANDIDATES]]) or (
            None if other_grades else self.figures.in_time(q, top))
        if yes_no is not None:
            keys = {src.get("key") for src in yes_no.sources}
            return yes_no, [*context, *(s for d in self.docs if d.key in keys for s in (d.text, d.fields_text()))]
        if q.intent == "howmuch" and (
                absent := self.figures.unnamed_subjects(q, quoted, top)):
            # "二氧化氮年均浓度要降到多少" near "PM2.5年均浓度不超过49": a figure of a thing the plan never names
            # is not the one nearby, so no number with a caveat.
            return self.refusals.refuse(q, absent, top if top.task is not None else None), context
        if q.intent == "howmuch" and top.task is not None and (others := self.figures.contrasted_subjects(q, top)):
            # "工业涂装审核30%，包装印刷企业要审核多少": the task's figure is for its own subject.
            return self.refusals.refuse_fact(q, msg.QA_KIND_THING_FIGURE.plain(thing="、".join(others)), top), context
        if q.intent == "howmuch" and _asks_number(q.text):
            if (by_place := self.figures.place_figure(q, [top, *ranked.docs[:AMOUNT_CANDIDATES]])) is not None:
                doc = by_place[1]
                return by_place[0], [*context, doc.text, doc.fields_text()]
            if siblings := self.figures.siblings_of_plan_terms(evidence.missing, top):
                # "颗粒物" beside the task's 氮氧化物 figure: the figure is about the other member of the kind.
                return self.refusals.refuse(q, siblings, top if top.task is not None else None), context
            if latin := [q.text[at:at + len(w)] for w in evidence.missing
                         if LATIN_TERM.fullmatch(w) and (at := q.text.lower().find(w.lower())) >= 0]:
                # "PM10年均浓度目标": a figure for a term the plan never uses is not the figure of the one it uses.
                return self.refusals.refuse(q, latin, top if top.task is not None else None), context
            stated = self.figures.stating_amount(q, query, [top, *(d for d in ranked.docs if d is not top)], evidence)
            if stated is None:
                # The plan names the subject but gives no figure for it ("多少家加油站"): a quote would not answer.
                return self.refusals.refuse_amount(q, {w.lower() for w in evidence.words}, top), context
            if (place := self.figures.place_not_covered(q, stated)) is not None:
                # "秦都区PM2.5目标多少": the figure is the whole city's, the plan gives none for the district.
                return self.refusals.refuse_place_figure(place, stated, q), context
            if stated is not top:  # a runner-up holds the figure ("一共多少项任务" → "37项重点工作任务")
                return self._doc_answer(q, stated), [*context, stated.text, stated.fields_text()]
        answer = self._doc_answer(q, top)
        several = (top.task is not None and not answer.refused and not asks_yes_no(q.text)
                   and len(fields := asked_fields(q.text)) > 1)
        if several:
            answer = each_field(q, top, answer, fields, self.composer)
        if kind is not None and top.task is not None and not asks_yes_no(q.text) and (
                stating := stating_sentence(kind, q.text, top.sentences)) and stating not in answer.text.split("\n")[0]:
            # "降尘多久测一次": the sentence stating the kind of fact asked ("每月开展监测…") is the headline; beside
            # the other fields asked ("标准多少 多久测一次 谁牵头"), one headline among theirs.
            headline = task_answer(top.task, stating.rstrip("。；;"), [])
            if several:
                first, _, rest = answer.text.partition("\n")
                headline = "\n".join([first, headline.split("\n", 1)[0], rest])
            answer = replace(answer, text=headline)
        if not grades:  # a verdict read past a grade the plan never uses would not hold (said below instead)
            answer = self.figures.verdict_first(q, top, evidence, answer, self._asked)
        sources = [*context, top.text, top.fields_text()]
        if grades:  # "国四柴油车要不要淘汰": say first that the plan names another grade, then what it requires
            # A yes/no naming another grade of the kind the task uses ("是Ⅱ类吗" where it says Ⅲ类) is answered 否.
            sibling = asks_only_yes_no(q.text) and any(other_grade(g, top.text) for g in grades)
            head = (msg.QA_GRADE_OTHER if sibling else msg.QA_GRADE_UNNAMED).plain(grades="、".join(grades))
            answer = replace(answer, text=f"{head}\n{answer.text}")
        # A 是/否 the task's own rule settled ("铸造厂C级能过关吗": 否, B级及以上) is not merely the nearest content.
        settled = answer.text[:2] in {msg.QA_YESNO_CLAUSE.plain(answer=v, clause="") for v in (msg.QA_YES, msg.QA_NO)}
        if decision.verdict == "caveat" and (quoted or not settled):
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

    def _unnamed_choice(self, doc: Doc) -> bool:
        """Whether the question, as typed, is an either-or ask ("…是电动的还是氢能的") whose options the task names
        neither of."""
        m = _CHOICE.search(self._asked)
        if m is None or doc.task is None:
            return False
        if _ROLE_CHOICE.search(m.group(0)):
            return False  # "牵头还是配合": the responsibility lines answer it
        text = f"{doc.text}\n{doc.fields_text()}".lower()
        sides = [[w for w in self.tokenizer.content_words(side) if len(w) >= 2 and is_topic(w, True, self.tokenizer)]
                 for side in (m.group(1), m.group(2))]
        return all(sides) and not any(w.lower() in text for side in sides for w in side)

    def _doc_answer(self, q: Question, doc: Doc) -> Answer:
        """The composed answer from one document; a "when" it holds no date for is a refusal."""
        text = self.composer.answer_doc(q, doc)
        tasks = [doc.task.number] if doc.task else []
        # "When" of a task with no time limit: the plan lacks the asked fact — a refusal that points to the task
        # (like a frequency or an amount the plan does not give), not an answer.
        lacks = q.intent == "when" and (
            # the sentences of general requirements quoted hold no date, nor how often ("周调度、月汇总")
            not (_DATED.search(text) or states_fact(_FREQUENCY_KIND, "", text)) if doc.task is None
            else not doc.task.deadlines or text.startswith(msg.QA_WHEN_NONE_STEP.plain()))  # or the step has none
        if lacks and doc.task is None:  # a general requirement without a date: say so, and where it stands
            return self.refusals.refuse_fact(q, msg.QA_KIND_TIME.plain(), doc)
        return Answer(text, tasks, refused=lacks, sources=[source_of(doc)], intent=q.intent)

    def _names_topic(self, text: str) -> bool:
        """Whether leftover words of a question name a topic (by part of speech, not a list of framing words)."""
        corpus = self.retriever.corpus
        return any(is_topic(w, w.lower() in corpus, self.tokenizer) for w in self.tokenizer.content_words(text))


def _asks_number(text: str) -> bool:
    """Whether the question asks for a figure; in a yes/no question "几个县" means "several counties"."""
    found = [m.group(0) for m in NUMERIC_ASK.finditer(text)] + [m.group(0) for m in BARE_TARGET.finditer(text)]
    return bool(found) and not (asks_yes_no(text) and all(f.startswith("几") for f in found))


"""Answers about one retrieved document: pick the plan's sentences that answer the question, state the fact first."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from knowledge.model import TimeExpr
from knowledge.qa import texts as msg
from knowledge.qa.answer import paragraph_answer, responsibility_line, task_answer
from knowledge.qa.bans import clauses as rule_clauses
from knowledge.qa.corpus import Doc
from knowledge.qa.question import MEASURES, Question
from knowledge.qa.retrieval import Retriever
from knowledge.qa.tokenize import bigrams

_DIGIT = re.compile(r"\d")
_QUANTITY = re.compile(r"\d|[A-Da-d]级|[一二三四五六七八九十百千万]+[家个项类天吨]")
QUANTITY_BONUS = 1.0  # a clause that states a quantity or grade is what "how much" asks for
SENTENCE_TIEBREAK = 0.1
LIMIT_BONUS = 1.0
_CLAUSE = re.compile(r"[^，,；;。：:]+[，,；;。：:]?")
SECOND_SENTENCE = 0.25  # quote further sentences whose new coverage is at least this share of the best
MAX_SENTENCES = 3
FULL_QUOTE_CHARS = 160
ACTION_CHARS = 45
UNDATED_MARGIN = 1.0  # an undated step must match the question clearly better than every dated one


# A question that asks for a count or an amount ("多少家", "几个", "比例", "第几") wants a number, not a description
# ("哪几个分局" asks which, not how many).
NUMERIC_ASK = re.compile(rf"多少|(?<![哪那这些列举说写])几[{MEASURES}成]|多大|多高|多低|比例|数量|百分之几|第几")
# A question about when something starts ("从何时起", "哪天起实行", "什么时候开始") asks for a start, not a deadline.
_ASKS_START = re.compile(r"(?:何时|哪天|哪一天|什么时候|几月|几号|哪个月)(?:起|开始)|从.{0,6}(?:起|开始)|"
                         r"起实行|开始实行|开始执行|生效|启动")
# A question about the months something runs in ("是几月到几月", "哪几个月") asks for a period, not a deadline.
_ASKS_SPAN = re.compile(r"几月(?:份)?到几月|哪几个月|从几月|(?:什么|哪个|啥)季节|哪段时间")
# Which units a task leaves out ("不包括哪些分局", "哪几个分局不用管"), and the plan's note that says so.
_ASKS_LEFT_OUT = re.compile(r"(?:不包括|不含|不涉及|除外|排除|不用管|不管)[^，,。？?]{0,8}哪|"
                            r"哪[些几个]{1,2}[^，,。？?]{0,4}(?:不包括|不涉及|不用管|不管|除外|没有份)")
_LEFT_OUT_NOTE = re.compile(r"不涉及|除外|不含")
_FINISHED = "完成"  # the written form every spoken "finish" verb is read as (forms/colloquial.txt)
# Dates and document numbers are numbers too, but never the amount a question asks for.
_NOT_AMOUNT = re.compile(r"(?:\d{4}年)?(?:\d{1,2}\s*[—–\-~～至到]\s*)?\d{1,2}月(?:\d{1,2}日|底|末|初|起|份)?|\d{4}年|"
                         r"〔\d{4}〕\d+号")  # dates and month spans ("5—9月") are no amounts
_AMOUNT = re.compile(r"\d|[零一二两三四五六七八九十百千万]+[家个项类天吨辆次台座人倍成]")
_NUM = r"(?:\d+(?:\.\d+)?|[零一二两三四五六七八九十百千万]+)"
_RATIO = re.compile(r"\d+(?:\.\d+)?\s*[%％]|" + _NUM + r"成")
# "全部安装", "全覆盖": the whole is an amount too, for "多少"/"比例" (not for "多少家" or "多少吨").
_DATED_SENTENCE = re.compile(r"\d{1,2}月|\d{4}年|每[年季月周]\d+日|[年月]底")
_WHOLE = re.compile(r"全部|全覆盖|全域|全面完成")
_ASKS_LEVEL = re.compile(r"(?:什么|啥|哪个|哪一|几)(?:级别|等级|档次|水平|级)|评到|评上|评成")
_LEVEL = re.compile(r"[A-Da-d]级|[一二三四五]级|引领性|[ⅠⅡⅢⅣ]类")
# What kind of amount the question asks for, and how the plan would state it ("多少家" → "4家").
# The measure word right after the question word comes before a kind named elsewhere in the subject:
# "运量多少万吨以上的企业要提高清洁运输比例" asks tonnes, not the ratio.
_ASKED_KIND = (
    (re.compile(r"第几|排第|名次"), re.compile(r"第" + _NUM)),
    (re.compile(r"多少钱|多少元|多少资金|多少经费"), re.compile(_NUM + r"\s*(?:万|亿)?元")),
    # the measure word itself: "多少家" → "N家"; "这几个"/"那几家" point at things ("these few"), they ask nothing
    (re.compile(r"(?:多少|多大|(?<![哪这那])几)\s*(万?(?:蒸吨|公里|毫克|微克|辆次|[" + MEASURES + r"米度分]))"), None),
    (re.compile(r"比例|百分之|几成|百分比"), _RATIO),
)


def amount_pattern(question: str) -> re.Pattern[str]:
    """How an answer would state the amount the question asks for (any number when the kind is not named)."""
    for ask, pattern in _ASKED_KIND:
        if m := ask.search(question):
            if pattern is not None:
                return pattern
            # "多大吨位" is answered by "35蒸吨" as well: a boiler's size is written in 蒸吨.
            measure = m.group(1) if "蒸" in m.group(1) else m.group(1).replace("吨", "(?:蒸)?吨")
            return re.compile(_NUM + r"\s*" + measure)
    return _AMOUNT


_Rank = Callable[[TimeExpr], tuple[float, bool, date]]


class Composer:
    """Sentence selection by the question's words (IDF-weighted), then the wording by intent."""

    def __init__(self, retriever: Retriever) -> None:
        self.retriever = retriever
        self.tokenizer = retriever.tokenizer
        self.idf = retriever.words

    def sentence_scores(self, q: Question, sentences: tuple[str, ...]) -> list[float]:
        """How well each sentence covers the question."""
        return self.retriever.sentence_scores(q.rest or q.text, sentences)

    def best_sentences(self, q: Question, doc: Doc, bonus: list[float] | None = None, *,
                       dated: bool = False) -> list[str]:
        """The best sentence, then (greedily, at most three) sentences that cover question words it missed; `dated`:
        a dated sentence covering half as much of a "when" question as the best one answers it."""
        sentences = doc.sentences
        if not sentences:
            return [doc.text]
        query = q.rest or q.text
        scores = self.sentence_scores(q, sentences)
        if bonus:
            scores = [s + b for s, b in zip(scores, bonus, strict=True)]
        if dated:
            top = max(scores, default=0.0)
            scores = [sc + (top / 2 if _DATED_SENTENCE.search(s) else 0.0)
                      for sc, s in zip(scores, sentences, strict=True)]
        skip_title = doc.task is not None and len(sentences) > 1 and sentences[0].rstrip("。") == doc.task.title
        if skip_title:
            scores[0] = -1.0  # the title sentence only restates the task's name, which the citation already shows
        first = max(range(len(sentences)), key=lambda i: scores[i])
        picked = [first]
        covered = set(self.tokenizer.tokens(sentences[first]))
        idf = self.idf.idf
        # A single character ("好" of the question's "好天", in the plan's "打好") is no evidence a sentence adds.
        q_words = {w for w in self.tokenizer.tokens(query) if len(w) >= 2 or w.isascii()}
        while len(picked) < MAX_SENTENCES:
            gains = {
                i: sum(idf.get(w, 1.0) for w in (q_words - covered) & set(self.tokenizer.tokens(s)))
                for i, s in enumerate(sentences) if i not in picked and not (skip_title and i == 0)
            }
            if not gains:
                break
            best = max(gains, key=lambda i: gains[i])
            if gains[best] <= 0 or gains[best] < SECOND_SENTENCE * scores[first]:
                break
            picked.append(best)
            covered |= set(self.tokenizer.tokens(sentences[best]))
        return [sentences[i] for i in sorted(picked)]

    def answer_doc(self, q: Question, doc: Doc) -> str:
        """The wording for one document by intent."""
        if doc.task is None:
            bonus = self._number_bonus(doc) if q.intent == "howmuch" else None
            best = self.best_sentences(q, doc, bonus, dated=q.intent == "when")
            return paragraph_answer(doc, best, self._figure_clause(q, best) if q.intent == "howmuch" else "")
        if q.intent == "when":
            return self._when(q, doc)
        if q.intent in ("who", "unit"):
            return self._who(q, doc)
        if q.intent == "howmuch":
            return self._howmuch(q, doc)
        if q.intent == "task":
            return self._overview(doc)
        best = self.best_sentences(q, doc)
        scores = self.sentence_scores(q, tuple(best))
        top = best[max(range(len(best)), key=lambda i: scores[i])]
        if len(doc.text) <= FULL_QUOTE_CHARS:  # a short task is quoted whole: the answer may hide in any sentence
            body = [s for s in doc.sentences if s.rstrip("。") != doc.task.title]
            return task_answer(doc.task, top.rstrip("。；;"), body if len(body) > 1 else [], [])
        return task_answer(doc.task, top.rstrip("。；;"), best if len(best) > 1 else [], [])

    def _figure_clause(self, q: Question, sentences: list[str]) -> str:
        """The clause holding a figure that shares most words with the question ("优良天数不少于244天" of the
        general requirements' long sentence), or "" when none shares any."""
        words = [w.lower() for w in self.tokenizer.content_words(q.rest or q.text) if len(w) >= 2]
        clauses = [c for s in sentences for c in rule_clauses(s) if _QUANTITY.search(c)]
        scored = [(sum(w in c.lower() for w in words), -i, c) for i, c in enumerate(clauses)]
        best = max(scored, default=(0, 0, ""))
        return best[2].strip() if best[0] > 0 else ""

    def states_amount(self, q: Question, doc: Doc, topic: set[str]) -> bool:
        """Whether one sentence states an amount of the asked kind (not a date) about all the question's subject
        words (verbs aside) that the document holds: "臭氧年均浓度" is not answered by "PM2.5年均浓度不超过49",
        which follows "臭氧" only in another sentence, nor "多少家橡胶企业" by "A级"."""
        kind = amount_pattern(q.text)
        title = doc.title.lower()  # the title names the subject of every sentence of its task
        words = [w for w in topic if w in doc.text.lower() and w not in title and not self.tokenizer.is_verb(w)]
        whole = kind is _AMOUNT or kind is _RATIO
        for sentence in doc.sentences:
            if not (kind.search(_NOT_AMOUNT.sub("", sentence)) or (whole and _WHOLE.search(sentence))):
                continue
            low = sentence.lower()
            if all(w in low for w in words):
                return True
        return False

    def _number_bonus(self, doc: Doc) -> list[float]:
        # A date is no quantity ("2023年10月底前完成改造" does not say how much).
        return [1.0 if _QUANTITY.search(_NOT_AMOUNT.sub("", s)) else 0.0 for s in doc.sentences]

    def asked_time(self, q: Question, doc: Doc) -> TimeExpr | None:
        """The task's time limit the question is about (the one its "when" answer would give first)."""
        if doc.task is None or not doc.task.deadlines:
            return None
        return self._ranked_times(q, doc)[0][0]

    def _when(self, q: Question, doc: Doc) -> str:
        """The time expression whose clause best matches the question first, then the task's other time limits."""
        task = doc.task
        assert task is not None
        if not task.deadlines:
            return task_answer(task, msg.QA_WHEN_NONE, self.best_sentences(q, doc), [])
        ranked, rank, q_words, common = self._ranked_times(q, doc)

        def sentence_of(d: TimeExpr) -> str:
            return next((s for s in doc.sentences if d.text in s), "")

        def step(d: TimeExpr) -> str:
            action = _action(sentence_of(d), d.text)
            return msg.QA_STEP_ACTION.plain(text=d.text, action=action) if action else d.text

        best = ranked[0]
        wanted = _asked_time_kind(q.text)
        # Asked from when something applies, a start the task states answers it ("2023年3月起"), whatever step
        # the question's other words recall.
        undated = None if wanted == "start" and best.kind == "start" else self._undated_step(
            doc, q_words, common, rank(best)[0])
        if undated:
            # The step asked about ("长庆石化储罐改造") has no time limit; the task's dated steps follow.
            others = [step(d) for d in ranked]
            return task_answer(task, msg.QA_WHEN_NONE_STEP, [undated],
                               [msg.QA_WHEN_OTHER.plain(items="；".join(others))])
        sentence = sentence_of(best)
        label = msg.QA_TIME_LABELS.get(best.kind, msg.QA_TIME_LABELS["due"])
        action = _action(sentence, best.text) or task.title
        fact = msg.QA_WHEN_FACT.plain(label=label, due=best.text, action=action)
        quoted = self.best_sentences(q, doc)
        if sentence and sentence not in quoted:
            quoted = [s for s in doc.sentences if s == sentence or s in quoted]
        others = [step(d) for d in ranked[1:]]
        extra = [msg.QA_WHEN_OTHER.plain(items="；".join(others))] if others else []
        return task_answer(task, fact, quoted, extra)

    def _ranked_times(self, q: Question, doc: Doc) -> tuple[list[TimeExpr], _Rank, set[str], set[str]]:
        """The task's time limits, the one the question asks about first; the ranking, the question's words and the
        words every step shares."""
        task = doc.task
        assert task is not None
        times = list(task.deadlines)
        scores = self.sentence_scores(q, doc.sentences)
        q_words = set(self.tokenizer.tokens(q.rest or q.text))

        def sentence_of(d: TimeExpr) -> str:
            return next((s for s in doc.sentences if d.text in s), "")

        actions = {id(d): set(self.tokenizer.tokens(_action(sentence_of(d), d.text))) for d in times}
        # Words every action shares, or the task's title holds, name the task rather than one of its steps; a
        # title verb asked to be finished ("装完" → "安装完成" of "…门禁系统安装") that only one step's action holds
        # still tells that step apart.
        title = set(self.tokenizer.tokens(task.title))
        # (With one time limit, its action's words name that step, not the task: nothing to tell apart there.)
        common = (set.intersection(*actions.values()) if len(actions) > 1 else set()) | {
            w for w in title if w + _FINISHED not in q.text or sum(w in words for words in actions.values()) != 1}

        wanted = _asked_time_kind(q.text)

        def rank(d: TimeExpr) -> tuple[float, bool, date]:
            # Words that tell this time limit's action from the task's others decide; the sentence breaks ties,
            # then the asked kind (a start for "从何时起", else a due date) beats the others, and the final
            # deadline answers a plain "when is it finished".
            sentence = sentence_of(d)
            base = scores[doc.sentences.index(sentence)] if sentence else 0.0
            own = sum(self.idf.idf.get(w, 1.0) for w in (q_words & actions[id(d)]) - common)
            return own + SENTENCE_TIEBREAK * base, d.kind == wanted, d.date or date.min

        return sorted(times, key=rank, reverse=True), rank, q_words, common

    def _undated_step(self, doc: Doc, q_words: set[str], common: set[str], dated_score: float) -> str | None:
        """A sentence without a time limit that the question names better than any dated step, if there is one.
        Sentences are weighed alike: a dated one counts its whole wording, not only its action ("国三…柴油车辆淘汰，
        确保10月底前全面完成淘汰任务" is named by "国三柴油车", though its action is "全面完成淘汰任务")."""
        task = doc.task
        assert task is not None

        def own(sentence: str) -> float:
            return sum(self.idf.idf.get(w, 1.0) for w in (q_words & set(self.tokenizer.tokens(sentence))) - common)

        dated = [s for s in doc.sentences if any(d.text in s for d in task.deadlines)]
        best, best_score = None, max([dated_score, *(own(s) for s in dated)])
        for sentence in doc.sentences:
            if sentence.rstrip("。") == task.title or sentence in dated:
                continue
            if (score := own(sentence)) > best_score + UNDATED_MARGIN:
                best, best_score = sentence, score
        return best

    def _who(self, q: Question, doc: Doc) -> str:
        """Leaders and units first, then the task's own words."""
        task = doc.task
        assert task is not None
        fields = responsibility_line(task, q.role)
        if _ASKS_LEFT_OUT.search(q.text) and (notes := [n for n in task.notes if _LEFT_OUT_NOTE.match(n)]):
            # "禁燃区不包括哪些分局": the units the plan leaves out of a group answer it, before the fields.
            return task_answer(task, "；".join(notes), [], [fields], responsibility=False)
        return task_answer(task, fields, self.best_sentences(q, doc), [], responsibility=False)

    def _howmuch(self, q: Question, doc: Doc) -> str:
        """The clause with a quantity that best matches the question first, then its sentence."""
        task = doc.task
        assert task is not None
        best = self.best_sentences(q, doc, self._number_bonus(doc))
        query = q.rest or q.text
        q_words = set(self.tokenizer.tokens(query))
        q_bi = set(bigrams(query))
        clauses = [c for s in best for c in _CLAUSE.findall(s)]
        # "How much" is answered by a clause that states a quantity, when the quoted sentences have one.
        # A date is no quantity here ("2023年10月底前" does not say how many); "全部安装" is. Asked for a level
        # ("啥级别", "什么水平"), only a level answers ("A级", "引领性"), not "25公里".
        level = _ASKS_LEVEL.search(q.text) is not None

        def quantity(c: str) -> bool:
            if level:
                return bool(_LEVEL.search(c))
            return bool(_QUANTITY.search(_NOT_AMOUNT.sub("", c)) or _WHOLE.search(c))

        clauses = [c for c in clauses if quantity(c)] or clauses

        def score(c: str) -> float:
            shared = sum(self.idf.idf.get(w, 1.0) for w in q_words & set(self.tokenizer.tokens(c)))
            return shared + 0.3 * len(q_bi & set(bigrams(c))) + (QUANTITY_BONUS if quantity(c) else 0.0)

        # A ledger limit whose subject the question names ("秦都区" → "秦都区4家") competes as an exact clause.
        named = [lim.text for lim in task.limits if len(lim.subject) >= 2 and lim.subject in q.text
                 and lim.subject in lim.text and any(lim.text in s for s in best)]
        candidates = [(score(c), c) for c in clauses] + [(score(t) + LIMIT_BONUS, t) for t in named]
        fact = max(candidates)[1] if candidates else best[0]
        return task_answer(task, fact.rstrip("，,；;。：:"), best, [])

    def _overview(self, doc: Doc) -> str:
        """A task by number: its whole text, time limits and responsibility."""
        task = doc.task
        assert task is not None
        fact = msg.QA_CITE_TASK.plain(number=task.number, title=task.title)
        lines = [fact, msg.QA_QUOTE.plain(text=task.text)]
        dues = [d.text for d in task.deadlines]
        if dues:
            lines.append(msg.QA_TIME_WORDS.plain(items="、".join(dues)))
        lines.append(responsibility_line(task))
        return "\n".join(lines)


def _action(sentence: str, due_text: str) -> str:
    """What must be done by a deadline: the words after it up to the end of the clause."""
    pos = sentence.find(due_text)
    if pos < 0:
        return ""
    after = sentence[pos + len(due_text) :].lstrip("，,、 ")
    m = re.match(r"[^；;。]+", after)
    action = m.group(0) if m else after
    # Keep it short: comma-separated parts while they fit; a part ending in "的" or a very short one needs the next.
    parts = [p for p in re.split(r"[，,]", action) if p]
    short = parts[0] if parts else ""
    for part in parts[1:]:
        if re.search(r"\d+月|\d{4}年", part):  # the next time limit starts its own action
            break
        if len(short) + len(part) > ACTION_CHARS and len(short) >= 6 and not short.endswith("的"):
            break
        short += "，" + part
    return short.strip()


def _asked_time_kind(question: str) -> str:
    """The kind of time limit a question asks for: a start ("从何时起"), a period ("几月到几月"), else a due date."""
    return "start" if _ASKS_START.search(question) else "period" if _ASKS_SPAN.search(question) else "due"

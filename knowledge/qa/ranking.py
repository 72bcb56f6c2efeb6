"""Choosing the document that answers a question: rank (dense always consulted when available), prefer the one
covering clearly more of the topic, and gather the signals the calibrated decision weighs."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from knowledge.qa.corpus import Doc
from knowledge.qa.coverage import Coverage, assess
from knowledge.qa.decide import Signals
from knowledge.qa.question import Question
from knowledge.qa.retrieval import SHORT_LIST, Ranked, Retriever
from knowledge.qa.tokenize import Tokenizer
from knowledge.qa.yesno import asks_yes_no

ALSO_TIE = 0.95  # a runner-up this close to the best is shown too ("也可能是指…")
COVER_CANDIDATES = 4  # how far down the ranking an answer may come from when the best match covers no topic word
COVER_MARGIN = 0.2  # among near-tied matches, one covering this much more of the question's topic weight wins
DENSE_AGREE = 3  # the lexical best agrees with dense when it is among dense's first this many

_GRADE_VALUE = re.compile(r"(?<=[到要求上成是达评创升为])\s*[A-Da-d]级(?:及以上)?")  # "要达到A级吗": the value asked
# A who-question's framing ("哪个领导包抓"): the plan's paragraph on leaders' duties is not the task asked about.
_WHO_FRAME = re.compile(r"(?:哪个|哪位|什么)?(?:分管|包抓|责任)?领导(?:是谁|包抓|分管|负责|管)?|包抓|分管|"
                        r"(?:由)?谁(?:来)?(?:负责|管|主抓|抓)|(?:那|这)(?:个|项)(?:任务|活儿?|工作)")
# A unit question's framing ("责任单位哪几个分局"): the units are asked for, the topic picks the task.
_UNIT_FRAME = re.compile(r"(?:牵头|责任|负责|配合|参与)单位|哪(?:几)?个(?:分局|单位|部门)|哪些(?:分局|单位|部门)")


@dataclass(frozen=True)
class Choice:
    """The ranking, its chosen document with what of the question it covers, and the decision's signals."""

    query: str
    ranked: Ranked
    top: Doc | None
    evidence: Coverage
    signals: Signals


def choose(q: Question, typed: str, retriever: Retriever, tokenizer: Tokenizer,
           names_topic: Callable[[str], bool]) -> Choice:
    """Rank the documents for the question (`typed` as the user wrote it, which the embedding reads) and choose one."""
    query = q.rest or q.text
    if asks_yes_no(q.text):
        # "铸造厂升级一定要达到A级吗": the grade is the value checked, not the topic that picks the task.
        query = _GRADE_VALUE.sub(" ", query)
    frame = {"who": _WHO_FRAME, "unit": _UNIT_FRAME}.get(q.intent)
    if frame is not None and q.task_number is None:
        framed = frame.sub(" ", query)
        query = framed if names_topic(framed) else query
    doc_sims = retriever.similarities(typed)  # the embedding reads the question as typed
    sentence_sims = retriever.sentence_similarities(typed) if doc_sims else None
    # Ranking keeps the documents' vectors (bench/qa_fit.py: right task first 410 vs 408 of 425 with the best
    # sentence); the best sentence informs the decision.
    sims = doc_sims
    ranked = retriever.rank(query, sims=sims)
    top = ranked.docs[0] if ranked.docs else None
    evidence = assess(query, top, tokenizer, retriever)
    if top is not None:
        # Framing words may outweigh the topic ("各牵头单位…" for "X由谁牵头"): among the first few documents,
        # and then ranking on the topic words alone, one covering clearly more of the topic wins.
        focused = retriever.rank(" ".join(evidence.words), sims=sims) if evidence.words else ranked
        for pool in (ranked, focused):
            for doc in pool.docs[:COVER_CANDIDATES]:
                found = assess(query, doc, tokenizer, retriever)
                if found.share >= evidence.share + COVER_MARGIN:
                    top, evidence, ranked = doc, found, promote(ranked, doc)
    return Choice(query, ranked, top, evidence, _signals(q, top, evidence, doc_sims, sentence_sims))


def _signals(q: Question, top: Doc | None, evidence: Coverage, doc_sims: dict[str, float] | None,
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


def better_covered(query: str, ranked: Ranked, top: Doc, evidence: Coverage, tokenizer: Tokenizer,
                   retriever: Retriever) -> tuple[Doc, Coverage, Ranked]:
    """Among matches tied with the best, one that covers clearly more of the question's topic words
    ("空气质量排名": the sentence on the ranking, not the preamble that only says 空气质量)."""
    for doc, score in zip(ranked.docs[1:SHORT_LIST], ranked.scores[1:SHORT_LIST], strict=False):
        if score < ALSO_TIE * ranked.scores[0]:
            break
        found = assess(query, doc, tokenizer, retriever)
        if found.covered and found.share >= evidence.share + COVER_MARGIN:
            return doc, found, promote(ranked, doc)
    return top, evidence, ranked


def promote(ranked: Ranked, doc: Doc) -> Ranked:
    """The same ranking with `doc` first (it takes the best score; the others keep their order)."""
    rest = [(d, sc) for d, sc in zip(ranked.docs, ranked.scores, strict=True) if d is not doc]
    top_score = max(ranked.scores, default=1.0)
    return Ranked([doc, *(d for d, _ in rest)], [top_score, *(sc for _, sc in rest)], ranked.used_dense)

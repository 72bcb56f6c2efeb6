"""Lexical retrieval (BM25 over jieba words and character bigrams), gated dense fusion, and coverage evidence."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from knowledge.qa import texts as msg
from knowledge.qa.bm25 import BM25
from knowledge.qa.corpus import Doc
from knowledge.qa.tokenize import Tokenizer, bigrams, plan_style

log = logging.getLogger(__name__)

Dense = Callable[[str, int], Sequence[tuple[str, float]]]

BIGRAM_WEIGHT = 0.5  # bigrams rescue segmentation mismatches; words stay the main signal
NEAR_TIE = 0.9  # a runner-up within 10% of the best lexical score counts as a tie that dense may break
_ENUMERATION = re.compile(r"、")
DENSE_WEIGHT = 0.35  # dense similarity only reorders the lexical short list
SHORT_LIST = 4
SENTENCE_WEIGHT = 0.5  # a document whose single sentence holds the question's words beats scattered matches
SENTENCE_POOL = 8
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Ranked:
    """A retrieval result: documents best first with their fused scores, and whether dense was used."""

    docs: list[Doc]
    scores: list[float]
    used_dense: bool = False


def index_text(doc: Doc) -> str:
    """What BM25 sees: the title twice (titles name the task's subject), the text and the section's name."""
    section = doc.task.section if doc.task is not None else ""
    # Single characters sharing one head ("新、改、扩建") are also indexed whole ("新建 改建 扩建").
    spelt = " ".join(f"{ch}{m.group(2)}" for m in _ELIDED.finditer(doc.text) for ch in m.group(1).split("、"))
    return msg.QA_INDEX_TEXT.plain(title=doc.title, text=f"{doc.text} {spelt}".rstrip(), section=section)


_ELIDED = re.compile(r"([\u4e00-\u9fff](?:、[\u4e00-\u9fff]){2,})([\u4e00-\u9fff])")  # three or more


class Retriever:
    """BM25 over the plan's documents, with dense retrieval consulted only when the lexical ranking is unsure."""

    def __init__(self, docs: Sequence[Doc], tokenizer: Tokenizer, dense: Dense | None = None) -> None:
        self.docs = list(docs)
        self.tokenizer = tokenizer
        self.dense = dense
        self.words = BM25([tokenizer.tokens(index_text(d)) for d in self.docs])
        self.bigrams = BM25([bigrams(index_text(d)) for d in self.docs])
        self.by_key = {d.key: i for i, d in enumerate(self.docs)}
        corpus = "\n".join(f"{d.title}\n{d.text}\n{d.fields_text()}" for d in self.docs)
        self.corpus = corpus.lower()
        # The plan's enumerations read without their commas ("新、改、扩建" is also "新改扩建").
        self.compact = _ENUMERATION.sub("", self.corpus)
        self.chars = set(self.corpus)
        # Characters of the plan's own words (two characters or more): a spoken form built on one ("炉子" on 锅炉).
        self.word_chars = {ch for w in self.words.idf if len(w) >= 2 for ch in w}
        # Each document as `matched` reads it, with and without its enumeration commas.
        self._texts: dict[str, tuple[str, str]] = {}
        for d in self.docs:
            text = f"{d.title}\n{d.text}\n{d.fields_text()}".lower()
            self._texts[d.key] = (text, _ENUMERATION.sub("", text))

    def lexical(self, query: str) -> list[float]:
        """Fused lexical score per document (each signal normalised by its best)."""
        query = plan_style(query)
        w = self.words.scores(self.tokenizer.tokens(query))
        b = self.bigrams.scores(bigrams(query))
        wm, bm = max(w, default=0.0) or 1.0, max(b, default=0.0) or 1.0
        return [x / wm + BIGRAM_WEIGHT * y / bm for x, y in zip(w, b, strict=True)]

    def rank(self, query: str, *, allow_dense: bool = True, sims: dict[str, float] | None = None) -> Ranked:
        """Documents best first; dense similarity (`sims`, or asked for here) reorders a near-tied short list."""
        scores = self.lexical(query)
        order = sorted(range(len(self.docs)), key=lambda i: -scores[i])
        if not order or scores[order[0]] <= 0:
            return Ranked([], [])
        pool = [i for i in order[:SENTENCE_POOL] if scores[i] > 0]
        best_sentence = {i: max(self.sentence_scores(query, self.docs[i].sentences), default=0.0) for i in pool}
        top_sentence = max(best_sentence.values(), default=0.0) or 1.0
        top_lexical = scores[order[0]]
        scores = [x / top_lexical for x in scores]
        for i in pool:
            scores[i] += SENTENCE_WEIGHT * best_sentence[i] / top_sentence
        order = sorted(range(len(self.docs)), key=lambda i: -scores[i])
        top = scores[order[0]]
        short = [i for i in order[:SHORT_LIST] if scores[i] >= NEAR_TIE * top]
        used = False
        fused = {i: scores[i] / top for i in order}
        if allow_dense and (sims is not None or self.dense is not None) and len(short) > 1:
            sims = sims if sims is not None else self._dense(query)
            if sims:
                used = True
                best = max(sims.values()) or 1.0
                for i in short:
                    fused[i] += DENSE_WEIGHT * sims.get(self.docs[i].key, 0.0) / best
        order = sorted(order, key=lambda i: -fused[i])
        return Ranked([self.docs[i] for i in order if scores[i] > 0], [fused[i] for i in order if scores[i] > 0], used)

    def near_tie(self, ranked: Ranked) -> bool:
        """Whether the runner-up is within the tie margin of the best (the only case dense may decide)."""
        return len(ranked.scores) > 1 and ranked.scores[1] >= NEAR_TIE * ranked.scores[0]

    def sentence_scores(self, query: str, sentences: Sequence[str]) -> list[float]:
        """How well each sentence covers the query: IDF-weighted shared words plus shared bigrams."""
        query = plan_style(query)
        q_words = set(self.tokenizer.tokens(query))
        q_bi = set(bigrams(query))
        idf = self.words.idf
        out = []
        for s in sentences:
            words = set(self.tokenizer.tokens(s))
            out.append(sum(idf.get(w, 1.0) for w in q_words & words) + 0.3 * len(q_bi & set(bigrams(s))))
        return out

    def similarities(self, query: str) -> dict[str, float] | None:
        """Dense similarity of every document (None without a vector index or when it fails)."""
        if self.dense is None:
            return None
        return self._dense(query) or None

    def sentence_similarities(self, query: str) -> dict[str, float] | None:
        """Each document's best sentence similarity (None when the dense backend has no sentence vectors)."""
        best = getattr(self.dense, "sentence_scores", None)
        if best is None:
            return None
        try:
            return {key: max(0.0, score) for key, score in best(query).items()} or None
        except Exception as exc:  # optional, like the document scores
            log.warning("sentence-level dense retrieval failed: %s", exc)
            return None

    def _dense(self, query: str) -> dict[str, float]:
        """Dense similarities by doc key; a failing dense backend only costs the tie-break."""
        assert self.dense is not None
        try:
            return {key: max(0.0, score) for key, score in self.dense(query, len(self.docs))}
        except Exception as exc:  # the vector index is optional: log and answer from BM25
            log.warning("dense retrieval failed, using BM25 only: %s", exc)
            return {}

    def matched(self, words: Sequence[str], doc: Doc) -> list[str]:
        """Question words that occur in a document."""
        text, compact = self._texts[doc.key]  # "新、改、扩建" holds "改扩建"
        return [w for w in words if w.lower() in text or w.lower() in compact]

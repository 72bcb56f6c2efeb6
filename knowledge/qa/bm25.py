"""A small Okapi BM25 over pre-tokenised documents (no dependency; the corpus is tens of documents)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence


class BM25:
    """BM25 scores of a query against a fixed list of token lists."""

    def __init__(self, docs: Sequence[Sequence[str]], *, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b
        self.tfs = [Counter(d) for d in docs]
        self.lengths = [len(d) for d in docs]
        self.avg = (sum(self.lengths) / len(docs)) if docs else 0.0
        df: Counter[str] = Counter()
        for tf in self.tfs:
            df.update(tf.keys())
        n = len(docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def scores(self, query: Sequence[str]) -> list[float]:
        """One score per document."""
        terms = Counter(query)
        out: list[float] = []
        for tf, length in zip(self.tfs, self.lengths, strict=True):
            s = 0.0
            norm = self.k1 * (1 - self.b + self.b * length / self.avg) if self.avg else self.k1
            for term, qtf in terms.items():
                f = tf.get(term)
                if f:
                    s += qtf * self.idf[term] * f * (self.k1 + 1) / (f + norm)
            out.append(s)
        return out

    def known(self, term: str) -> bool:
        """Whether any document holds the term."""
        return term in self.idf

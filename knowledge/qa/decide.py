"""One calibrated decision — answer, answer with a caveat, or refuse — from every signal of a question together.

Signals (all in [0, 1]): `share` — the question's topic weight the best document covers (BM25 IDF weights,
relative to the question's own best possible score; a topic word the plan never uses weighs like its rarest word,
scaled by how rare it is in general Chinese); `unknown` — the share of that weight on things and names the plan
never uses; `unknown_other` — on actions, qualities and time words it never uses ("下雨", "超低", "明天");
`dense` — cosine similarity of the best dense match; `agree` — whether the lexical best is among the dense top
three; `slots` — whether the question names a person, unit, section, period or task number. The weights are a
logistic regression fitted on labelled questions (bench/qa_fit.py prints the cross-validated accuracy and writes
nothing: copy its weights here).
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Signals:
    """What the engine knows about one question and its best document."""

    share: float
    unknown: float
    unknown_other: float
    dense: float | None  # None when no vector index is available
    agree: bool
    slots: bool

    def vector(self, with_dense: bool) -> list[float]:
        """The features in the order of the weights (a bias term first)."""
        out = [1.0, self.share, self.unknown, self.unknown_other, float(self.slots)]
        if with_dense:
            out += [self.dense or 0.0, float(self.agree)]
        return out


@dataclass(frozen=True)
class Weights:
    """Fitted coefficients (with and without dense) and the two thresholds on the answer probability."""

    lexical: tuple[float, ...]
    fused: tuple[float, ...]
    refuse_below: float
    caveat_below: float


# Fitted by bench/qa_fit.py (5-fold cross-validated) on the tune half of the staff set and the older sets.
WEIGHTS = Weights(
    lexical=(-2.43, 4.90, -2.67, -1.09, -0.67),
    fused=(-3.82, 4.62, -2.54, -0.93, -0.57, 1.90, 1.03),
    refuse_below=0.3,
    caveat_below=0.5,
)


@dataclass(frozen=True)
class Decision:
    """The verdict and the probability it came from."""

    verdict: str  # "answer" | "caveat" | "refuse"
    probability: float


def probability(signals: Signals, weights: Weights = WEIGHTS) -> float:
    """P(the plan answers the question) under the fitted model."""
    with_dense = signals.dense is not None
    coef = weights.fused if with_dense else weights.lexical
    z = sum(c * x for c, x in zip(coef, signals.vector(with_dense), strict=True))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def decide(signals: Signals, weights: Weights = WEIGHTS) -> Decision:
    """Answer, answer with a caveat, or refuse."""
    p = probability(signals, weights)
    if p < weights.refuse_below:
        return Decision("refuse", p)
    return Decision("caveat" if p < weights.caveat_below else "answer", p)

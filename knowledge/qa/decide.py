"""One calibrated decision — answer, answer with a caveat, or refuse — from every signal of a question together.

Signals (all in [0, 1]): `share` — the question's topic weight the best document covers (BM25 IDF weights,
relative to the question's own best possible score; a topic word the plan never uses weighs like its rarest word,
scaled by how rare it is in general Chinese); `unknown` — the share of that weight on things and names the plan
never uses; `unknown_other` — on actions, qualities and time words it never uses ("下雨", "超低", "明天");
`dense` — cosine similarity of the best dense match; `agree` — whether the lexical best is among the dense top
three; `sentence` — cosine of the best single sentence (title, responsibility block) of any document, from
the sentence vectors written at index time, and `margin` — how far the best document's best sentence is ahead of
the runner-up's; `slots` — whether the question names a person, unit, section, period or task number. The weights are a
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
    sentence: float | None = None  # cosine of the best-matching sentence of any document (the task's own if none)
    margin: float = 0.0  # how far the best document's best sentence is ahead of the runner-up document's

    def vector(self, with_dense: bool, with_sentence: bool = True) -> list[float]:
        """The features in the order of the weights (a bias term first)."""
        out = [1.0, self.share, self.unknown, self.unknown_other, float(self.slots)]
        if with_dense:
            out += [self.dense or 0.0, float(self.agree)]
            if with_sentence:
                out += [self.sentence if self.sentence is not None else self.dense or 0.0, self.margin * 10]
        return out


@dataclass(frozen=True)
class Weights:
    """Fitted coefficients (with and without dense) and the two thresholds on the answer probability."""

    lexical: tuple[float, ...]
    fused: tuple[float, ...]
    refuse_below: float
    caveat_below: float
    lexical_refuse_below: float = 0.3  # without a vector index (its own fit: 0.4 would refuse plain paraphrases)


# Fitted by bench/qa_fit.py --data (5-fold cross-validated) on the tune half of the staff set and the older sets:
# balanced accuracy 0.908 with the sentence features vs 0.902 without. The refusal threshold is the lowest that
# refuses every labelled out-of-scope question the threshold can reach (one red-team probe stays answered up to 0.5).
WEIGHTS = Weights(
    lexical=(-2.43, 4.90, -2.67, -1.09, -0.67),
    fused=(-4.34, 4.59, -2.69, -0.90, -0.51, 1.44, 1.00, 1.72, -0.09),
    refuse_below=0.4,
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
    # Weights fitted without the sentence features (an index without sentence vectors) have two fewer coefficients.
    vector = signals.vector(with_dense, with_sentence=len(coef) > len(signals.vector(with_dense, False)))
    z = sum(c * x for c, x in zip(coef, vector, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def decide(signals: Signals, weights: Weights = WEIGHTS) -> Decision:
    """Answer, answer with a caveat, or refuse."""
    p = probability(signals, weights)
    if p < (weights.refuse_below if signals.dense is not None else weights.lexical_refuse_below):
        return Decision("refuse", p)
    return Decision("caveat" if p < weights.caveat_below else "answer", p)

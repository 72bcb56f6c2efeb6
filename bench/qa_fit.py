"""Fit the Q&A decision (knowledge/qa/decide.py) on labelled questions: logistic regression, 5-fold cross-validated.

    python bench/qa_fit.py [--data DIR | --dense-cache FILE.pkl] [SET.jsonl ...]

`--data` scores dense from an indexed data dir (document and sentence vectors, as `planbot ask` does).

Sets default to tests/data/*.jsonl and tests/data/qa_staff_tune.jsonl (never a frozen held-out set). Prints the
features' coefficients with and without dense, the cross-validated accuracy and the thresholds to paste into WEIGHTS.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge.parser import parse_plan  # noqa: E402
from knowledge.qa.decide import WEIGHTS, Signals  # noqa: E402
from knowledge.qa.engine import QAEngine  # noqa: E402

PLAN = ROOT / "knowledge" / "plans" / "xianyang-2023-air-quality-plan.txt"
NOW = datetime.fromisoformat("2023-06-15T10:00:00+08:00")
L2 = 0.002


def signals_of(engine: QAEngine, sets: Sequence[Path],
               open_engine: QAEngine | None = None) -> list[tuple[Signals, int, str]]:
    """(signals, 1 when answerable, the question) for every question that reaches the retrieval decision.
    With `open_engine` (the same engine with a gate that never refuses), an out-of-scope question the later checks
    refuse anyway (an amount or a kind of fact the plan lacks, another year) is left out: the gate need not."""
    out = []
    first = total = caught = 0
    for path in sets:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            now = datetime.fromisoformat(item["now"]) if item.get("now") else NOW
            answer = engine.ask(item["q"], now)
            if not item.get("refuse") and item.get("tasks"):
                total += 1
                first += bool(answer.tasks) and answer.tasks[0] in item["tasks"]
            signals = engine.last_signals
            if signals is None:
                continue
            if item.get("refuse") and open_engine is not None and open_engine.ask(item["q"], now).refused:
                caught += 1
                continue
            out.append((signals, 0 if item.get("refuse") else 1, item["q"]))
    print(f"right task first: {first}/{total} answerable questions with a labelled task")
    if open_engine is not None:
        print(f"out-of-scope questions refused after the gate anyway (left out of the fit): {caught}")
    return out


def fit(x: np.ndarray, y: np.ndarray, steps: int = 4000, rate: float = 2.0) -> np.ndarray:
    """L2-regularised logistic regression by gradient descent (the bias is not penalised)."""
    w = np.zeros(x.shape[1])
    # Out-of-scope questions are few: weigh both classes equally.
    weight = np.where(y == 1, 0.5 / max(y.mean(), 1e-9), 0.5 / max(1 - y.mean(), 1e-9))
    for _ in range(steps):
        p = 1 / (1 + np.exp(-x @ w))
        grad = x.T @ (weight * (p - y)) / len(y) + L2 * np.r_[0.0, w[1:]]
        w -= rate * grad
    return w


def held_out(x: np.ndarray, y: np.ndarray, folds: int = 5) -> np.ndarray:
    """Each question's answer probability from the model fitted on the other folds."""
    order = np.random.default_rng(0).permutation(len(y))
    out = np.zeros(len(y))
    for k in range(folds):
        test = order[k::folds]
        train = np.setdiff1d(order, test)
        w = fit(x[train], y[train])
        out[test] = 1 / (1 + np.exp(-x[test] @ w))
    return out


def balanced_accuracy(p: np.ndarray, y: np.ndarray, threshold: float = 0.5) -> float:
    """Mean of the answerable questions answered and the out-of-scope ones refused."""
    pred = p >= threshold
    return 0.5 * (float(pred[y == 1].mean()) + float((~pred[y == 0]).mean()))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("sets", nargs="*", type=Path)
    parser.add_argument("--dense-cache", type=Path, help="pickle {question: {doc key: similarity}}")
    parser.add_argument("--data", type=Path, help="an indexed data dir: dense from its document and sentence vectors")
    parser.add_argument("--gate-only", action="store_true",
                        help="fit only on what the gate must decide (leave out questions refused after it anyway)")
    args = parser.parse_args()
    sets = args.sets or sorted((ROOT / "tests" / "data").glob("*.jsonl"))
    cache: dict[str, dict[str, float]] = pickle.loads(args.dense_cache.read_bytes()) if args.dense_cache else {}

    def dense(query: str, k: int) -> list[tuple[str, float]]:
        return sorted(cache.get(query, {}).items(), key=lambda kv: -kv[1])[:k]

    plan = parse_plan(PLAN.read_text(encoding="utf-8"))
    live = None
    if args.data:
        from indexer.runtime import LazyDense
        from planbot.db import Database
        from planbot.settings import Settings

        settings = Settings(data_dir=args.data)
        live = LazyDense(settings, Database(settings.database_url))
    engine = QAEngine(plan, dense=live or (dense if cache else None))
    gate_open = replace(WEIGHTS, refuse_below=0.0, lexical_refuse_below=0.0)
    open_engine = (QAEngine(plan, dense=engine.retriever.dense, tokenizer=engine.tokenizer, weights=gate_open)
                   if args.gate_only else None)
    rows = signals_of(engine, sets, open_engine)
    y = np.array([label for _, label, _ in rows], dtype=float)

    def margin(question: str) -> float:
        """How far the dense best document is ahead of the runner-up (tested as a feature: "trust dense")."""
        sims = sorted((live.scores(question) if live else cache.get(question, {})).values(), reverse=True)
        return (sims[0] - sims[1]) * 10 if len(sims) > 1 else 0.0

    print(f"{len(rows)} questions reach the decision ({int((1 - y).sum())} out of scope)")
    print("| model | coefficients (bias, share, unknown, unknown_other, slots[, dense, agree[, sentence, "
          "sentence margin]]) | 5-fold balanced accuracy |")
    print("|---|---|---|")
    for name, with_dense, with_sentence, with_margin in (
            ("lexical", False, False, False), ("fused (documents)", True, False, False),
            ("fused + dense margin", True, False, True), ("fused + best sentence", True, True, False)):
        if with_dense and not (cache or live):
            continue
        x = np.array([s.vector(with_dense, with_sentence) + ([margin(q)] if with_margin else [])
                      for s, _, q in rows])
        w = fit(x, y)
        coef = ", ".join(f"{c:.2f}" for c in w)
        p = held_out(x, y)
        print(f"| {name} | ({coef}) | {balanced_accuracy(p, y):.3f} |")
        # Held-out errors by refusal threshold: an out-of-scope question answered is the costlier error.
        for threshold in (0.3, 0.4, 0.5, 0.6):
            answered = int(((p >= threshold) & (y == 0)).sum())
            refused = int(((p < threshold) & (y == 1)).sum())
            print(f"|   refuse below {threshold} | out of scope answered {answered}, answerable refused {refused} | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

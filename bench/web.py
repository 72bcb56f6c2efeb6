"""Benchmark: the desk's board for a synthetic 3,700-task plan × 10 lead units, against the /report chat text.

The plan is bench/index.py's synthetic one (the bundled plan's tasks repeated 100×, renumbered), its lead units
replaced by 10 units (1-3 per task); this week ~60 % of (task, unit) pairs have replied with a random status and
a note. Both views are built from the same report (supervision.reports.build_report, timed apart). The board is
rendered through the real Jinja2 template; the alternative is the text /report sends to the chat (split into
Telegram messages). Prints one table; ratios compare to the /report text measured in the same run.

    .venv/bin/python bench/web.py [--times 100] [--units 10] [--repeat 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.index import synthetic
from knowledge.parser import parse_plan
from planbot.render import split_html
from planbot.settings import BUNDLED_PLAN, Settings
from supervision.periods import week_period
from supervision.records import Reply
from supervision.render import report_text
from supervision.reports import build_report
from supervision.rounds import STATUSES, round_for
from web.app import templates
from web.pages import board_view

T = TypeVar("T")
TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2023, 10, 30, 15, 0, tzinfo=TZ)


def timed(work: Callable[[], T], repeat: int) -> tuple[T, float]:
    """The result and the median wall time in milliseconds."""
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = work()
        times.append((time.perf_counter() - start) * 1000)
    assert out is not None
    return out, statistics.median(times)


def main() -> int:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=int, default=100, help="copies of the bundled plan's 37 tasks")
    parser.add_argument("--units", type=int, default=10, help="lead units shared among the tasks")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median)")
    args = parser.parse_args()
    rng = random.Random(12)
    plan = parse_plan(synthetic(BUNDLED_PLAN.read_text(encoding="utf-8"), args.times))
    units = [f"第{i + 1}督办单位" for i in range(args.units)]
    plan = replace(plan, tasks=tuple(replace(t, lead_units=tuple(rng.sample(units, rng.randint(1, 3))))
                                     for t in plan.tasks))
    rnd = round_for(NOW, TZ)
    replies, n = [], 0
    for task in plan.tasks:
        for unit in task.lead_units:
            if rng.random() < 0.6:
                n += 1
                at = NOW - timedelta(hours=rng.randint(1, 5))
                replies.append(Reply(n, "bench", rnd.key, task.number, unit, "lead", rng.choice(STATUSES),
                                     f"第{task.number}项进展说明", "", 0, "bench", at))
    period = week_period(NOW.date())
    settings = Settings()
    report, report_ms = timed(lambda: build_report(plan, replies, [], period, NOW, TZ, {}), args.repeat)
    template = templates().env.get_template("board.html")

    def board(params: dict[str, str]) -> str:
        return template.render(board_view(plan, report, settings, NOW, params, [rnd.key]))

    html, board_ms = timed(lambda: board({}), args.repeat)
    filtered, filtered_ms = timed(lambda: board({"unit": units[0], "status": "滞后"}), args.repeat)
    text, text_ms = timed(lambda: report_text(report), args.repeat)
    parts = split_html(text)
    cells = sum(len(t.lead_units) for t in plan.tasks)
    print(f"plan: {len(plan.tasks):,} tasks × {args.units} lead units = {cells:,} cells, {len(replies):,} replies "
          f"this week; build_report (shared by both): {report_ms:,.1f} ms; median of {args.repeat}")
    print()
    print(f"{'view':<44}{'time ms':>10}{'× /report':>11}{'size KB':>10}{'× /report':>11}{'messages':>10}")
    rows = [
        ("/report chat text (the alternative)", text_ms, len(text.encode()), str(len(parts))),
        ("board, every task (Jinja2 HTML)", board_ms, len(html.encode()), "1 page"),
        (f"board, ?unit={units[0]}&status=滞后", filtered_ms, len(filtered.encode()), "1 page"),
    ]
    for label, ms, size, messages in rows:
        print(f"{label:<44}{ms:>10,.1f}{ms / text_ms:>11.1f}{size / 1024:>10,.0f}{size / len(text.encode()):>11.2f}"
              f"{messages:>10}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

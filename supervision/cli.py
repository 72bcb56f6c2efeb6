"""Subcommands of the `planbot` command line that belong to `supervision`: `planbot report …`."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from indexer.plans import PlanAccess
from planbot.clock import system_clock
from planbot.settings import Settings
from planbot.storage import open_database
from supervision import texts as msg
from supervision.periods import parse_period
from supervision.reports import MONTHLY, QUARTERLY, WEEKLY
from supervision.service import build_export


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             add_plan_option: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add this feature's subcommands."""
    p = sub.add_parser("report", help="周/月/季进展报表（xlsx 或 csv）")
    p.add_argument("kind", choices=[WEEKLY, MONTHLY, QUARTERLY], help="weekly 周报 | monthly 月报 | quarterly 季报")
    p.add_argument("--period", metavar="期间", help="期间：2023-W44、2023-10、2023-Q4 或其中任一天；默认当前")
    p.add_argument("--out", metavar="文件", help="输出文件，默认写入数据目录的 exports/")
    p.add_argument("--csv", action="store_true", help="输出 CSV（明细表）而非 xlsx")
    add_plan_option(p)
    p.set_defaults(func=report_cmd)


def report_cmd(args: argparse.Namespace, settings: Settings) -> int:
    """Write the report of a period to a file and print where."""
    # Only the export is written: with --out elsewhere a read-only data dir is enough.
    db = open_database(settings, "report", write=not args.out)
    try:
        plan = PlanAccess(db, args.plan).get()
        now = system_clock(settings.tz)()
        period = parse_period(args.kind, args.period, now, settings.tz)
        as_csv = bool(args.csv or (args.out and args.out.lower().endswith(".csv")))
        report, data, name = build_export(db, settings, plan, period, now, as_csv=as_csv)
    finally:
        db.dispose()
    out = Path(args.out) if args.out else settings.exports_dir / name
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(msg.SV_CLI_WRITTEN.plain(label=period.label, path=out, rows=len(report.rows)))
    return 0

"""Subcommands of the `planbot` command line that belong to `indexer`: index, tasks, task."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

from indexer import texts as msg
from knowledge.textclean import parse_task_number
from planbot import texts as base_msg
from planbot.db import Database
from planbot.errors import PlanbotError, UsageError
from planbot.settings import Settings
from planbot.storage import open_database


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             add_plan_option: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add this feature's subcommands."""
    p = sub.add_parser("index", help="导入/更新方案：解析、入账、建检索索引")
    p.add_argument("path", nargs="?", metavar="文件",
                   help="方案文件 .txt/.md/.docx（默认：内置方案，或 --plan 所选方案的原文件）")
    p.add_argument("--if-changed", action="store_true",
                   help="只比对文件指纹，未变化时立即返回、不加载模型")
    add_plan_option(p)
    p.set_defaults(func=index_command)

    p = sub.add_parser("tasks", help="列出方案的全部任务")
    p.add_argument("--json", action="store_true", help="输出 JSON 列表")
    add_plan_option(p)
    p.set_defaults(func=tasks_command)

    p = sub.add_parser("task", help="查看一项任务")
    p.add_argument("number", metavar="编号", help="任务编号，例如 12")
    add_plan_option(p)
    p.set_defaults(func=task_command)


def _source_of(db: Database, selector: str) -> Path:
    """The document a stored plan was last indexed from."""
    from indexer.ledger import select_plan

    record = select_plan(db, selector)
    path = Path(record.source)
    if not path.is_file():
        raise UsageError(msg.INDEX_SOURCE_MISSING.plain(title=record.title, source=record.source))
    return path


def index_command(args: argparse.Namespace, settings: Settings) -> int:
    """planbot index [PATH] [--if-changed] [--plan]: print the report; on failure nothing is changed."""
    from indexer.formatting import format_report
    from indexer.pipeline import index_document

    # `--if-changed` is the automatic start-up check (make run): it never starts over beside a lost database.
    # A plain `planbot index` is the explicit fresh start, allowed there and announced.
    db = open_database(settings, "index", fresh=not args.if_changed)
    try:
        path = Path(args.path) if args.path else (_source_of(db, args.plan) if args.plan else settings.plan_path)
        report = index_document(settings, db, path, if_changed=args.if_changed, selector=args.plan)
    except PlanbotError as err:
        print(f"{base_msg.CLI_ERROR.plain(detail=err)}\n{msg.INDEX_NOTHING_CHANGED}", file=sys.stderr)
        return err.exit_code
    finally:
        db.dispose()
    print(format_report(report))
    return 0


def tasks_command(args: argparse.Namespace, settings: Settings) -> int:
    """planbot tasks [--json] [--plan]: the ledger, readable or as JSON."""
    from indexer.formatting import format_task_list
    from indexer.ledger import load_plan

    db = open_database(settings, "tasks", write=False)
    try:
        plan = load_plan(db, args.plan)
    finally:
        db.dispose()
    if args.json:
        print(json.dumps([t.to_dict() for t in plan.tasks], ensure_ascii=False, indent=2))
    else:
        print(format_task_list(plan))
    return 0


def task_command(args: argparse.Namespace, settings: Settings) -> int:
    """planbot task N [--plan]: one task, readable."""
    from indexer.formatting import format_task
    from indexer.ledger import load_task

    raw = str(args.number).strip().lstrip("#")
    # The chat's /task parser: 12, 十二, 第十二项 …; a signed number is a number too (no such task).
    number, rest = parse_task_number(raw.removeprefix("第"))
    if number is None or rest:
        if re.fullmatch(r"[-+]?\d+", raw) is None:
            raise UsageError(msg.TASK_USAGE)
        number = int(raw)
    db = open_database(settings, "task", write=False)
    try:
        task = load_task(db, number, args.plan)
    finally:
        db.dispose()
    print(format_task(task))
    return 0

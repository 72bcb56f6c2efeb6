"""Subcommands of the `planbot` command line that belong to `knowledge`: ask."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from knowledge import texts as msg
from planbot.errors import QuestionError
from planbot.settings import Settings
from planbot.storage import open_database

if TYPE_CHECKING:  # the engine module loads jieba and the retrievers: not for every command's start-up
    from knowledge.qa.engine import QAEngine


EngineLoader = Callable[..., Any]  # (settings, db, plan selector, dense=…) -> a loaded QAEngine


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             add_plan_option: Callable[[argparse.ArgumentParser], None], load_engine: EngineLoader) -> None:
    """Add this feature's subcommands (`load_engine` builds the engine over the indexed plan: planbot.cli wires it)."""
    p = sub.add_parser("ask", help="向方案提问")
    p.add_argument("question", nargs="?", metavar="问题", help="问题，例如 \"燃气锅炉低氮改造什么时候完成？\"")
    p.add_argument("--json", action="store_true", help='输出 JSON：{"answer", "tasks", "refused", "sources"}')
    p.add_argument("--batch", metavar="文件", help="逐行读取 JSON（字段 q，可选 now），每行输出一个 JSON 答案")
    p.add_argument("--now", metavar="时间",
                   help="当前时间（ISO 格式，例如 2023-09-15T10:00:00+08:00），用于“本月”“下周”等")
    p.add_argument("--no-dense", action="store_true", help="不使用向量检索（只用方案台账和 BM25）")
    add_plan_option(p)
    p.set_defaults(func=partial(ask_command, load_engine=load_engine))


def parse_now(raw: str | None, settings: Settings) -> datetime:
    """--now as an aware datetime in the bureau's zone (naive input is read as local time)."""
    if not raw:
        return datetime.now(settings.tz)
    try:
        value = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise QuestionError(msg.QA_BAD_NOW.plain(raw=raw)) from exc
    return value if value.tzinfo else value.replace(tzinfo=settings.tz)


def ask_command(args: argparse.Namespace, settings: Settings, *, load_engine: EngineLoader) -> int:
    """planbot ask "问题" [--json] | --batch FILE [--now ISO] [--plan]."""
    if not args.question and not args.batch:
        raise QuestionError(msg.QA_ASK_USAGE)
    now = parse_now(args.now, settings)
    db = open_database(settings, "ask", write=False)
    try:
        engine = load_engine(settings, db, args.plan, dense=not args.no_dense)
        if args.batch:
            return _batch(engine, Path(args.batch), now, settings, sys.stdout)
        answer = engine.ask(args.question, now)
    finally:
        db.dispose()
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False))
    else:
        print(answer.text)
    return 0


def _batch(engine: QAEngine, path: Path, now: datetime, settings: Settings, out: TextIO) -> int:
    """One JSON answer per JSON line of questions; the engine (and its models) is loaded once."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise QuestionError(msg.QA_BATCH_UNREADABLE.plain(path=path, detail=exc)) from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            question = str(item["q"])
        except (ValueError, KeyError, TypeError) as exc:
            raise QuestionError(msg.QA_BATCH_BAD_LINE.plain(line=number, detail=exc)) from exc
        when = parse_now(item.get("now"), settings) if item.get("now") else now
        out.write(json.dumps(engine.ask(question, when).to_dict(), ensure_ascii=False) + "\n")
        out.flush()
    return 0

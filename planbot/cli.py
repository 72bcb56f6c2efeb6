"""The `planbot` command line, the composition root of the commands: each feature registers its own subcommands
and gets what it shares with others (the --plan option, other features' functions) handed in here."""

from __future__ import annotations

import argparse
import errno
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import DatabaseError

from bot import cli as bot_cli
from indexer import cli as indexer_cli
from knowledge import cli as knowledge_cli
from planbot import texts as msg
from planbot.cliparser import ChineseArgumentParser
from planbot.db import Database
from planbot.errors import DataReadOnly, PlanbotError
from planbot.logging_setup import configure_logging
from planbot.settings import Settings, load_settings
from planbot.storage import damaged, is_damage, is_read_only, sqlite_path
from reminders import cli as reminders_cli
from supervision import cli as supervision_cli
from supervision.service import done_work

if TYPE_CHECKING:
    from knowledge.qa.engine import QAEngine


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every feature's subcommands (all in Chinese: ChineseArgumentParser)."""
    parser: argparse.ArgumentParser = ChineseArgumentParser(prog="planbot",
                                                            description="planbot — 大气污染防治行动方案助手")
    sub = parser.add_subparsers(dest="command", metavar=msg.CLI_COMMANDS)
    indexer_cli.register(sub, add_plan_option)
    knowledge_cli.register(sub, add_plan_option, load_engine)
    bot_cli.register(sub, add_plan_option)
    reminders_cli.register(sub, add_plan_option, done_work)
    supervision_cli.register(sub, add_plan_option)
    return parser


def add_plan_option(parser: argparse.ArgumentParser) -> None:
    """Every command takes --plan to choose among stored plans (default: the newest)."""
    parser.add_argument(
        "--plan", metavar="方案", help="方案（年份或标题的一部分；默认最新的方案）"
    )


def load_engine(settings: Settings, db: Database, selector: str | None, *, dense: bool = True) -> QAEngine:
    """The Q&A engine over the indexed plan (for `planbot ask`)."""
    # Imported on use: the engine loads jieba, Chroma and the embedding model, which other commands do not need.
    from indexer.runtime import load_engine as load

    return load(settings, db, selector, dense=dense)


def data_error(exc: BaseException, settings: Settings | None) -> PlanbotError | None:
    """The DataError a low-level database or file error stands for; None when it is not about the data."""
    if settings is None:
        return None
    path = sqlite_path(settings) or settings.data_dir
    if is_damage(exc):
        return damaged(path, getattr(exc, "orig", None) or exc)
    in_data_dir = isinstance(exc, OSError) and exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS) and bool(
        exc.filename) and Path(str(exc.filename)).resolve().is_relative_to(settings.data_dir.resolve())
    if is_read_only(exc) or in_data_dir:
        return DataReadOnly(msg.DATA_WRITE_FAILED.plain(data_dir=settings.data_dir,
                                                              detail=str(exc).splitlines()[0][:160]))
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    settings = None
    try:
        settings = load_settings()
        configure_logging(settings)
        return int(args.func(args, settings) or 0)
    except PlanbotError as err:
        print(msg.CLI_ERROR.plain(detail=err), file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        logging.getLogger(__name__).info("interrupted")
        return 130
    except BrokenPipeError:
        # The reader went away (`planbot tasks | head`): stop quietly, as other command-line tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's final flush does not fail again
        return 141  # 128 + SIGPIPE, what a shell reports for a tool killed by a closed pipe
    except (DatabaseError, OSError) as exc:
        # Found only while working (a damaged page, a folder that turned read-only): one line, not a traceback.
        named = data_error(exc, settings)
        if named is None:
            raise
        print(msg.CLI_ERROR.plain(detail=named), file=sys.stderr)
        return named.exit_code

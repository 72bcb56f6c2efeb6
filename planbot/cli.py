"""The `planbot` command line, the composition root of the commands: each feature registers its own subcommands
and gets what it shares with others (the --plan option, other features' functions) handed in here."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot import cli as bot_cli
from indexer import cli as indexer_cli
from knowledge import cli as knowledge_cli
from planbot import texts as msg
from planbot.cliparser import ChineseArgumentParser
from planbot.db import Database
from planbot.errors import PlanbotError
from planbot.logging_setup import configure_logging
from planbot.settings import Settings, load_settings
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
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

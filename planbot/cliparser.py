"""An argparse parser that speaks Chinese: its help labels, usage line and error messages.

argparse writes English ("usage:", "invalid choice: …"); every user-facing text here is Chinese. The labels are
set on the parser, the errors argparse raises are put into Chinese by the patterns below (the English formats of
the standard library), anything else is still shown behind a Chinese prefix.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from typing import Any, NoReturn

from planbot import texts as msg


def _names(text: str) -> str:
    """'a', 'b' (argparse's repr list) → a、b."""
    return "、".join(part.strip().strip("'\"") for part in text.split(","))


_ERRORS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"^argument (?:COMMAND|命令): invalid choice: '(.*)' \(choose from (.*)\)$"),
     lambda m: msg.CLI_UNKNOWN_COMMAND.plain(value=m[1], choices=_names(m[2]))),
    (re.compile(r"^argument (.+?): invalid choice: '(.*)' \(choose from (.*)\)$"),
     lambda m: msg.CLI_INVALID_CHOICE.plain(argument=m[1], value=m[2], choices=_names(m[3]))),
    (re.compile(r"^the following arguments are required: (.*)$"),
     lambda m: msg.CLI_REQUIRED.plain(arguments=_names(m[1]))),
    (re.compile(r"^unrecognized arguments: (.*)$"), lambda m: msg.CLI_UNRECOGNIZED.plain(arguments=m[1])),
    (re.compile(r"^argument (.+?): expected (?:one|at least one|at most one) argument$"),
     lambda m: msg.CLI_NEEDS_VALUE.plain(argument=m[1])),
    (re.compile(r"^argument (.+?): invalid \S+ value: '(.*)'$"),
     lambda m: msg.CLI_BAD_VALUE.plain(argument=m[1], value=m[2])),
    (re.compile(r"^ambiguous option: (\S+) could match (.*)$"),
     lambda m: msg.CLI_AMBIGUOUS.plain(option=m[1], matches=m[2])),
]


def translate(message: str) -> str:
    """An argparse error message in Chinese (as it is when no pattern knows it)."""
    for pattern, make in _ERRORS:
        found = pattern.match(message)
        if found is not None:
            return make(found)
    return message


class ChineseHelpFormatter(argparse.HelpFormatter):
    """The usage line starts with 用法：."""

    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        """Prefix the usage line in Chinese."""
        super().add_usage(usage, actions, groups, prefix=msg.CLI_USAGE_PREFIX if prefix is None else prefix)


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse.ArgumentParser with Chinese labels, -h help and error messages (subcommands inherit it)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        add_help = kwargs.pop("add_help", True)
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        kwargs["add_help"] = False  # argparse's own -h says "show this help message and exit"
        super().__init__(*args, **kwargs)
        self._positionals.title = msg.CLI_POSITIONALS
        self._optionals.title = msg.CLI_OPTIONS
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=msg.CLI_HELP_OPTION)

    def error(self, message: str) -> NoReturn:
        """Print the usage and the error in Chinese, with where to find help; exit 2."""
        self.print_usage(sys.stderr)
        self.exit(2, msg.CLI_PARSE_ERROR.plain(prog=self.prog, detail=translate(message)) + "\n")

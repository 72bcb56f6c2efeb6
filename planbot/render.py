"""The one renderer of user-facing texts: Telegram HTML with every filled field escaped, or the same text plain.

A `Template` is a text of a feature's texts module with str.format fields; its own markup (<b>, <i>, <a href>)
is trusted, every value filled into it is escaped. `Html` marks an already-rendered fragment so that it is
embedded as it is, never escaped twice; joining or adding plain str to it escapes the str. Lists and tuples
filled into a field are joined with LIST_SEPARATOR, each item escaped. The command line uses `plain`: the
same text with the tags removed and nothing escaped.
"""

from __future__ import annotations

import html
import re
import string
from collections.abc import Iterable
from typing import Any, Self

from markupsafe import Markup

MAX_MESSAGE = 4096  # Telegram's limit, counted on the text after HTML parsing, in UTF-16 code units
LIST_SEPARATOR = "、"  # how a list filled into a field is joined

_TAG = re.compile(r"<[^<>]+>")


class Html(Markup):
    """Telegram HTML that is safe as it is; str added, joined or formatted into it is escaped."""

    __slots__ = ()

    @classmethod
    def escape(cls, s: Any, /) -> Self:
        """Escape a value for Telegram's HTML parse mode (&, <, >; quotes need no escaping there)."""
        if hasattr(s, "__html__"):
            return cls(s.__html__())
        return cls(html.escape(str(s), quote=False))


class Template(str):
    """A user-facing text with {fields}: its own markup is trusted, every field is escaped when it is filled."""

    __slots__ = ()

    def __html__(self) -> str:
        """A template embedded as a fragment is the feature's own markup, not user data."""
        return str(self)

    @property
    def fields(self) -> tuple[str, ...]:
        """The names of the fields the template fills."""
        return tuple(dict.fromkeys(f.split(".")[0].split("[")[0]
                                   for _, f, _, _ in string.Formatter().parse(self) if f))

    def render(self, **fields: Any) -> Html:
        """The text as Telegram HTML, every field escaped."""
        return render(self, **fields)

    def plain(self, **fields: Any) -> str:
        """The text for the command line or a log: fields as they are, no tags."""
        return plain(self, **fields)


class _Formatter(string.Formatter):
    """str.format that escapes every value it fills (Html fragments stay as they are)."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, list | tuple):
            return join(value)
        if hasattr(value, "__html__") and not format_spec:
            return str(value.__html__())
        return Html.escape(format(value, format_spec))


_FORMATTER = _Formatter()


def render(template: str, /, **fields: Any) -> Html:
    """Fill `template` for Telegram HTML: every field escaped, the template's own markup kept."""
    return Html(_FORMATTER.vformat(str(template), (), fields))


def plain(template: str, /, **fields: Any) -> str:
    """Fill `template` as plain text (command line, logs, buttons): the same words, no tags, nothing escaped."""
    return visible(render(template, **fields))


def join(values: Iterable[Any], separator: str = LIST_SEPARATOR) -> Html:
    """Join values into one HTML fragment, each escaped (fragments already Html stay as they are)."""
    return Html(separator).join(values)


def join_lines(parts: Iterable[Any]) -> Html:
    """Join parts into a multi-line HTML message, each plain part escaped."""
    return join(parts, "\n")


def visible(text: str) -> str:
    """What the user sees of an HTML message: tags removed, entities unescaped."""
    return html.unescape(_TAG.sub("", text))


def visible_len(text: str) -> int:
    """Telegram's length of an HTML message (UTF-16 code units of the visible text)."""
    return len(visible(text).encode("utf-16-le")) // 2


def _hard_split(line: str, limit: int) -> list[str]:
    """Split one over-long line: drop its markup (tags cannot be cut safely) and cut the plain text."""
    plain = visible(line)
    out: list[str] = []
    piece = ""
    for ch in plain:
        # Count in UTF-16 units so that characters outside the BMP are not undercounted.
        if len((piece + ch).encode("utf-16-le")) // 2 > limit:
            out.append(Html.escape(piece))
            piece = ""
        piece += ch
    if piece:
        out.append(Html.escape(piece))
    return out


def split_html(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split an HTML message into parts of at most `limit` visible characters, at line boundaries.

    Callers keep every tag inside one line, so a line boundary is always a safe cut; a single line longer
    than the limit is cut as plain text.
    """
    text = text.strip("\n")
    if visible_len(text) <= limit:
        return [text] if text.strip() else []
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for line in text.split("\n"):
        length = visible_len(line)
        pieces = [line] if length <= limit else _hard_split(line, limit)
        for piece in pieces:
            piece_len = visible_len(piece)
            extra = piece_len + (1 if current else 0)
            if current and size + extra > limit:
                parts.append("\n".join(current))
                current, size = [], 0
                extra = piece_len
            current.append(piece)
            size += extra
    if current:
        parts.append("\n".join(current))
    return [p.strip("\n") for p in parts if p.strip()]

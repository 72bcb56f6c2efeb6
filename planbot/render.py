"""Telegram HTML output: escaping dynamic values, splitting long messages, and stripping HTML for the console."""

from __future__ import annotations

import html
import re

MAX_MESSAGE = 4096  # Telegram's limit, counted on the text after HTML parsing, in UTF-16 code units

_TAG = re.compile(r"<[^<>]+>")


def esc(value: object) -> str:
    """Escape any dynamic value for HTML parse mode."""
    return html.escape(str(value), quote=False)


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
            out.append(esc(piece))
            piece = ""
        piece += ch
    if piece:
        out.append(esc(piece))
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

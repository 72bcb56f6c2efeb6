"""Cleaning document text before parsing: conversion noise, Markdown markup, full-width digits (pure)."""

from __future__ import annotations

import re

_NUMERALS = "零一二三四五六七八九十"
# Conversion noise: Word bookmarks and anchors that pandoc-style converters leave in the text.
_NOISE = re.compile(r"\[(?:bookmark|anchor)[^\]]*\]|\{#[^}]*\}", re.IGNORECASE)
_MD_HEADING = re.compile(r"^#{1,6}\s*")
_MD_BULLET = re.compile(r"^(?:[-*+•·]\s+|>\s*)")
_MD_RULE = re.compile(r"^(?:[-*_]\s*){3,}$|^\|?[\s:|-]+\|[\s:|-]*$")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def chinese_numeral(text: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十三 → 23 (enough for chapter and section labels)."""
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_NUMERALS.index(tens) if tens else 1) * 10 + (_NUMERALS.index(ones) if ones else 0)
    return _NUMERALS.index(text) if text in _NUMERALS else 0


def clean_lines(text: str) -> list[str]:
    """Non-empty lines with conversion noise and Markdown markup removed."""
    text = _NOISE.sub("", text.replace("\ufeff", "")).translate(_FULLWIDTH_DIGITS)
    out: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip(" \t\u3000\xa0")
        if _MD_RULE.match(line):
            continue
        line = _MD_BULLET.sub("", _MD_HEADING.sub("", line))
        line = line.replace("**", "").replace("__", "").replace("\\.", ".").strip(" \t\u3000\xa0")
        if line:
            out.append(line)
    return out


_NUMBER = re.compile(r"^\s*(\d+|[零一二三四五六七八九十]+)\s*[项号]?")


def parse_task_number(text: str) -> tuple[int | None, str]:
    """A task number written as 12 or 十二 at the start of `text`, and the rest; (None, text) when there is none."""
    found = _NUMBER.match(text)
    if found is None:
        return None, text
    raw = found.group(1)
    try:
        number = int(raw) if raw.isdigit() else chinese_numeral(raw)
    except (ValueError, KeyError):
        return None, text
    return number, text[found.end():].strip()

"""Text of a .docx in reading order, with Word's automatic list numbers written out ("1.", "（一）")."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CHINESE = "〇一二三四五六七八九"
_CHINESE_FORMATS = {"chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographDigital",
                    "japaneseCounting", "taiwaneseCounting", "taiwaneseCountingThousand"}
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (list numbers stay well under 100)."""
    if n < 10:
        return _CHINESE[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CHINESE[tens]) + "十" + (_CHINESE[ones] if ones else "")


def format_number(n: int, fmt: str) -> str:
    """A list number in Word's number format."""
    if fmt in _CHINESE_FORMATS:
        return chinese_number(n)
    if fmt == "ideographTraditional" and 1 <= n <= len(_TIANGAN):
        return _TIANGAN[n - 1]
    if fmt == "bullet" or fmt == "none":
        return ""
    return str(n)


@dataclass(frozen=True)
class Level:
    """One level of a Word list: its number format, its text pattern ("%1.") and its start value."""

    fmt: str
    text: str
    start: int


@dataclass
class Numbering:
    """Word list definitions of one document, and the running counters while reading it."""

    levels: dict[tuple[str, int], Level] = field(default_factory=dict)
    counters: dict[str, list[int]] = field(default_factory=dict)

    def label(self, num_id: str, ilvl: int) -> str:
        """Advance the counter of this list level and return its label, e.g. "3." or "（二）"."""
        level = self.levels.get((num_id, ilvl))
        if level is None or level.fmt in ("bullet", "none"):
            return ""
        counts = self.counters.setdefault(num_id, [0] * 9)
        counts[ilvl] = counts[ilvl] + 1 if counts[ilvl] else level.start
        for deeper in range(ilvl + 1, len(counts)):
            counts[deeper] = 0
        label = level.text
        for lvl in range(ilvl + 1):
            other = self.levels.get((num_id, lvl))
            value = counts[lvl] or (other.start if other else 1)
            label = label.replace(f"%{lvl + 1}", format_number(value, other.fmt if other else "decimal"))
        return label


def _val(element: Any, tag: str) -> str | None:
    """The w:val attribute of a child element, if present."""
    child = element.find(f"{W}{tag}") if element is not None else None
    return child.get(f"{W}val") if child is not None else None


def read_numbering(document: Any) -> Numbering:
    """Collect the list levels (numId, ilvl) → format of a python-docx Document."""
    numbering = Numbering()
    try:
        root = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return numbering  # a document without lists
    abstract: dict[str, dict[int, Level]] = {}
    for node in root.findall(f"{W}abstractNum"):
        levels: dict[int, Level] = {}
        for lvl in node.findall(f"{W}lvl"):
            start = _val(lvl, "start")
            levels[int(lvl.get(f"{W}ilvl", "0"))] = Level(
                _val(lvl, "numFmt") or "decimal", _val(lvl, "lvlText") or "", int(start) if start else 1)
        abstract[node.get(f"{W}abstractNumId", "")] = levels
    for num in root.findall(f"{W}num"):
        num_id = num.get(f"{W}numId", "")
        for ilvl, level in abstract.get(_val(num, "abstractNumId") or "", {}).items():
            numbering.levels[(num_id, ilvl)] = level
    return numbering


def paragraph_numbering(paragraph: Any) -> tuple[str, int] | None:
    """(numId, ilvl) of a numbered paragraph, from its own properties or its style's."""
    sources = [paragraph._p.pPr]
    style = paragraph.style
    while style is not None:
        sources.append(style.element.pPr)
        style = style.base_style
    for ppr in sources:
        num_pr = ppr.find(f"{W}numPr") if ppr is not None else None
        if num_pr is not None:
            num_id = _val(num_pr, "numId")
            if num_id is None or num_id == "0":
                return None  # numbering switched off
            return num_id, int(_val(num_pr, "ilvl") or 0)
    return None


def docx_lines(document: Any) -> list[str]:
    """Paragraphs (with list numbers written out) and table rows of a document, in reading order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    numbering = read_numbering(document)
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = block.text
            where = paragraph_numbering(block)
            if where and text.strip():
                text = numbering.label(*where) + text
            lines.append(text)
        elif isinstance(block, Table):
            for row in block.rows:
                cells = list(dict.fromkeys(cell.text.strip() for cell in row.cells))  # merged cells repeat
                lines.append("\t".join(c for c in cells if c))
    return lines

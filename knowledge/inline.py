"""Responsibility fields: labelled lines, inline parentheses and section-level lines (pure).

One reader serves every shape: "牵头单位：甲局；配合单位：乙局" on its own line (block shape), the same inside
parentheses at the end of an item (inline shape), "甲局牵头，乙局配合" without labels, and "本节任务牵头单位：…"
for a whole section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.model import TimeExpr
from knowledge.timeexpr import find_time_exprs

FieldKind = str  # "leaders" | "lead_units" | "units" | "deadline"

_LEADER_LABELS = r"(?:责任|分管|牵头|包抓|联系)(?:市|区|县|局)?(?:级)?领导"
_LEAD_LABELS = r"牵头(?:单位|部门)|主办单位"
_UNIT_LABELS = r"(?:责任|配合|协办|参与|协同|协助|实施)(?:单位|部门)|责任主体"
_DEADLINE_LABELS = r"完成(?:时限|时间|期限)|时限要求|时间要求|时间节点|时限"
LABELS = rf"{_LEADER_LABELS}|{_LEAD_LABELS}|{_UNIT_LABELS}|{_DEADLINE_LABELS}"
_LABEL = re.compile(rf"({LABELS})\s*[：:]")
_OPEN, _CLOSE = "（(", "）)"
_CLAUSE_SEPARATORS = "，,；;"
# What an unlabelled clause ends with: the role of the names before it.
_ROLE = re.compile(r"(牵头(?:负责|抓总|推进|落实)?|(?:协同|共同)?配合|协助|参与|(?:按|根据)?(?:职责|职能)?分工负责|"
                   r"按职责负责|(?:具体|共同|分别)?负责(?:落实|实施)?|抓好落实|落实)$")
_LEAD_ROLES = ("牵头",)
# A clause that says who does what but names nobody ("按职责分工负责") carries no unit.
_DUTY_ONLY = re.compile(r"^(?:各自|分别)?(?:按|根据)?(?:职责|职能)?(?:分工)?(?:负责|落实)(?:落实|实施)?$")
_NAME_MAX = 40  # a clause longer than this is a sentence, not a list of names
# Lines that set the responsibility of a whole section: "本节任务牵头单位：…", "以上任务责任单位：…".
_SCOPE_WORDS = r"本节|本部分|本章|本领域|本方面|本项|以上|上述"
_SCOPE = re.compile(rf"^[（(]?\s*(?:{_SCOPE_WORDS})[^，。：:]{{0,8}}?(?=(?:{LABELS})\s*[：:])")


@dataclass
class Fields:
    """Responsibility read from one line or one parenthesis: raw name lists, deadlines, what fits nowhere."""

    leaders: list[str] = field(default_factory=list)
    lead_units: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    deadlines: list[TimeExpr] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)

    def add(self, other: Fields) -> None:
        """Merge another reading into this one (sub-items of a task, several lines)."""
        self.leaders += other.leaders
        self.lead_units += other.lead_units
        self.units += other.units
        self.deadlines += other.deadlines
        self.unplaced += other.unplaced

    def names(self, kind: str) -> list[str]:
        """The raw lists of one kind: leaders, lead_units or units."""
        return {"leaders": self.leaders, "lead_units": self.lead_units, "units": self.units}[kind]


def split_top(text: str, separators: str) -> list[str]:
    """Split at separators outside brackets: "各县（市、区）政府，甲局" → 各县（市、区）政府 | 甲局."""
    parts: list[str] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
        elif ch in separators and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip(" \t。.") for p in parts if p.strip(" \t。.")]


def _kind(label: str) -> FieldKind:
    """Which field a label fills."""
    if re.fullmatch(_LEADER_LABELS, label):
        return "leaders"
    if re.fullmatch(_LEAD_LABELS, label):
        return "lead_units"
    if re.fullmatch(_DEADLINE_LABELS, label):
        return "deadline"
    return "units"


def deadline_exprs(text: str, year: int) -> list[TimeExpr]:
    """Time expressions of a deadline field: a bare "2025年12月" there is a due date too."""
    return list(find_time_exprs(text, year, bare_is_due=True))


def _labelled(kind: FieldKind, value: str, year: int, out: Fields) -> None:
    """One labelled value: names for the field, time expressions as deadlines, duty phrases dropped."""
    if kind == "deadline":
        out.deadlines += deadline_exprs(value, year)
        return
    for chunk in split_top(value, _CLAUSE_SEPARATORS):
        if _DUTY_ONLY.match(chunk):
            continue
        if times := deadline_exprs(chunk, year):
            out.deadlines += times
            continue
        role = _ROLE.search(chunk)  # "甲局按职责分工负责" under a label: the label already says the role
        name = chunk[: role.start()].strip() if role else chunk
        if name:
            out.names(kind).append(name)


def _unlabelled(text: str, year: int, out: Fields) -> bool:
    """Clauses such as "甲局牵头，乙局、丙局配合"; False when the text is not a responsibility at all."""
    pending: list[str] = []
    roles = 0
    for clause in split_top(text, _CLAUSE_SEPARATORS):
        if times := deadline_exprs(clause, year):
            out.deadlines += times
            continue
        if len(clause) > _NAME_MAX:
            return False
        role = _ROLE.search(clause)
        if role is None:
            pending.append(clause)
            continue
        roles += 1
        names = clause[: role.start()].strip().removeprefix("由")
        if _DUTY_ONLY.match(clause):
            names = ""
        group = [*pending, names] if names else pending
        pending = []
        target = out.lead_units if role.group(1).startswith(_LEAD_ROLES) else out.units
        target += [g for g in group if g]
    out.unplaced += pending
    return roles > 0


def read_fields(text: str, year: int) -> Fields | None:
    """The responsibility written in `text` (labelled or not), or None when it holds none."""
    text = text.strip().strip("。；;")
    matches = list(_LABEL.finditer(text))
    out = Fields()
    head = text[: matches[0].start()] if matches else text
    if head.strip(" ，,；;") and not _unlabelled(head, year, out):
        if not matches:
            return None
        out.unplaced.append(head.strip(" ，,；;"))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        _labelled(_kind(m.group(1)), text[m.end():end].strip(" \t；;，,。"), year, out)
    if not matches and not (out.lead_units or out.units or out.leaders):
        return None
    return out


def starts_with_label(line: str) -> bool:
    """A block-shape responsibility line: "牵头单位：…" (maybe in parentheses)."""
    return bool(re.match(rf"^[（(]?\s*(?:{LABELS})\s*[：:]", line))


def has_label(line: str) -> bool:
    """Whether the line names a responsibility field anywhere."""
    return bool(_LABEL.search(line))


def scope_fields(line: str) -> str | None:
    """The fields of a section-level line ("本节任务牵头单位：甲局" → "牵头单位：甲局"), else None."""
    m = _SCOPE.match(line)
    if not m:
        return None
    rest = line[m.end():]
    if line.startswith(("（", "(")) and rest.endswith(("）", ")")):
        rest = rest[:-1]
    return rest


def _groups(line: str) -> list[tuple[int, int]]:
    """Spans of top-level bracket groups in a line, brackets included."""
    spans: list[tuple[int, int]] = []
    depth, start = 0, 0
    for i, ch in enumerate(line):
        if ch in _OPEN:
            if depth == 0:
                start = i
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
    return spans


def take_inline(line: str, year: int) -> tuple[str, Fields | None, list[str]]:
    """Remove responsibility parentheses from a line: (text left, fields read, the groups' source texts)."""
    found: Fields | None = None
    sources: list[str] = []
    kept: list[str] = []
    last = 0
    for start, end in _groups(line):
        inner = line[start + 1: end - 1]
        after = line[end:].lstrip()
        at_end = not after or after[0] in "。；;，,.（("
        fields = read_fields(inner, year) if (has_label(inner) or at_end) else None
        if fields is None:
            continue
        found = found or Fields()
        found.add(fields)
        sources.append(line[start:end])
        kept.append(line[last:start])
        last = end
    if found is None:
        return line, None, []
    kept.append(line[last:])
    text = "".join(kept)
    text = re.sub(r"[，,；;]\s*(?=[。；;]|$)", "", text).replace("。。", "。").strip()
    return text, found, sources

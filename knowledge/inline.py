"""Responsibility fields: labelled lines, inline parentheses and section-level lines (pure).

One reader serves every shape: "牵头单位：甲局；配合单位：乙局" on its own line (block shape), the same inside
parentheses at the end of an item (inline shape), "甲局牵头，乙局配合" without labels, and "本节任务牵头单位：…"
for a whole section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from knowledge.model import TimeExpr
from knowledge.names import expand_suffixes, share_level
from knowledge.timeexpr import find_time_exprs

FieldKind = str  # "leaders" | "lead_units" | "units" | "deadline"

_LEADER_LABELS = r"(?:责任|分管|牵头|包抓|联系|市|区|县)(?:市|区|县|局)?(?:级)?领导"
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
# Without a label, names before 牵头/配合 must look like bodies ("鼓励社会资本参与" is text, not a unit).
_BODY_ENDINGS = ("局", "委", "办", "府", "中心", "公司", "队", "院", "所", "站", "会", "部", "厅", "处", "科", "室",
                 "单位", "部门", "企业", "集团", "街道", "镇", "乡", "县", "区", "市", "台", "社", "行", "段", "馆")
# "责任分工：甲局牵头，乙局配合": a heading word that only announces unlabelled clauses.
_DIVISION = re.compile(r"^(?:责任分工|职责分工|分工|责任)\s*[：:]\s*")
_ETC = re.compile(r"(?:等|等相关|等有关)(?:部门|单位)?$")  # "甲局、乙局等按职责分工负责": 等 closes the list
_YEAR_ONLY = re.compile(r"^(\d{4})\s*年(?:内|底|末|全年)?(?:前|之前|以前)?(?:完成)?$")
# Lines that set the responsibility of a whole section: "本节任务牵头单位：…", "以上任务责任单位：…".
_SCOPE_WORDS = r"本节|本部分|本章|本领域|本方面|本项|以上|上述|以下|下列"
_SCOPE = re.compile(rf"^[（(]?\s*(?:{_SCOPE_WORDS})[^，。：:]{{0,8}}?(?=(?:{LABELS})\s*[：:])"
                    rf"|^[（(]?\s*(?:{_SCOPE_WORDS})[^，。：:]{{0,8}}?(?:责任分工|职责分工|分工)\s*[：:]"
                    rf"|^[（(]?\s*(?:{_SCOPE_WORDS})[^，。：:由]{{0,8}}?(?:均|统一|分别)?由")  # "本节任务由甲局牵头，…"
# "责任单位：甲局（牵头）、乙局": a role written as a note after one name of a list.
_LEAD_MARK = re.compile(r"\s*[（(]\s*牵头(?:单位|部门)?\s*[）)]$")


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
    """Time expressions of a deadline field: a bare "2025年12月" or "2025年" there is a due date too."""
    found = list(find_time_exprs(text, year, bare_is_due=True))
    if not found and (m := _YEAR_ONLY.match(text.strip())):
        found.append(TimeExpr("due", text.strip(), date(int(m.group(1)), 12, 31)))
    return found


def _looks_like_bodies(names: str) -> bool:
    """Every name of an unlabelled list ends like an office, a government or a company.

    Bare place names take the suffix they share with the last name first: "东湖、南塘区政府" are two governments.
    """
    items = split_top(re.sub(r"[（(][^（）()]*[）)]$", "", names), "、")
    items = expand_suffixes([re.sub(r"[（(][^（）()]*[）)]$", "", item) for item in items])
    return all(item.endswith(_BODY_ENDINGS) for item in items)


def _marked_leads(names: str) -> tuple[list[str], str]:
    """Split "甲局（牵头）、乙局" into the names marked as lead (甲局) and the rest of the list (乙局)."""
    items = split_top(names, "、")
    marks = [bool(_LEAD_MARK.search(item)) for item in items]
    if not any(marks):
        return [], names
    # "市生态环境局（牵头）、公安局": the list shares its level before it is divided
    items = share_level([_LEAD_MARK.sub("", item) for item in items])
    leads = [item for item, mark in zip(items, marks, strict=True) if mark]
    return leads, "、".join(item for item, mark in zip(items, marks, strict=True) if not mark)


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
        name = _ETC.sub("", chunk[: role.start()].strip() if role else chunk)
        # …except "责任单位：甲局牵头，乙局配合", where the clause names the lead unit.
        target = out.lead_units if role and role.group(1).startswith(_LEAD_ROLES) and kind == "units" else None
        if kind == "units" and target is None:
            leads, name = _marked_leads(name)
            out.lead_units += leads
        elif kind == "lead_units":  # "牵头单位：甲局（牵头）": the mark repeats the label
            leads, rest = _marked_leads(name)
            name = "、".join([*leads, rest] if rest else leads)
        if name:
            (target if target is not None else out.names(kind)).append(name)


def _unlabelled(text: str, year: int) -> Fields | None:
    """Clauses such as "甲局牵头，乙局、丙局配合"; None when the text is not a responsibility at all."""
    out = Fields()
    pending: list[str] = []
    roles = 0
    marked = False  # "甲局（牵头），乙局、丙局": after a lead marked in the list, the rest are its units
    for clause in split_top(_DIVISION.sub("", text.strip()), _CLAUSE_SEPARATORS):
        if times := deadline_exprs(clause, year):
            out.deadlines += times
            continue
        if len(clause) > _NAME_MAX:
            return None
        role = _ROLE.search(clause)
        if role is None:
            leads, others = _marked_leads(clause)
            if leads and _looks_like_bodies(clause):  # "甲局（牵头）、乙局": the mark is the role
                roles += 1
                marked = True
                out.lead_units += leads
                out.units += [*pending, others] if others else pending
                pending = []
                continue
            pending.append(clause)
            continue
        names = "" if _DUTY_ONLY.match(clause) else _ETC.sub("", clause[: role.start()].strip().removeprefix("由"))
        if names and not _looks_like_bodies(names):
            return None
        roles += 1
        group = [*pending, names] if names else pending
        pending = []
        target = out.lead_units if role.group(1).startswith(_LEAD_ROLES) else out.units
        target += [g for g in group if g]
    if marked and all(_looks_like_bodies(p) for p in pending):
        out.units += pending
    else:
        out.unplaced += pending
    return out if roles else None


def read_fields(text: str, year: int) -> Fields | None:
    """The responsibility written in `text` (labelled or not), or None when it holds none."""
    text = text.strip().strip("。；;")
    matches = list(_LABEL.finditer(text))
    out = Fields()
    head = _DIVISION.sub("", text[: matches[0].start()] if matches else text).strip(" ，,；;")
    if head:
        if (clauses := _unlabelled(head, year)) is not None:
            out.add(clauses)
        elif not matches:
            return None
        else:
            out.unplaced.append(head)
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

"""The plan document parser: text in, `knowledge.model.Plan` out (pure, no I/O)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from knowledge import texts as msg
from knowledge.assemble import (
    KINDS,
    RawTask,
    Scope,
    build_task,
    check_counts,
    check_numbers,
    first_sentence,
    known_names,
    plan_shape,
    resolve,
)
from knowledge.inline import Fields, has_label, read_fields, scope_fields, starts_with_label, take_inline
from knowledge.limits import find_counts, find_goals
from knowledge.model import Paragraph, ParagraphKind, Plan, Section
from knowledge.textclean import chinese_numeral, clean_lines
from planbot.errors import DocumentError

ChapterKind = Literal["preamble", "general", "safeguard", "tasks"]

_CHAPTER = re.compile(r"^([一二三四五六七八九十百]+)\s*[、.．]\s*(.+)$")
_SECTION = re.compile(r"^[（(]\s*([一二三四五六七八九十]+)\s*[）)]\s*(.*)$")
# "1.", "1．", "1、" — but not a decimal such as "1.5吨"; "1.2023年…" (text opening with a date) is a task.
_TASK = re.compile(r"^(\d{1,5})\s*[.．、](?!\d+(?:[^\d年月]|$))\s*(.+)$")
_SAFEGUARD_WORDS = re.compile(r"保障|组织实施|工作要求")
_GENERAL_WORDS = re.compile(r"总体要求|指导思想|目标|基本原则|总体思路")
_SENTENCE_END = re.compile(r"[。；;！!？?]")
_HEADING_MAX = 40  # a chapter heading is a short line; longer lines starting 一、 are body text
_TRAILING_FIELDS = re.compile(r"[（(][^（）()]*(?:[（(][^（）()]*[）)][^（）()]*)*[）)]$")
# The sign-off at the end: the issuing office, then the date alone on its line.
_SIGN_OFF_DATE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
_SIGN_OFF_OFFICE = re.compile(r"^[^，。；;：:、（(]{2,40}(?:局|办公室|办|领导小组|指挥部|委员会|政府|管委会)$")


def _plan_year(title: str, lines: list[str]) -> int:
    """The year in the title, else the first year in the text."""
    for candidate in (title, *lines):
        m = re.search(r"(?<!\d)((?:19|20)\d{2})(?:年|\s*$|[^\d])", candidate)
        if m:
            return int(m.group(1))
    raise DocumentError(msg.DOC_NO_YEAR.plain(title=title))


@dataclass
class _RawParagraph:
    """A paragraph while it is being read."""

    kind: ParagraphKind
    heading: str
    key: str
    lines: list[str] = field(default_factory=list)


@dataclass
class _Reader:
    """The line-by-line state of one parse."""

    year: int
    tasks: list[RawTask] = field(default_factory=list)
    scopes: dict[str, Scope] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)
    chapters: list[str] = field(default_factory=list)
    paragraphs: list[_RawParagraph] = field(default_factory=list)
    title: str = ""
    chapters_with_fields: set[int] = field(default_factory=set)  # indexes of chapters with 责任领导… lines
    kind: ChapterKind = "preamble"
    chapter: str = ""
    section: str = ""
    task: RawTask | None = None
    paragraph: _RawParagraph | None = None

    def new_paragraph(self, kind: ParagraphKind, heading: str, key: str | None = None) -> _RawParagraph:
        """Start a paragraph with a stable key (kind-N, or the section number for labelled ones)."""
        count = sum(1 for p in self.paragraphs if p.kind == kind)
        key = key or f"{kind}-{count + 1}"
        taken = {p.key for p in self.paragraphs}
        base, n = key, 2
        while key in taken:  # a second safeguards chapter must not reuse keys
            key, n = f"{base}-{n}", n + 1
        self.paragraph = _RawParagraph(kind, heading, key)
        self.paragraphs.append(self.paragraph)
        return self.paragraph


def _chapter_kind(title: str, has_fields: bool) -> ChapterKind:
    """What a chapter holds: tasks when it has responsibility lines, else judged by its title."""
    if has_fields:
        return "tasks"  # "二、目标任务" with 责任领导 lines holds tasks whatever its title says
    if _SAFEGUARD_WORDS.search(title):
        return "safeguard"
    if _GENERAL_WORDS.search(title):
        return "general"
    return "tasks"


def _is_chapter(line: str) -> re.Match[str] | None:
    """A chapter heading such as 二、重点任务 (short, no sentence inside; responsibility parentheses aside)."""
    heading = _TRAILING_FIELDS.sub("", line) if has_label(line) else line
    m = _CHAPTER.match(heading)
    if m and len(heading) <= _HEADING_MAX and not _SENTENCE_END.search(heading.rstrip("。")):
        return m
    return None


def _add_scope(r: _Reader, fields: Fields, line: str) -> None:
    """Responsibility for every task of the current section (or chapter) that has none of its own."""
    name = r.section or r.chapter
    scope = r.scopes.setdefault(name, Scope(name, Fields(), []))
    scope.fields.add(fields)
    scope.lines.append(line)


def _without_sign_off(lines: list[str]) -> list[str]:
    """Drop the closing office and date, so that a date there is never read as a task's deadline."""
    if lines and _SIGN_OFF_DATE.match(lines[-1]):
        lines = lines[:-1]
        if lines and _SIGN_OFF_OFFICE.match(lines[-1]):
            lines = lines[:-1]
    return lines


def _read_line(r: _Reader, line: str) -> None:
    """Feed one line to the reader."""
    if m := _is_chapter(line):
        heading, fields, sources = take_inline(line, r.year) if has_label(line) else (line, None, [])
        r.chapter, r.section, r.task, r.paragraph = heading, "", None, None
        r.kind = _chapter_kind(m.group(2), len(r.chapters) in r.chapters_with_fields)
        r.chapters.append(heading)
        if fields is not None:  # "三、调整能源结构（牵头单位：…）": for every task of the chapter
            _add_scope(r, fields, "".join(sources))
        return
    if r.kind != "preamble" and (m := _SECTION.match(line)):
        label, rest = msg.SECTION_LABEL.plain(numeral=m.group(1)), m.group(2).strip()
        rest, fields, sources = take_inline(rest, r.year) if r.kind == "tasks" else (rest, None, [])
        title = first_sentence(rest)
        body = rest[len(title):].lstrip("。；;.! ")
        r.task = None
        if r.kind == "tasks":
            section = Section(r.chapter, label, title)
            r.sections.append(section)
            r.section = section.name
            if fields is not None:  # "（一）控制煤炭消费（牵头单位：…）": the heading speaks for its section
                _add_scope(r, fields, "".join(sources))
            if body:
                r.new_paragraph("general", section.name).lines.append(body)
            r.paragraph = None
            return
        key = f"safeguard-{chinese_numeral(m.group(1))}" if r.kind == "safeguard" else None
        para = r.new_paragraph("safeguard" if r.kind == "safeguard" else "general", f"{label}{title}", key)
        if body:
            para.lines.append(body)
        return
    # "上述项目由甲局组织验收，…" reads as no responsibility: it stays a sentence of its task.
    scoped = scope_fields(line) if r.kind == "tasks" else None
    if scoped is not None and (fields := read_fields(scoped, r.year)) is not None:
        _add_scope(r, fields, line)
        return
    if r.kind == "tasks" and (m := _TASK.match(line)):
        r.task = RawTask(int(m.group(1)), [], r.section or r.chapter, r.chapter)
        r.tasks.append(r.task)
        line = m.group(2).strip()
    if r.task is not None:
        if starts_with_label(line) and not line.startswith(("（", "(")):  # block shape: "牵头单位：…" under the task
            if (fields := read_fields(line, r.year)) is not None:
                r.task.add(fields, "lines", line)
            return
        line, fields, sources = take_inline(line, r.year)  # "…。（牵头单位：…；配合单位：…）" in the text
        if fields is not None:
            r.task.add(fields, "inline", "".join(sources))
        if line:
            r.task.lines.append(line)
        return
    if r.kind == "tasks":
        if starts_with_label(line):
            return  # a responsibility line outside any task has nothing to belong to
        r.paragraph = r.paragraph or r.new_paragraph("general", r.section or r.chapter)
        r.paragraph.lines.append(line)
        return
    if r.kind == "preamble":
        r.new_paragraph("preamble", r.title).lines.append(line)
        r.paragraph = None
    elif r.paragraph is not None:
        r.paragraph.lines.append(line)
    else:
        kind: ParagraphKind = "safeguard" if r.kind == "safeguard" else "general"
        r.new_paragraph(kind, r.chapter).lines.append(line)
        if kind == "general":
            r.paragraph = None  # each general-requirements line is its own paragraph


def _chapters_with_fields(lines: list[str]) -> set[int]:
    """Indexes (in order of appearance) of the chapters that contain responsibility lines."""
    out: set[int] = set()
    chapter = -1
    for line in lines:
        if _is_chapter(line):
            chapter += 1
        if chapter >= 0 and has_label(line):
            out.add(chapter)
    return out


_PROBE_YEAR = 2000


def _read(title: str, body: list[str], year: int) -> _Reader:
    """Read the body's lines (after the title) into chapters, sections, paragraphs and raw tasks."""
    reader = _Reader(year=year, title=title, chapters_with_fields=_chapters_with_fields(body))
    if not any(_is_chapter(line) for line in body):
        reader.kind = "tasks"  # a plan without chapter headings: the numbered lines are still its tasks
    for line in body:
        _read_line(reader, line)
    return reader


def count_task_lines(text: str) -> int:
    """How many lines open like a numbered task ("12．…"): a cheap upper bound, checked before parsing."""
    return sum(1 for line in text.splitlines() if _TASK.match(line.strip()))


def parse_plan(text: str) -> Plan:
    """Parse an action plan document into a Plan; raises DocumentError for documents that are not one."""
    lines = clean_lines(text)
    if not lines:
        raise DocumentError(msg.DOC_NO_TASKS)
    title, body = lines[0], _without_sign_off(lines[1:])
    try:
        year = _plan_year(title, body)
    except DocumentError:
        # Whether it is a plan at all comes first: a short note or a random text has no numbered tasks, and
        # saying "no year" would send its author looking for the wrong thing. Any year will do for this probe.
        if not _read(title, body, _PROBE_YEAR).tasks:
            raise DocumentError(msg.DOC_NO_TASKS) from None
        raise
    reader = _read(title, body, year)
    raw_tasks = reader.tasks
    if not raw_tasks:
        raise DocumentError(msg.DOC_NO_TASKS)
    check_numbers(raw_tasks)
    paragraphs = tuple(Paragraph(p.kind, p.heading, "\n".join(p.lines), p.key) for p in reader.paragraphs if p.lines)
    general = [p.text for p in paragraphs if p.kind == "general"]
    counts = next((c for text in general if (c := find_counts(text))), ())
    goals = tuple(g for text in general for g in find_goals(text)) + counts
    warnings = check_counts(counts, len(raw_tasks), len(reader.sections), ends_in_task=reader.task is not None)
    shape = plan_shape(raw_tasks, reader.scopes)
    owners, unowned = resolve(raw_tasks, reader.scopes, shape)
    warnings += unowned
    for scope in reader.scopes.values():
        warnings += [msg.PARSE_WARN_UNPLACED.plain(where=scope.name, text=t) for t in scope.fields.unplaced]
    all_fields = [f for f in (*(t.fields for t in raw_tasks), *(s.fields for s in reader.scopes.values())) if f]
    known = {kind: known_names(all_fields, kind, person=kind == "leaders") for kind in KINDS}
    known["units"] = list(dict.fromkeys(known["lead_units"] + known["units"]))
    known["lead_units"] = known["units"]
    tasks = tuple(build_task(raw, owner, year, known, warnings) for raw, owner in zip(raw_tasks, owners, strict=True))
    return Plan(
        title=title,
        year=year,
        tasks=tasks,
        sections=tuple(reader.sections),
        chapters=tuple(reader.chapters),
        paragraphs=paragraphs,
        goals=goals,
        warnings=tuple(dict.fromkeys(warnings)),
        inherited_blocks=sum(o.inherited for o in owners),
        meta={"shape": shape},
    )

"""The plan document parser: text in, `knowledge.model.Plan` out (pure, no I/O)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from knowledge import texts as msg
from knowledge.limits import find_counts, find_goals, find_limits
from knowledge.model import Goal, Paragraph, ParagraphKind, Plan, Section, Task
from knowledge.names import split_items, split_names
from knowledge.textclean import chinese_numeral, clean_lines
from knowledge.timeexpr import find_time_exprs
from planbot.errors import DocumentError

ChapterKind = Literal["preamble", "general", "safeguard", "tasks"]

_CHAPTER = re.compile(r"^([一二三四五六七八九十百]+)\s*[、.．]\s*(.+)$")
_SECTION = re.compile(r"^[（(]\s*([一二三四五六七八九十]+)\s*[）)]\s*(.*)$")
# "1.", "1．", "1、" — but not a decimal such as "1.5吨"; "1.2023年…" (text opening with a date) is a task.
_TASK = re.compile(r"^(\d{1,5})\s*[.．、](?!\d+(?:[^\d年月]|$))\s*(.+)$")
_FIELD_NAMES = r"责任领导|分管领导|牵头领导|牵头单位|责任单位|配合单位|协办单位|参与单位"
_FIELD = re.compile(rf"[（(]?\s*({_FIELD_NAMES})\s*[：:]")
_FIELD_AT_START = re.compile(rf"^[（(]?\s*(?:{_FIELD_NAMES})\s*[：:]")
_FIELD_KIND = {"责任领导": "leaders", "分管领导": "leaders", "牵头领导": "leaders", "牵头单位": "lead_units",
               "责任单位": "units", "配合单位": "units", "协办单位": "units", "参与单位": "units"}
_SAFEGUARD_WORDS = re.compile(r"保障|组织实施|工作要求")
_GENERAL_WORDS = re.compile(r"总体要求|指导思想|目标|基本原则|总体思路")
_SENTENCE_END = re.compile(r"[。；;！!？?]")
_HEADING_MAX = 40  # a chapter heading is a short line; longer lines starting 一、 are body text


def _first_sentence(text: str) -> str:
    """Text up to the first sentence end, without it."""
    m = _SENTENCE_END.search(text)
    return (text[: m.start()] if m else text).strip()


def _plan_year(title: str, lines: list[str]) -> int:
    """The year in the title, else the first year in the text."""
    for candidate in (title, *lines):
        m = re.search(r"(?<!\d)((?:19|20)\d{2})(?:年|\s*$|[^\d])", candidate)
        if m:
            return int(m.group(1))
    raise DocumentError(msg.DOC_NO_YEAR.format(title=title))


@dataclass
class _RawTask:
    """A task while it is being read."""

    number: int
    lines: list[str]
    section: str
    chapter: str
    block: dict[str, list[str]] | None = None
    block_lines: list[str] = field(default_factory=list)


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

    tasks: list[_RawTask] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    chapters: list[str] = field(default_factory=list)
    paragraphs: list[_RawParagraph] = field(default_factory=list)
    title: str = ""
    chapters_with_fields: set[int] = field(default_factory=set)  # indexes of chapters with 责任领导… lines
    kind: ChapterKind = "preamble"
    chapter: str = ""
    section: str = ""
    task: _RawTask | None = None
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
    """A chapter heading such as 二、重点任务 (short, no sentence inside)."""
    m = _CHAPTER.match(line)
    if m and len(line) <= _HEADING_MAX and not _SENTENCE_END.search(line.rstrip("。")):
        return m
    return None


def _add_fields(task: _RawTask, line: str) -> None:
    """Read 责任领导：…/牵头单位：…/责任单位：… (one or several on a line) into the task's block."""
    block = task.block if task.block is not None else {}
    task.block = block
    task.block_lines.append(line)
    if line.startswith(("（", "(")) and line.endswith(("）", ")")):
        line = line[1:-1]  # an inline block in parentheses: "（责任领导：…；牵头单位：…）"
    matches = list(_FIELD.finditer(line))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
        value = line[m.end():end].strip(" \t；;。")
        block.setdefault(_FIELD_KIND[m.group(1)], []).append(value)


def _read_line(r: _Reader, line: str) -> None:
    """Feed one line to the reader."""
    if m := _is_chapter(line):
        r.chapter, r.section, r.task, r.paragraph = line, "", None, None
        r.kind = _chapter_kind(m.group(2), len(r.chapters) in r.chapters_with_fields)
        r.chapters.append(line)
        return
    if r.kind != "preamble" and (m := _SECTION.match(line)):
        label, rest = f"（{m.group(1)}）", m.group(2).strip()
        title = _first_sentence(rest)
        body = rest[len(title):].lstrip("。；;.! ")
        r.task = None
        if r.kind == "tasks":
            section = Section(r.chapter, label, title)
            r.sections.append(section)
            r.section = section.name
            if body:
                r.new_paragraph("general", section.name).lines.append(body)
            r.paragraph = None
            return
        key = f"safeguard-{chinese_numeral(m.group(1))}" if r.kind == "safeguard" else None
        para = r.new_paragraph("safeguard" if r.kind == "safeguard" else "general", f"{label}{title}", key)
        if body:
            para.lines.append(body)
        return
    if r.kind == "tasks" and (m := _TASK.match(line)):
        r.task = _RawTask(int(m.group(1)), [], r.section or r.chapter, r.chapter)
        r.tasks.append(r.task)
        line = m.group(2).strip()
    if r.task is not None:
        if _FIELD_AT_START.match(line):
            _add_fields(r.task, line)
            return
        inline = _FIELD.search(line)
        if inline and inline.start() > 0:  # "…。（责任领导：…；牵头单位：…）" at the end of the text
            _add_fields(r.task, line[inline.start():])
            line = line[: inline.start()].rstrip()
        if line:
            r.task.lines.append(line)
        return
    if r.kind == "tasks":
        if _FIELD_AT_START.match(line):
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


def _check_numbers(tasks: list[_RawTask]) -> None:
    """Task numbers must run 1..N without gaps or repeats."""
    numbers = [t.number for t in tasks]
    duplicated = sorted(n for n, count in Counter(numbers).items() if count > 1)
    missing = sorted(set(range(1, max(numbers) + 1)) - set(numbers))
    invalid = sorted({n for n in numbers if n < 1})
    if not duplicated and not missing and not invalid:
        return
    parts, parts_en = [], []
    if invalid:
        parts.append(msg.DOC_NUMBERS_INVALID.format(numbers="、".join(map(str, invalid))))
        parts_en.append("invalid " + ", ".join(map(str, invalid)))
    if missing:
        parts.append(msg.DOC_NUMBERS_MISSING.format(numbers="、".join(map(str, missing[:20]))))
        parts_en.append("missing " + ", ".join(map(str, missing[:20])))
    if duplicated:
        parts.append(msg.DOC_NUMBERS_DUPLICATED.format(numbers="、".join(map(str, duplicated))))
        parts_en.append("duplicated " + ", ".join(map(str, duplicated)))
    raise DocumentError(msg.DOC_TASK_NUMBERS.format(detail="，".join(parts), detail_en="; ".join(parts_en)))


def _check_counts(counts: tuple[Goal, ...], tasks: int, sections: int, *, ends_in_task: bool) -> list[str]:
    """Compare the stated numbers of tasks and areas with what was read; a cut-off task list is an error."""
    warnings: list[str] = []
    for goal in counts:
        stated = int(goal.value)
        if goal.unit == "项" and tasks < stated:
            if ends_in_task:  # the text stops inside the task list: a file cut after a complete task
                raise DocumentError(msg.DOC_FEWER_TASKS.format(stated=stated, found=tasks, text=goal.text))
            warnings.append(msg.PARSE_WARN_TASK_COUNT.format(stated=stated, found=tasks, text=goal.text))
        elif goal.unit == "个" and sections and sections != stated:
            warnings.append(msg.PARSE_WARN_AREA_COUNT.format(stated=stated, found=sections, text=goal.text))
    return warnings


def _resolve_blocks(tasks: list[_RawTask]) -> tuple[dict[int, int], list[int]]:
    """Map each task without a block to the next task in its section that has one; list the orphans."""
    source: dict[int, int] = {}
    orphans: list[int] = []
    for i, task in enumerate(tasks):
        if task.block is not None:
            continue
        owner = next((j for j in range(i + 1, len(tasks)) if tasks[j].block is not None
                      or tasks[j].section != task.section), None)
        if owner is not None and tasks[owner].block is not None and tasks[owner].section == task.section:
            source[i] = owner
        else:
            orphans.append(i)
    if orphans and orphans[-1] == len(tasks) - 1:
        raise DocumentError(msg.DOC_TRUNCATED.format(number=tasks[-1].number))
    return source, orphans


def _known(tasks: list[_RawTask], kind: str, person: bool) -> list[str]:
    """Names written with separators elsewhere in the document, used to split run-together ones."""
    out: list[str] = []
    for task in tasks:
        for value in (task.block or {}).get(kind, []):
            items = split_items(re.sub(r"[（(][^）)]*[）)]", "", value))
            # A single item may itself be run-together; only lists give trustworthy names.
            if len(items) > 1 or not person or len(value) <= 3:
                out += split_names(value, person=person).names
    return list(dict.fromkeys(out))


def _build_task(raw: _RawTask, block_of: _RawTask, inherited: bool, year: int,
                known: dict[str, list[str]], warnings: list[str]) -> Task:
    """Turn a raw task into a Task, splitting its lists and finding its dates and limits."""
    block = block_of.block or {}
    values: dict[str, tuple[str, ...]] = {}
    notes: list[str] = []
    labels = {"leaders": msg.PARSE_FIELD_LEADERS, "lead_units": msg.PARSE_FIELD_LEAD_UNITS,
              "units": msg.PARSE_FIELD_UNITS}
    for kind in ("leaders", "lead_units", "units"):
        names: list[str] = []
        for value in block.get(kind, []):
            split = split_names(value, known[kind], person=kind == "leaders")
            names += split.names
            notes += split.notes
            for text in split.undecided:
                warnings.append(msg.PARSE_WARN_RUN_TOGETHER.format(number=raw.number, field=labels[kind], text=text))
        values[kind] = tuple(dict.fromkeys(names))
    if block_of.block is not None and not values["leaders"]:
        warnings.append(msg.PARSE_WARN_NO_LEADER.format(number=raw.number))
    text = "\n".join(raw.lines)
    return Task(
        number=raw.number,
        title=_first_sentence(raw.lines[0]) if raw.lines else "",
        text=text,
        section=raw.section,
        chapter=raw.chapter,
        leaders=values["leaders"],
        lead_units=values["lead_units"],
        units=values["units"],
        notes=tuple(dict.fromkeys(notes)),
        inherited=inherited,
        responsibility_text="\n".join(block_of.block_lines),
        deadlines=find_time_exprs(text, year),
        limits=find_limits(text),
    )


def _chapters_with_fields(lines: list[str]) -> set[int]:
    """Indexes (in order of appearance) of the chapters that contain responsibility lines."""
    out: set[int] = set()
    chapter = -1
    for line in lines:
        if _is_chapter(line):
            chapter += 1
        elif chapter >= 0 and _FIELD.search(line):
            out.add(chapter)
    return out


def parse_plan(text: str) -> Plan:
    """Parse an action plan document into a Plan; raises DocumentError for documents that are not one."""
    lines = clean_lines(text)
    if not lines:
        raise DocumentError(msg.DOC_NO_TASKS)
    title, body = lines[0], lines[1:]
    year = _plan_year(title, body)
    reader = _Reader(title=title, chapters_with_fields=_chapters_with_fields(body))
    if not any(_is_chapter(line) for line in body):
        reader.kind = "tasks"  # a plan without chapter headings: the numbered lines are still its tasks
    for line in body:
        _read_line(reader, line)
    raw_tasks = reader.tasks
    if not raw_tasks:
        raise DocumentError(msg.DOC_NO_TASKS)
    _check_numbers(raw_tasks)
    paragraphs = tuple(Paragraph(p.kind, p.heading, "\n".join(p.lines), p.key) for p in reader.paragraphs if p.lines)
    general = [p.text for p in paragraphs if p.kind == "general"]
    counts = next((c for text in general if (c := find_counts(text))), ())
    goals = tuple(g for text in general for g in find_goals(text)) + counts
    warnings = _check_counts(counts, len(raw_tasks), len(reader.sections), ends_in_task=reader.task is not None)
    source, orphans = _resolve_blocks(raw_tasks)
    warnings += [msg.PARSE_WARN_NO_BLOCK.format(number=raw_tasks[i].number) for i in orphans]
    known = {kind: _known(raw_tasks, kind, person=kind == "leaders") for kind in ("leaders", "lead_units", "units")}
    known["units"] = list(dict.fromkeys(known["lead_units"] + known["units"]))
    known["lead_units"] = known["units"]
    tasks = tuple(
        _build_task(raw, raw_tasks[source.get(i, i)], i in source, year, known, warnings)
        for i, raw in enumerate(raw_tasks)
    )
    return Plan(
        title=title,
        year=year,
        tasks=tasks,
        sections=tuple(reader.sections),
        chapters=tuple(reader.chapters),
        paragraphs=paragraphs,
        goals=goals,
        warnings=tuple(dict.fromkeys(warnings)),
        inherited_blocks=len(source),
    )


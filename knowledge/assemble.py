"""From raw tasks to Tasks: numbering checks, whose responsibility applies to which task, the plan's shape (pure)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from knowledge import texts as msg
from knowledge.inline import Fields
from knowledge.limits import find_limits
from knowledge.model import Goal, Task
from knowledge.names import split_items, split_names
from knowledge.timeexpr import find_time_exprs
from planbot.errors import DocumentError

FieldSource = Literal["lines", "inline"]  # responsibility lines under the task / parentheses in its text
Shape = Literal["block", "inline", "mixed"]
_SENTENCE_END = re.compile(r"[。；;！!？?]")
KINDS = ("leaders", "lead_units", "units")


@dataclass
class RawTask:
    """A task while it is being read."""

    number: int
    lines: list[str]
    section: str
    chapter: str
    fields: Fields | None = None
    sources: set[FieldSource] = field(default_factory=set)
    field_lines: list[str] = field(default_factory=list)

    def add(self, fields: Fields, source: FieldSource, text: str) -> None:
        """Record responsibility read from a line under the task or from parentheses in its text."""
        self.fields = self.fields or Fields()
        self.fields.add(fields)
        self.sources.add(source)
        self.field_lines.append(text)


@dataclass
class Scope:
    """Responsibility written for a whole section or chapter ("本节任务牵头单位：…")."""

    name: str
    fields: Fields
    lines: list[str]


def first_sentence(text: str) -> str:
    """Text up to the first sentence end, without it."""
    m = _SENTENCE_END.search(text)
    return (text[: m.start()] if m else text).strip()


def check_numbers(tasks: list[RawTask]) -> None:
    """Task numbers must run 1..N without gaps or repeats."""
    numbers = [t.number for t in tasks]
    duplicated = sorted(n for n, count in Counter(numbers).items() if count > 1)
    missing = sorted(set(range(1, max(numbers) + 1)) - set(numbers))
    invalid = sorted({n for n in numbers if n < 1})
    if not duplicated and not missing and not invalid:
        return
    parts = []
    if invalid:
        parts.append(msg.DOC_NUMBERS_INVALID.plain(numbers="、".join(map(str, invalid))))
    if missing:
        parts.append(msg.DOC_NUMBERS_MISSING.plain(numbers="、".join(map(str, missing[:20]))))
    if duplicated:
        parts.append(msg.DOC_NUMBERS_DUPLICATED.plain(numbers="、".join(map(str, duplicated))))
    raise DocumentError(msg.DOC_TASK_NUMBERS.plain(detail="，".join(parts)))


def check_counts(counts: tuple[Goal, ...], tasks: int, sections: int, *, ends_in_task: bool) -> list[str]:
    """Compare the stated numbers of tasks and areas with what was read; a cut-off task list is an error."""
    warnings: list[str] = []
    for goal in counts:
        stated = int(goal.value)
        if goal.unit == "项" and tasks < stated:
            if ends_in_task:  # the text stops inside the task list: a file cut after a complete task
                raise DocumentError(msg.DOC_FEWER_TASKS.plain(stated=stated, found=tasks, text=goal.text))
            warnings.append(msg.PARSE_WARN_TASK_COUNT.plain(stated=stated, found=tasks, text=goal.text))
        elif goal.unit == "个" and sections and sections != stated:
            warnings.append(msg.PARSE_WARN_AREA_COUNT.plain(stated=stated, found=sections, text=goal.text))
    return warnings


def plan_shape(tasks: list[RawTask], scopes: dict[str, Scope]) -> Shape:
    """Block shape (lines under each task), inline shape (parentheses, section-level lines), or both."""
    sources = {s for t in tasks for s in t.sources} | ({"inline"} if scopes else set())
    if sources == {"lines", "inline"}:
        return "mixed"
    return "inline" if sources == {"inline"} else "block"


@dataclass(frozen=True)
class Owner:
    """Where a task's responsibility comes from: its own, its section's, or the following task's block."""

    fields: Fields | None
    text: str
    inherited: bool = False  # taken from a following task (block shape)
    lines: bool = False  # written as lines under a task, where a leader is expected


def resolve(tasks: list[RawTask], scopes: dict[str, Scope], shape: Shape) -> tuple[list[Owner], list[str]]:
    """Each task's responsibility: its own, else its section's (then chapter's), else a following block."""
    owners: list[Owner] = []
    warnings: list[str] = []
    for i, task in enumerate(tasks):
        if task.fields is not None:
            owners.append(Owner(task.fields, "\n".join(task.field_lines), lines="lines" in task.sources))
            continue
        scope = scopes.get(task.section) or scopes.get(task.chapter)
        if scope is not None:
            owners.append(Owner(scope.fields, "\n".join(scope.lines)))
            continue
        # Block shape: several tasks may share the block written after the last of them, within a section.
        j = next((j for j in range(i + 1, len(tasks)) if tasks[j].fields is not None
                  or tasks[j].section != task.section), None)
        if j is not None and tasks[j].section == task.section and "lines" in tasks[j].sources:
            owners.append(Owner(tasks[j].fields, "\n".join(tasks[j].field_lines), inherited=True, lines=True))
            continue
        if shape == "block":
            if i == len(tasks) - 1:
                raise DocumentError(msg.DOC_TRUNCATED.plain(number=task.number))
            warnings.append(msg.PARSE_WARN_NO_BLOCK.plain(number=task.number))
        else:
            warnings.append(msg.PARSE_WARN_NO_FIELDS.plain(number=task.number))
        owners.append(Owner(None, ""))
    return owners, warnings


def known_names(fields: list[Fields], kind: str, person: bool) -> list[str]:
    """Names written with separators elsewhere in the document, used to split run-together ones."""
    out: list[str] = []
    for f in fields:
        for value in f.names(kind):
            items = split_items(re.sub(r"[（(][^）)]*[）)]", "", value))
            # A single item may itself be run-together; only lists give trustworthy names.
            if len(items) > 1 or not person or len(value) <= 3:
                out += split_names(value, person=person).names
    return list(dict.fromkeys(out))


def build_task(raw: RawTask, owner: Owner, year: int, known: dict[str, list[str]], warnings: list[str]) -> Task:
    """Turn a raw task into a Task, splitting its lists and finding its dates and limits."""
    values: dict[str, tuple[str, ...]] = {}
    notes: list[str] = []
    labels = {"leaders": msg.PARSE_FIELD_LEADERS, "lead_units": msg.PARSE_FIELD_LEAD_UNITS,
              "units": msg.PARSE_FIELD_UNITS}
    for kind in KINDS:
        names: list[str] = []
        for value in owner.fields.names(kind) if owner.fields else []:
            split = split_names(value, known[kind], person=kind == "leaders")
            names += split.names
            notes += split.notes
            for text in split.undecided:
                warnings.append(msg.PARSE_WARN_RUN_TOGETHER.plain(number=raw.number, field=labels[kind], text=text))
        values[kind] = tuple(dict.fromkeys(names))
    if owner.lines and not values["leaders"]:
        warnings.append(msg.PARSE_WARN_NO_LEADER.plain(number=raw.number))
    if raw.fields is not None:
        where = msg.PARSE_WHERE_TASK.plain(number=raw.number)
        warnings += [msg.PARSE_WARN_UNPLACED.plain(where=where, text=t) for t in raw.fields.unplaced]
    text = "\n".join(raw.lines)
    extra = tuple(owner.fields.deadlines) if owner.fields else ()
    return Task(
        number=raw.number,
        title=first_sentence(raw.lines[0]) if raw.lines else "",
        text=text,
        section=raw.section,
        chapter=raw.chapter,
        leaders=values["leaders"],
        lead_units=values["lead_units"],
        units=values["units"],
        notes=tuple(dict.fromkeys(notes)),
        inherited=owner.inherited,
        responsibility_text=owner.text,
        deadlines=tuple(dict.fromkeys(find_time_exprs(text, year) + extra)),
        limits=find_limits(text),
    )

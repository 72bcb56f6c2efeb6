"""The plan model: plain frozen dataclasses, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

_Date = date  # the TimeExpr field named `date` shadows the type inside the class body
TimeKind = Literal["due", "start", "period", "recurring"]
ParagraphKind = Literal["preamble", "general", "safeguard"]


@dataclass(frozen=True)
class TimeExpr:
    """A time expression of a task: `due` date, `start` date, `period` (date..end) or `recurring`."""

    kind: TimeKind
    text: str  # the source text, e.g. "2023年10月底前"
    date: _Date | None = None  # due/start date, or the period's first day
    end: _Date | None = None  # a period's last day

    def to_dict(self) -> dict[str, Any]:
        """JSON form used by `planbot tasks --json`."""
        out: dict[str, Any] = {"date": self.date.isoformat() if self.date else None, "kind": self.kind,
                               "text": self.text}
        if self.kind == "period":
            out["end"] = self.end.isoformat() if self.end else None
        return out


@dataclass(frozen=True)
class Limit:
    """A quantitative limit: value and unit, and what it limits."""

    value: float
    unit: str
    subject: str  # what is limited, e.g. "氮氧化物"
    text: str  # the source text, e.g. "将氮氧化物控制在30毫克/立方米"
    comparator: str | None = None  # "<=", ">=", "=" or None when the text does not say
    upper: float | None = None  # the upper bound of a range such as "1—2家" (value is the lower bound)
    # "limit" (a ceiling to stay under), "target" (an amount to reach) or "scope" (a threshold saying which
    # enterprises/boilers/areas a rule covers, e.g. "35蒸吨及以上燃煤锅炉…除外": nothing to meet).
    kind: str = "target"

    @property
    def is_scope(self) -> bool:
        """Whether the number says who or where a rule applies to rather than what must be met."""
        return self.kind == "scope"

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        out: dict[str, Any] = {"value": self.value, "unit": self.unit, "subject": self.subject, "text": self.text,
                               "comparator": self.comparator, "kind": self.kind}
        if self.upper is not None:
            out["upper"] = self.upper
        return out


@dataclass(frozen=True)
class Section:
    """A sub-section such as （一）深入实施企业污染系统治理, inside a chapter such as 二、重点任务."""

    chapter: str  # "二、重点任务"
    label: str  # "（一）"
    title: str  # "深入实施企业污染系统治理"

    @property
    def name(self) -> str:
        """Label and title, as shown to users."""
        return f"{self.label}{self.title}"


@dataclass(frozen=True)
class Task:
    """One numbered task with its responsibilities, time expressions and limits."""

    number: int
    title: str  # the first sentence, e.g. "严格项目准入"
    text: str  # the task's full text (without the responsibility lines)
    section: str  # e.g. "（一）深入实施企业污染系统治理"
    chapter: str = ""
    leaders: tuple[str, ...] = ()
    lead_units: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # parenthetical notes on the lists, e.g. "不涉及高新、经开"
    inherited: bool = False  # responsibility block taken from a following task
    responsibility_text: str = ""  # the raw responsibility lines
    deadlines: tuple[TimeExpr, ...] = ()
    limits: tuple[Limit, ...] = ()

    @property
    def due_dates(self) -> tuple[date, ...]:
        """Sorted distinct due dates."""
        return tuple(sorted({d.date for d in self.deadlines if d.kind == "due" and d.date}))

    def to_dict(self) -> dict[str, Any]:
        """JSON form used by `planbot tasks --json`."""
        return {
            "number": self.number,
            "title": self.title,
            "section": self.section,
            "chapter": self.chapter,
            "leaders": list(self.leaders),
            "lead_units": list(self.lead_units),
            "units": list(self.units),
            "notes": list(self.notes),
            "inherited": self.inherited,
            "deadlines": [d.to_dict() for d in self.deadlines],
            "limits": [lim.to_dict() for lim in self.limits],
            "text": self.text,
        }


@dataclass(frozen=True)
class Paragraph:
    """A paragraph outside the numbered tasks: preamble, general requirements or safeguards."""

    kind: ParagraphKind
    heading: str  # e.g. "一、总体要求" or "（四）强化工作调度督查"
    text: str
    key: str  # stable id, e.g. "safeguard-4"


@dataclass(frozen=True)
class Goal:
    """A target of the plan's general requirements, e.g. PM2.5 ≤ 49 微克/立方米."""

    name: str
    value: float
    unit: str
    comparator: str
    text: str


@dataclass(frozen=True)
class Plan:
    """A parsed action plan."""

    title: str
    year: int
    tasks: tuple[Task, ...]
    sections: tuple[Section, ...] = ()
    chapters: tuple[str, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    goals: tuple[Goal, ...] = ()
    warnings: tuple[str, ...] = ()
    inherited_blocks: int = 0  # how many tasks took a following responsibility block
    meta: dict[str, str] = field(default_factory=dict, compare=False)

    def task(self, number: int) -> Task | None:
        """The task with this number, if any."""
        return next((t for t in self.tasks if t.number == number), None)

    @property
    def leaders(self) -> tuple[str, ...]:
        """Every leader named in the plan, in first-seen order."""
        return tuple(dict.fromkeys(n for t in self.tasks for n in t.leaders))

    @property
    def unit_names(self) -> tuple[str, ...]:
        """Every unit (lead or responsible) named in the plan, in first-seen order."""
        return tuple(dict.fromkeys(n for t in self.tasks for n in (*t.lead_units, *t.units)))

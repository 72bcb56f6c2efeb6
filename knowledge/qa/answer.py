"""The Answer and how answers are worded: the asked fact first, then the plan's own words and the citation."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from knowledge import texts as kn_msg
from knowledge.model import Task
from knowledge.qa import texts as msg
from knowledge.qa.corpus import Doc
from knowledge.qa.lexicon import GROUP_UNIT
from knowledge.qa.periods import Period
from knowledge.qa.question import Role

JOIN = "、"
_LEFT_OUT = re.compile(r"（不涉及([^）]+)）")


@dataclass(frozen=True)
class Answer:
    """What the engine says: plain text (not HTML-escaped), cited task numbers in order, refusal flag, sources."""

    text: str
    tasks: list[int] = field(default_factory=list)
    refused: bool = False
    sources: list[dict[str, Any]] = field(default_factory=list)
    intent: str = ""
    low_confidence: bool = False  # answered, but the calibrated decision was "caveat" (recorded for /unanswered)
    pointer: int | None = None  # for a refusal or a low-confidence answer: the best-matching task, if any

    def to_dict(self) -> dict[str, Any]:
        """JSON form printed by `planbot ask --json`."""
        return {"answer": self.text, "tasks": list(self.tasks), "refused": self.refused, "sources": list(self.sources)}


def source_of(doc: Doc) -> dict[str, Any]:
    """A citation record: the document key, its label and (for tasks) the number."""
    out: dict[str, Any] = {"key": doc.key, "label": doc.label, "title": doc.title}
    if doc.task is not None:
        out["task"] = doc.task.number
    return out


def cite(task: Task) -> str:
    """"第10项 推进燃气锅炉低氮燃烧深度治理"."""
    return msg.QA_CITE_TASK.plain(number=task.number, title=task.title)


def responsibility_line(task: Task, first: Role = "any") -> str:
    """"责任领导：刘鲲；牵头单位：大气办；责任单位：各分局" (empty fields left out); the asked role
    ("lead" or "responsible") comes first, since an answer puts the asked fact first."""
    parts: dict[str, str] = {}
    # The plan's own wording of a field ("秦都、高新、兴平分局") where it has one: the ledger's expansion of it
    # ("秦都分局、高新分局、兴平分局") is for matching, a reader checks the answer against the plan.
    written = dict(line.split("：", 1) for line in task.responsibility_text.splitlines() if "：" in line)
    if task.leaders:
        leaders = written.get(kn_msg.PARSE_FIELD_LEADERS) or JOIN.join(task.leaders)
        parts["any"] = msg.QA_FIELD_LINE.plain(field=kn_msg.PARSE_FIELD_LEADERS, value=leaders)
    if task.lead_units:
        leads = written.get(kn_msg.PARSE_FIELD_LEAD_UNITS) or JOIN.join(task.lead_units)
        parts["lead"] = msg.QA_FIELD_LINE.plain(field=kn_msg.PARSE_FIELD_LEAD_UNITS, value=leads)
    if task.units:
        units = written.get(kn_msg.PARSE_FIELD_UNITS) or JOIN.join(task.units) + (
            "（" + "；".join(task.notes) + "）" if task.notes else "")
        parts["responsible"] = msg.QA_FIELD_LINE.plain(field=kn_msg.PARSE_FIELD_UNITS, value=units)
    ordered = [parts[first]] if first in parts else []
    ordered += [text for role, text in parts.items() if role != first]
    if not ordered:
        return msg.QA_NO_RESPONSIBILITY.plain()
    # A block the plan prints once for several tasks: say the task borrows it rather than state it as its own.
    return "；".join(ordered) + (msg.QA_INHERITED.plain() if task.inherited else "")


def quote(sentences: list[str]) -> str:
    """原文：“…”."""
    return msg.QA_QUOTE.plain(text="".join(sentences))


def task_answer(task: Task, fact: str, sentences: list[str], extra: list[str] | None = None,
                *, responsibility: bool = True) -> str:
    """Fact with citation, then the quote, any extra lines, then the responsibility fields."""
    lines = [msg.QA_FACT_CITED.plain(fact=fact, cite=cite(task))]
    # The headline is often a sentence of the plan as written: quoting it again says the same thing twice.
    sentences = [s for s in sentences if s.rstrip("。；;，,") != fact.rstrip("。；;，,")]
    if sentences:
        lines.append(quote(sentences))
    lines.extend(extra or [])
    if responsibility:
        lines.append(responsibility_line(task))
    return "\n".join(line for line in lines if line)


def paragraph_answer(doc: Doc, sentences: list[str], fact: str = "") -> str:
    """A sentence of the general requirements or safeguards, with where it stands; with the asked fact (a clause of
    it) first when there is one, the sentence then quoted."""
    assert doc.paragraph is not None
    where = doc.paragraph.heading or msg.QA_PREAMBLE
    if fact:
        return f"{msg.QA_PARAGRAPH.plain(text=fact, where=where)}\n{quote(sentences)}"
    return msg.QA_PARAGRAPH.plain(text="".join(sentences), where=where)


def list_line(task: Task, detail: str) -> str:
    """One line of a list answer: number, title and the relevant date or role."""
    return msg.QA_LIST_LINE.plain(number=task.number, title=task.title, detail=detail)


def role_of(task: Task, unit: str) -> str | None:
    """How a unit takes part in a task: lead or responsible (None when not named)."""
    if unit in task.lead_units:
        return msg.QA_ROLE_LEAD
    if unit in task.units:
        return kn_msg.PARSE_FIELD_UNITS
    return None


def group_of(task: Task, unit: str) -> tuple[str, str] | None:
    """The group that covers a unit the task does not name ("各分局" for 兴平分局), with the group's role; None when
    there is none or the plan leaves the unit out ("各分局（不涉及高新、经开）" for 高新分局)."""
    for group in (*task.lead_units, *task.units):
        kind = GROUP_UNIT.sub("", group).split("（")[0]
        if GROUP_UNIT.match(group) and kind and unit.endswith(kind):
            left_out = _LEFT_OUT.search(task.responsibility_text)  # the ledger keeps the group, not its note
            if left_out and unit.removesuffix(kind) in re.split(r"[、，,]", left_out.group(1)):
                return None
            return group, msg.QA_ROLE_LEAD if group in task.lead_units else kn_msg.PARSE_FIELD_UNITS
    return None


def wants_role(role: Role, found: str | None) -> bool:
    """Whether a unit's role in a task (None: not named) matches what the question asks (lead / responsible /
    either / anything but lead / no part)."""
    if role == "none":
        return found is None
    if role == "not_lead":
        return found != msg.QA_ROLE_LEAD
    if role == "lead":
        return found == msg.QA_ROLE_LEAD
    if role == "responsible":
        return found == kn_msg.PARSE_FIELD_UNITS
    return found is not None


def period_dues(task: Task, period: Period) -> list[str]:
    """Source texts of the task's due dates inside the period."""
    return [d.text for d in task.deadlines if d.kind == "due" and d.date and period.contains(d.date)]

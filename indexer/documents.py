"""The documents a plan contributes to the vector index (pure: plan in, documents out)."""

from __future__ import annotations

from dataclasses import dataclass

from indexer import texts as msg
from knowledge.model import Paragraph, Plan, Task

Metadata = dict[str, str | int | bool]
# Chroma metadata values must be scalars, so lists are joined with this separator.
JOIN = "、"


@dataclass(frozen=True)
class IndexDoc:
    """One document of the vector index: id ("task:N" / "para:<key>"), text and scalar metadata."""

    id: str
    text: str
    metadata: Metadata


def task_doc_id(number: int) -> str:
    """Index id of a task's document."""
    return f"task:{number}"


def paragraph_doc_id(key: str) -> str:
    """Index id of a paragraph's document."""
    return f"para:{key}"


def task_text(task: Task) -> str:
    """Title, full text and responsibility lines: what a question about the task may mention."""
    lines = [task.title, task.text]
    for label, names in (("责任领导", task.leaders), ("牵头单位", task.lead_units), ("责任单位", task.units)):
        if names:
            lines.append(msg.DOC_RESPONSIBILITY_LINE.plain(label=label, names=JOIN.join(names)))
    return "\n".join(line for line in lines if line)


def task_doc(plan_key: str, task: Task) -> IndexDoc:
    """The index document of one task."""
    metadata: Metadata = {
        "plan_key": plan_key,
        "kind": "task",
        "task_number": task.number,
        "title": task.title,
        "section": task.section,
        "chapter": task.chapter,
        "leaders": JOIN.join(task.leaders),
        "lead_units": JOIN.join(task.lead_units),
        "units": JOIN.join(task.units),
        "due_dates": JOIN.join(d.isoformat() for d in task.due_dates),
        "inherited": task.inherited,
    }
    return IndexDoc(task_doc_id(task.number), task_text(task), metadata)


def paragraph_doc(plan_key: str, paragraph: Paragraph) -> IndexDoc:
    """The index document of a preamble / general-requirements / safeguards paragraph."""
    metadata: Metadata = {"plan_key": plan_key, "kind": paragraph.kind, "heading": paragraph.heading,
                          "paragraph": paragraph.key}
    text = f"{paragraph.heading}\n{paragraph.text}" if paragraph.heading else paragraph.text
    return IndexDoc(paragraph_doc_id(paragraph.key), text, metadata)


def plan_documents(plan: Plan, plan_key: str) -> list[IndexDoc]:
    """Every document of the plan: one per task, one per paragraph (a repeated id is kept once)."""
    docs = [task_doc(plan_key, t) for t in plan.tasks]
    docs += [paragraph_doc(plan_key, p) for p in plan.paragraphs if p.text.strip()]
    unique: dict[str, IndexDoc] = {}
    for doc in docs:
        unique.setdefault(doc.id, doc)
    return list(unique.values())

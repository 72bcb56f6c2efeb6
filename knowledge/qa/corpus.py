"""The retrievable documents of a plan: one per task, one per general/safeguard paragraph, split into sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.model import Paragraph, Plan, Task
from knowledge.qa import texts as msg

_SENTENCE = re.compile(r"[^。；;！？!?\n]+[。；;！？!?]?")


@dataclass(frozen=True)
class Doc:
    """One retrievable unit of the plan."""

    key: str  # "task:10" or "para:safeguard-4" (the vector index uses the same keys)
    title: str
    text: str
    sentences: tuple[str, ...]
    task: Task | None = None
    paragraph: Paragraph | None = None

    @property
    def label(self) -> str:
        """How an answer cites it: "第10项" or the paragraph's heading."""
        if self.task is not None:
            return msg.QA_TASK_LABEL.plain(number=self.task.number)
        assert self.paragraph is not None
        return self.paragraph.heading or msg.QA_GENERAL_HEADING.plain()

    def fields_text(self) -> str:
        """Ledger fields as text (they may be quoted in answers, so grounding accepts them)."""
        if self.task is None:
            return ""
        t = self.task
        parts = [msg.QA_TASK_LABEL.plain(number=t.number), t.title, t.section, *t.leaders, *t.lead_units, *t.units,
                 *t.notes, t.responsibility_text, *(d.text for d in t.deadlines), *(lim.text for lim in t.limits)]
        return "\n".join(p for p in parts if p)


def split_sentences(text: str) -> tuple[str, ...]:
    """Sentences ending in 。；！？ (a "；"-separated list of measures reads as separate sentences)."""
    return tuple(s.strip() for s in _SENTENCE.findall(text) if s.strip(" 。；;"))


def _strip_heading(text: str, heading: str) -> str:
    """Safeguard paragraphs repeat their heading at the start ("（四）强化工作调度督查。…")."""
    if heading and text.startswith(heading):
        return text[len(heading) :].lstrip("。.：: ")
    return text


def build_docs(plan: Plan) -> list[Doc]:
    """Tasks first (in number order), then the paragraphs outside the tasks."""
    docs: list[Doc] = []
    for task in sorted(plan.tasks, key=lambda t: t.number):
        docs.append(Doc(f"task:{task.number}", task.title, task.text, split_sentences(task.text), task=task))
    for para in plan.paragraphs:
        text = _strip_heading(para.text, para.heading)
        heading_title = re.sub(r"^[（(][一二三四五六七八九十]+[）)]|^[一二三四五六七八九十]+、", "", para.heading)
        docs.append(Doc(f"para:{para.key}", heading_title, text, split_sentences(text), paragraph=para))
    return docs


def sentence_units(docs: list[Doc]) -> list[tuple[str, str]]:
    """What the sentence-level vectors embed, keyed "<doc key>#<n>": each document's title, each sentence, and a
    task's responsibility block ("#resp") — a question matches one of them better than a whole task's text."""
    units: list[tuple[str, str]] = []
    for doc in docs:
        if doc.title:
            units.append((f"{doc.key}#t", doc.title))
        units += [(f"{doc.key}#{i}", s) for i, s in enumerate(doc.sentences) if len(s) >= 4]
        if doc.task is not None:
            t = doc.task
            # The block as written; an inline plan has none, so its leaders and units stand in.
            block = t.responsibility_text or "；".join("、".join(names) for names in (t.leaders, t.lead_units, t.units)
                                                      if names)
            if block:
                units.append((f"{doc.key}#resp", block))
    return units


def unit_doc(key: str) -> str:
    """The document key of a sentence unit's key."""
    return key.rsplit("#", 1)[0]

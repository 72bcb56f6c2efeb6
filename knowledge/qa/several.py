"""Questions that ask several things: two subjects each ("A和B分别…"), several fields of one task ("要降到多少 啥时候
改完 谁管"); each part is answered and the answers are joined."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from knowledge.qa.answer import Answer, source_of
from knowledge.qa.compose import Composer
from knowledge.qa.corpus import Doc
from knowledge.qa.question import Intent, Question, ask_clauses, field_intent

# Two subjects asked the same thing each ("A和B分别…"), each short and without a clause break.
_EACH = re.compile(r"^([^，,。？?\s]{2,10}?)(?:和|跟|与|及|、)([^，,。？?\s]{2,10}?)分别([^，,。？?].*)$")
_MONTH_NAMED = re.compile(r"\d{1,2}月|[一二三四五六七八九十]月")
# A word that asks, not followed by 的 (which makes it part of a description).
_QUESTION_WORD = re.compile(r"(?:谁|哪|多少|几|什么时候|啥时候|何时|多久|多大|多高|多长)(?![^，,。？?\s]{0,3}的)")
_FIGURE = re.compile(r"\d|[A-Da-d]级|[一二三四五六七八九十百千万两]+[家个项类天吨辆次台座人倍成]")


def each_asked(text: str) -> list[str] | None:
    """The questions "A和B分别…" asks, one for each of two subjects ("橡胶和铸造分别要对标什么级别": 橡胶要对标…,
    铸造要对标…), or None; months ("3月底和9月底分别…") are one list's period, not two questions."""
    m = _EACH.match(text.strip())
    if m is None or any(_MONTH_NAMED.search(m.group(i)) for i in (1, 2)):
        return None
    return [m.group(1) + m.group(3), m.group(2) + m.group(3)]


def asked_fields(text: str) -> dict[Intent, str]:
    """The ledger fields a question asks for, clause by clause in the order asked ("要降到多少 啥时候改完 谁管":
    howmuch, when, who), each with its clause; one field at most once, a unit counted as who."""
    found: dict[Intent, str] = {}
    for clause in ask_clauses(text):
        if not _QUESTION_WORD.search(clause):
            continue  # "大气办牵头的燃气锅炉低氮改造": a description, not an ask; "测…多少的那项活" neither
        intent = field_intent(clause)
        intent = "who" if intent == "unit" else intent
        if intent is not None and intent not in found:
            found[intent] = clause
    return found


def joined(answers: list[Answer], docs: Sequence[Doc]) -> Answer:
    """One answer of several, each in its own paragraph; refused only when every part is. A refused part's
    pointer counts among the sources, since its text names that task."""
    tasks = list(dict.fromkeys(t for a in answers for t in a.tasks))
    pointed = {a.pointer for a in answers if a.refused and a.pointer is not None}
    sources = [s for a in answers for s in a.sources]
    sources += [source_of(d) for d in docs if d.task is not None and d.task.number in pointed]
    return replace(answers[0], text="\n\n".join(a.text for a in answers), tasks=tasks,
                   refused=all(a.refused for a in answers), sources=sources,
                   low_confidence=any(a.low_confidence for a in answers))


def each_field(q: Question, doc: Doc, answer: Answer, fields: dict[Intent, str], composer: Composer) -> Answer:
    """An answer to every field a question asks of one task ("要降到多少 啥时候改完 谁管这事"): the headline of
    each field's answer, read from its own clause after the question's first one (which names the subject), in
    the order asked; then the main answer's quote and fields."""
    if q.intent not in fields:
        return answer
    subject = ask_clauses(q.text)[0]

    def head(field: Intent, clause: str) -> str:
        # The task is chosen: a time limit is asked of it as a whole unless the clause itself names a step (the
        # subject's other words would pick an undated sentence); a figure or a role needs the subject's words.
        asked = clause if clause.startswith(subject) or field == "when" else f"{subject} {clause}"
        return composer.answer_doc(replace(q, intent=field, text=asked, rest=asked), doc).split("\n", 1)[0]

    # A figure's head without a figure ("投资多少" of a task that gives none) answers nothing.
    heads = [line for field, clause in fields.items() if (line := head(field, clause))
             and (field != "howmuch" or _FIGURE.search(line.split("（第", 1)[0]))]
    rest = answer.text.partition("\n")[2]
    return replace(answer, text="\n".join([*dict.fromkeys(heads), *([rest] if rest else [])]))

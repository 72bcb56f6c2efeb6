"""The no-invented-facts check: every number and date in an answer must occur in its sources."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence

from knowledge.qa.answer import Answer, cite, quote, source_of
from knowledge.qa.corpus import Doc

log = logging.getLogger(__name__)

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# Dates as the plan writes them: "2023年4月底", "4月15日", "2023年3月", "5—9月".
_DATE = re.compile(r"(?:\d{4}年)?\d{1,2}月(?:\d{1,2}日|底|末|初|上旬|中旬|下旬)?|\d{4}年")
# Chinese numerals that count something ("三十家", "两个月"); bare 一/二 inside words are not facts.
_CN_NUMBER = re.compile(r"[零一二两三四五六七八九十百千万亿]+(?=[个项家天年月日号条类次倍吨%％万千百])")
_DASHES = re.compile(r"[—–－~～-]")


def _normal(text: str) -> str:
    return _DASHES.sub("-", text).replace(" ", "").replace("\u3000", "")


def ungrounded(answer: str, sources: Iterable[str]) -> list[str]:
    """The numbers and dates of `answer` that none of `sources` contains (empty list: grounded)."""
    corpus = _normal("\n".join(sources))
    numbers = set(_NUMBER.findall(corpus))
    text = _normal(answer)
    bad: list[str] = []
    for m in _DATE.finditer(text):
        if m.group() not in corpus:
            bad.append(m.group())
    for n in _NUMBER.findall(text):
        if n not in numbers and n not in bad:
            bad.append(n)
    for m in _CN_NUMBER.finditer(text):
        if m.group() not in corpus:
            bad.append(m.group())
    return list(dict.fromkeys(bad))


def is_grounded(answer: str, sources: Iterable[str]) -> bool:
    """Whether every number and date of the answer occurs in the sources."""
    return not ungrounded(answer, sources)


def grounded(answer: Answer, sources: list[str], docs: Sequence[Doc]) -> Answer | None:
    """The answer if it passes the number/date check, else a plain quote of its task (None: no task to quote)."""
    if answer.refused:
        return answer
    bad = ungrounded(answer.text, sources)
    if not bad:
        return answer
    log.warning("answer failed the grounding check (%s); falling back to a quote", bad)
    doc = next((d for d in docs if d.task and answer.tasks and d.task.number == answer.tasks[0]), None)
    if doc is None or doc.task is None:
        return None
    return Answer(f"{cite(doc.task)}\n{quote([doc.text])}", [doc.task.number], sources=[source_of(doc)],
                  intent=answer.intent)

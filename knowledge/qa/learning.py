"""Learning from use, the pure part: question keys, alias checks, and the week's unanswered questions grouped.

The office teaches the engine with data, never code: an alias (俗称 → 方案用语) joins the lexicon, and a mapping
(a question's key → a task number) answers that question, typed again in any spacing, punctuation or width,
from the task the office chose.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from knowledge.model import Plan
from knowledge.qa.corpus import build_docs

WEEK = timedelta(days=7)
ALIAS_MAX = 20  # an alias or plan term longer than this is a sentence, not a term
SUGGESTIONS = 3
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def question_key(text: str) -> str:
    """The question with width, case, spaces and punctuation normalised away ("扬尘 治理？" == "扬尘治理")."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text or "").casefold())


def plan_corpus(plan: Plan) -> str:
    """Every word an answer can come from (titles, texts, ledger fields), lower-cased, as the engine reads it."""
    return "\n".join(f"{d.title}\n{d.text}\n{d.fields_text()}" for d in build_docs(plan)).lower()


@dataclass(frozen=True)
class AliasProblem:
    """Why an alias cannot be added: `kind` is usage / too_long / same / said_in_plan / meant_missing."""

    kind: str
    suggestions: tuple[str, ...] = ()


def check_alias(said: str, meant: str, corpus: str) -> AliasProblem | None:
    """None when "said → meant" can be added for a plan with this corpus (see plan_corpus)."""
    if not said or not meant or _NOT_WORD.fullmatch(said) or _NOT_WORD.fullmatch(meant):
        return AliasProblem("usage")
    if len(said) > ALIAS_MAX or len(meant) > ALIAS_MAX:
        return AliasProblem("too_long")
    if said == meant:
        return AliasProblem("same")
    if said.lower() in corpus:  # a word the plan itself uses needs no alias (and rewriting it would lose it)
        return AliasProblem("said_in_plan")
    if meant.lower() not in corpus:
        return AliasProblem("meant_missing", suggest_terms(meant, corpus))
    return None


def suggest_terms(term: str, corpus: str, limit: int = SUGGESTIONS) -> tuple[str, ...]:
    """Runs of the plan's text sharing most characters with `term` ("新能源汽车" → "新能源车"), frequent first."""
    wanted = set(term)
    if not wanted:
        return ()
    counts: Counter[str] = Counter()
    for run in _CJK_RUN.findall(corpus):
        for size in range(max(2, len(term) - 1), len(term) + 2):
            for i in range(len(run) - size + 1):
                gram = run[i:i + size]
                if gram[0] in wanted and gram[-1] in wanted and len(wanted & set(gram)) * 2 >= len(wanted):
                    counts[gram] += 1

    def rank(gram: str) -> tuple[int, int, int]:
        return -len(wanted & set(gram)), -counts[gram], abs(len(gram) - len(term))

    out: list[str] = []
    for gram in sorted(counts, key=rank):
        if not any(gram in kept or kept in gram for kept in out):
            out.append(gram)
        if len(out) == limit:
            break
    return tuple(out)


@dataclass(frozen=True)
class Miss:
    """One recorded question the engine refused or answered with low confidence."""

    id: int
    question: str
    key: str
    asked_at: datetime
    decision: str  # "refuse" | "caveat"
    pointer: int | None  # the engine's best task for it, if any


@dataclass(frozen=True)
class MissGroup:
    """The same question (by key) asked `count` times; its latest record (`last_id`) represents it."""

    key: str
    question: str
    count: int
    last_id: int
    decision: str
    pointer: int | None
    last_at: datetime


def week_start(now: datetime) -> datetime:
    """The start of the last seven days before `now` (aware, in the caller's zone)."""
    return now - WEEK


def group_misses(misses: Iterable[Miss], mapped: Iterable[str] = ()) -> list[MissGroup]:
    """Misses grouped by key, most frequent first (then most recent); questions already mapped left out."""
    done = set(mapped)
    by_key: dict[str, list[Miss]] = {}
    for miss in misses:
        if miss.key and miss.key not in done:
            by_key.setdefault(miss.key, []).append(miss)
    groups = []
    for key, items in by_key.items():
        latest = max(items, key=lambda m: (m.asked_at, m.id))
        groups.append(MissGroup(key, latest.question, len(items), latest.id, latest.decision, latest.pointer,
                                latest.asked_at))
    groups.sort(key=lambda g: (-g.count, -g.last_at.timestamp(), g.key))
    return groups

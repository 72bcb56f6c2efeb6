"""The question sets through the engine: regressions below the reached score fail CI."""

from __future__ import annotations

import pytest

from knowledge.qa.engine import QAEngine
from knowledge.qa.grounding import ungrounded
from tests.support_qa import (
    DEFAULT_NOW,
    DEV_QUESTIONS,
    EXTRA_QUESTIONS,
    REDTEAM_PROBES,
    REDTEAM_QUESTIONS,
    STAFF_TRAIN2,
    STAFF_TRAIN3,
    STAFF_TRAIN4,
    STAFF_TRAIN5,
    STAFF_TRAIN6,
    STAFF_TRAIN7,
    STAFF_TRAIN8,
    STAFF_TRAIN9,
    STAFF_TRAIN10,
    STAFF_TRAIN11,
    STAFF_TRAIN12,
    STAFF_TRAIN13,
    STAFF_TRAIN14,
    STAFF_TRAIN15,
    STAFF_TRAIN16,
    STAFF_TRAIN17,
    STAFF_TRAIN18,
    STAFF_TRAIN19,
    STAFF_TRAIN20,
    STAFF_TRAIN21,
    STAFF_TRAIN22,
    STAFF_TRAIN23,
    STAFF_TRAIN24,
    STAFF_TRAIN25,
    STAFF_TRAIN26,
    STAFF_TUNE,
    load_questions,
    run_set,
)

# Reached on this plan: dev 25/25; held-out extra set (written before tuning, in three rounds) 128/128;
# red-team set (written from the plan alone before reading the engine; 65/70 before hardening) 70/70;
# red-team probes (six later rounds, each written before the fixes it prompted) 260/268 — the misses are
# paraphrases without shared words ("电车" for 新能源车, "两法衔接") and refusals whose words all occur in the plan.
# Issue 10 replaced the hand-tuned gate by one fitted decision; minimums now sit a few questions under what it
# reaches (engine without dense: staff tune 88, dev 25, extra 126, red-team 69, probes 257 — after unknown actions
# and time words joined the decision), not at perfection. Lists asked colloquially and by the units a task's text
# names then took the staff tune half to 90 without dense (91 with it).
# Sentence-level dense, yes/no polarity, other years' targets, greetings and two-part asks: without dense the
# engine reaches staff tune 90, dev 25, extra 126, red-team 69, probes 257 (with dense the tune half is 90 too).
# The staff tune half was written by someone who never read the engine; its frozen half is scored outside the repo.
# The gate refit on what it alone must decide (with a second staff-style training set and the everyday lexicon
# knowledge/lexicon/*.txt), refusing below 0.3; then lists by exclusion and by missing time limit, more kinds of fact
# no plan states, places, slips in two-character names, spoken word forms: without dense the engine reaches staff
# tune 94, train2 188, train3 132, dev 25, extra 122, red-team 68, probes 256.
# Three more staff-style sets, heavy on out-of-scope questions in the plan's own words (kinds of fact a plan does not
# write, progress, definitions, siblings of its substances), the lexicon files objects-and-actions.txt and
# forms/spoken-verbs.txt, and list asks: without dense tune 94, train2 200, train3 148, train4 145, train5 131,
# train6 111, dev 25, extra 122, red-team 68, probes 259. Then a seventh set of limits and lists (two units or leaders
# in one list, 捋一下/都算/不含X牵头的, a section by its head word, 全部 as an amount): train2 203, train3 150,
# train4 147, train6 112, train7 92.
# Two more staff-style sets (train8 phone-typed, train9 in several voices), each with 30+ out-of-scope questions, and
# 是/否 first on yes/no questions about a rule or a role: without dense train8 118, train9 114, train7 93. Then more
# yes/no from a user trial, kinds of fact, district figures, a second descriptions lexicon and spread-out entries,
# and train10 (paraphrases with none of the plan's nouns, written to be hard): train8 124, train9 118, train10 81.
# Then yes/no with a stated detail to check ("听说是6月底前投用？"), stops, a ban's exception, spread-out lexicon
# entries read first, and train11 (meeting jargon, half-right details): train8 129, train9 121, train10 87, train11 116.
# Then steps a task never names (谁来验收, 咋验收), groups it never lists, kinds of fact (criteria, one's own firm,
# exceptions, penalties), later years, slips split by the segmenter, a third descriptions lexicon, and four more
# sets (train12–14 by helpers who never read the engine, train15 answerable look-alikes of the new refusals):
# train12 141, train13 136, train14 128, train15 115; then yes/no read against the right clause and train16
# (written to the same brief as a held-out set): train14 131, train15 117, train16 143; then another kind of the
# task's thing, other cities, plans, rubrics and vehicles, and train17: train14 132, train17 138.
# Stop 20: four more sets by helpers who never read the engine (train18–21), and from them yes/no by a rule's scope
# and opposites, others of a kind, sibling subjects of a figure, kinds (process, a firm on a list, who pays), two-
# character slips and a fourth descriptions lexicon: tune 96, train2 206, train10 95, train17 145, train18 139,
# train19 137, train20 138, train21 129 (minimums three under).
# Stop 21: two more sets by helpers who never read the engine (train22 county staff in everyday words, train23 the
# supervision office), and from them another city by China's division table, firms and lines a task does not name,
# months named one by one, a yes/no followed by a when, posts and more kinds of fact: train18 140, train19 138,
# train20 142, train21 135, train22 129, train23 142; then train24 (staff retelling owners' questions) with who
# asked left out and more kinds of fact: train24 129; then train25 (leaders' short questions) and train26 (careful
# checks), with every field of one task answered, leaders by surname and title, bare targets: train25 136,
# train26 142 (minimums three under).
REACHED = {STAFF_TUNE.name: 93, STAFF_TRAIN2.name: 203, STAFF_TRAIN3.name: 154, STAFF_TRAIN4.name: 149,
           STAFF_TRAIN5.name: 133, STAFF_TRAIN6.name: 114, STAFF_TRAIN7.name: 92, STAFF_TRAIN8.name: 129,
           STAFF_TRAIN9.name: 125, STAFF_TRAIN10.name: 92, STAFF_TRAIN11.name: 115, STAFF_TRAIN12.name: 140,
           STAFF_TRAIN13.name: 135, STAFF_TRAIN14.name: 133, STAFF_TRAIN15.name: 114, STAFF_TRAIN16.name: 142,
           STAFF_TRAIN17.name: 142, STAFF_TRAIN18.name: 137, STAFF_TRAIN19.name: 135, STAFF_TRAIN20.name: 139,
           STAFF_TRAIN21.name: 132, STAFF_TRAIN22.name: 126, STAFF_TRAIN23.name: 139, STAFF_TRAIN24.name: 126,
           STAFF_TRAIN25.name: 133, STAFF_TRAIN26.name: 139, DEV_QUESTIONS.name: 24,
           EXTRA_QUESTIONS.name: 123, REDTEAM_QUESTIONS.name: 66, REDTEAM_PROBES.name: 254}
SETS = [STAFF_TUNE, STAFF_TRAIN2, STAFF_TRAIN3, STAFF_TRAIN4, STAFF_TRAIN5, STAFF_TRAIN6, STAFF_TRAIN7,
        STAFF_TRAIN8, STAFF_TRAIN9, STAFF_TRAIN10, STAFF_TRAIN11, STAFF_TRAIN12, STAFF_TRAIN13, STAFF_TRAIN14,
        STAFF_TRAIN15, STAFF_TRAIN16, STAFF_TRAIN17, STAFF_TRAIN18, STAFF_TRAIN19, STAFF_TRAIN20, STAFF_TRAIN21,
        STAFF_TRAIN22, STAFF_TRAIN23, STAFF_TRAIN24, STAFF_TRAIN25, STAFF_TRAIN26, DEV_QUESTIONS, EXTRA_QUESTIONS,
        REDTEAM_QUESTIONS]


@pytest.mark.parametrize("path", [*SETS, REDTEAM_PROBES], ids=lambda p: p.stem)
def test_question_set_score_does_not_regress(qa_engine: QAEngine, path) -> None:
    results = run_set(qa_engine, load_questions(path))
    failed = [(q["id"], q["q"], a.text[:120]) for q, a, ok in results if not ok]
    assert sum(ok for _, _, ok in results) >= REACHED[path.name], failed


# Out-of-scope questions answered anyway (each with a caveat naming the word the plan lacks): none on the staff tune
# half; on the others, questions built from the plan's own words around one it lacks ("臭氧污染预警的发布标准",
# "人口") that the gate now answers as the nearest task rather than refuse paraphrases, and (train6, written to be
# subtle) details one level deeper than a task gives ("D级企业具体咋处理", "接哪个平台").
ANSWERED_WRONGLY_AT_MOST = {STAFF_TUNE.name: 0, STAFF_TRAIN2.name: 0, STAFF_TRAIN3.name: 0, STAFF_TRAIN4.name: 0,
                            STAFF_TRAIN5.name: 0, STAFF_TRAIN6.name: 3, STAFF_TRAIN8.name: 1, STAFF_TRAIN9.name: 0,
                            STAFF_TRAIN10.name: 0, STAFF_TRAIN11.name: 1, STAFF_TRAIN12.name: 2,
                            STAFF_TRAIN13.name: 2, STAFF_TRAIN14.name: 4, STAFF_TRAIN16.name: 0,
                            STAFF_TRAIN17.name: 2, STAFF_TRAIN18.name: 0, STAFF_TRAIN19.name: 0, STAFF_TRAIN20.name: 1,
                            STAFF_TRAIN21.name: 0, STAFF_TRAIN22.name: 1, STAFF_TRAIN23.name: 1,
                            STAFF_TRAIN24.name: 1, STAFF_TRAIN25.name: 1, STAFF_TRAIN26.name: 1,
                            DEV_QUESTIONS.name: 0,
                            EXTRA_QUESTIONS.name: 1, REDTEAM_QUESTIONS.name: 1}


@pytest.mark.parametrize("path", [p for p in SETS if p.name in ANSWERED_WRONGLY_AT_MOST], ids=lambda p: p.stem)
def test_out_of_scope_questions_are_refused(qa_engine: QAEngine, path) -> None:
    results = run_set(qa_engine, load_questions(path))
    answered_wrongly = [q["id"] for q, a, _ in results if q.get("refuse") and not a.refused]
    assert len(answered_wrongly) <= ANSWERED_WRONGLY_AT_MOST[path.name], answered_wrongly
    assert any(q.get("refuse") for q, _, _ in results)  # the set really holds refusals


def test_every_answer_passes_the_grounding_check(qa_engine: QAEngine, bundled_plan) -> None:
    """Numbers and dates in answers come from the cited tasks' text and ledger fields (or the question)."""
    questions = [q for path in SETS for q in load_questions(path)]
    for q, answer, _ in run_set(qa_engine, questions):
        if answer.refused or answer.intent == "list":
            continue
        sources = [q["q"]]
        for src in answer.sources:
            if "task" in src:
                task = bundled_plan.task(src["task"])
                sources += [task.text, task.responsibility_text, *task.leaders, *task.lead_units, *task.units,
                            *task.notes, *(d.text for d in task.deadlines), f"第{task.number}项 {task.title}"]
            else:
                para = next(p for p in bundled_plan.paragraphs if f"para:{p.key}" == src["key"])
                sources += [para.text, para.heading]
        assert ungrounded(answer.text, sources) == [], (q["id"], answer.text)


def test_list_answers_cite_tasks_in_their_shown_order(qa_engine: QAEngine) -> None:
    answer = qa_engine.ask("薛扬负责哪些任务？", DEFAULT_NOW)
    shown = [int(line.split("项")[0].lstrip("第")) for line in answer.text.splitlines() if line.startswith("第")]
    assert shown == answer.tasks == sorted(answer.tasks)

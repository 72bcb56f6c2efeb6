"""List answers from ledger fields: tasks by leader, by unit (lead or responsible), by period, combinable."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date

from knowledge import texts as kn_msg
from knowledge.model import Plan, Task
from knowledge.qa import texts as msg
from knowledge.qa.answer import Answer, group_of, list_line, period_dues, role_of, wants_role
from knowledge.qa.coverage import topic_words
from knowledge.qa.question import Question, is_frame_word, without_list_ask
from knowledge.qa.retrieval import Retriever
from knowledge.qa.tokenize import Tokenizer
from planbot.render import LIST_SEPARATOR

# Only the tasks naming the unit itself ("单独点名的", "各分局那种不算").
_NAMED_ONLY = re.compile(r"点名|单列|(?:各|有关|相关)[^，,。？?]{0,4}(?:不算|除外|不要|不含)|"
                         r"不(?:算|含|包括)(?:各|有关|相关)")
_GROUP = re.compile(r"^(各|局直属|有关)")
_EITHER = re.compile(r"或者|或是|或|还是")
_JOINED = re.compile(r"[和与跟及、]|以及")  # two areas asked together ("臭氧和挥发性有机物那一块")


def _due_summary(task: Task) -> str:
    """The task's due dates as the plan writes them, or its other time words."""
    dues = [d.text for d in task.deadlines if d.kind == "due"]
    if dues:
        return "、".join(dues)
    others = [d.text for d in task.deadlines]
    return "、".join(others) if others else msg.QA_WHEN_NONE


def _sources(tasks: list[Task]) -> list[dict[str, object]]:
    return [{"key": f"task:{t.number}", "label": msg.QA_TASK_LABEL.plain(number=t.number), "title": t.title,
             "task": t.number} for t in tasks]


def _filters(q: Question) -> str:
    """The header's description of what the list selects, e.g. "刘鲲 作为责任领导、下个月（2023年10月）到期"."""
    person_text = msg.QA_FILTER_PERSON_NOT if q.excluded else msg.QA_FILTER_PERSON
    parts = [person_text.plain(name="、".join(q.persons))] if q.persons else []
    lead = msg.QA_FILTER_UNIT_SOLE if q.sole else msg.QA_FILTER_UNIT_LEAD
    unit_text = {"lead": lead, "responsible": msg.QA_FILTER_UNIT_RESPONSIBLE, "not_lead": msg.QA_FILTER_UNIT_NOT_LEAD,
                 "none": msg.QA_FILTER_UNIT_NONE}.get(q.role, msg.QA_FILTER_UNIT_ANY)
    named = q.units if q.together or (len(q.units) > 1 and q.role in ("any", "lead", "responsible")) else q.units[:1]
    parts += [unit_text.plain(name="、".join(named))] if named else []
    parts += [msg.QA_FILTER_UNIT_SHARED_NOT.plain(name=u) for u in q.other_units]
    parts += [msg.QA_FILTER_SECTION.plain(name=name) for name in q.sections[:1]]
    if q.period is not None:
        parts.append(q.period.label if q.period.overdue else msg.QA_FILTER_PERIOD.plain(label=q.period.label))
    if q.undated:
        parts.append(msg.QA_FILTER_UNDATED.plain())
    return LIST_SEPARATOR.join(parts)


def _takes_part(t: Task, unit: str, q: Question) -> str | None:
    """The unit's role in the task when it takes part in the role the question asks, else None."""
    role = role_of(t, unit)
    return role if role and wants_role(q.role, role) else None


def _units_role(t: Task, q: Question) -> str | None:
    """Which of the question's units take part as asked, each group named with its role ("大气办、执法支队牵头"):
    a task two of them lead together is theirs jointly, not the first one's."""
    by_role: dict[str, list[str]] = {}
    for unit in q.units:
        if role := _takes_part(t, unit, q):
            by_role.setdefault(role, []).append(unit)
    return LIST_SEPARATOR.join(msg.QA_UNIT_ROLE.plain(unit="、".join(units), role=role)
                               for role, units in by_role.items()) or None


def list_answer(plan: Plan, q: Question, aliases: Mapping[str, str] | None = None) -> Answer:
    """Tasks matching every entity the question names (leader, unit and role, period), with the relevant detail;
    for a unit asked about in any role, also the tasks whose text names it ("对接市住建局", "乾县…项目")."""
    unit = q.units[0] if q.units else None
    period = q.period
    # Two leaders named: the tasks of either ("刘鲲和薛扬负责的"), or of both ("…一起负责的"); two units alike.
    led_by = all if q.together else any
    either_unit = len(q.units) > 1 and not q.together and q.role in ("any", "lead", "responsible")
    folds = not _NAMED_ONLY.search(q.text)  # a branch's list takes in its group's tasks ("各分局")
    rows: list[tuple[tuple[date, int], Task, str]] = []
    for t in plan.tasks:
        if q.persons and led_by(p in t.leaders for p in q.persons) == q.excluded:
            continue
        if q.sections and t.section != q.sections[0]:
            continue
        if q.undated and any(d.kind == "due" for d in t.deadlines):
            continue
        role = role_of(t, unit) if unit else None
        if (unit and role is None and folds and not either_unit and not q.together
                and (covering := group_of(t, unit))):
            # "武功分局的任务": also those of "各分局", which take it in (unless asked for the named ones only).
            role = msg.QA_ROLE_VIA_GROUP.plain(role=covering[1], group=covering[0])
            if not wants_role(q.role, covering[1]):
                continue
        elif either_unit or (q.together and len(q.units) > 1):
            if not (role := _units_role(t, q)):  # which of the units named take part, and how
                continue
        elif unit and not wants_role(q.role, role):
            continue
        if any(_takes_part(t, other, q) for other in q.other_units) or (q.sole and len(t.lead_units) > 1):
            continue  # shared with a unit the question leaves out, or with any other when it leads alone
        if q.together and not all(_takes_part(t, named, q) for named in q.units):
            continue  # not shared by every unit named
        dues = period_dues(t, period) if period else []
        if period and not dues:
            continue
        details: list[str] = []
        if role:
            details.append(role)
        if len(q.persons) > 1:  # "赵永刚和王文东各负责啥": whose task each is
            details.append(msg.QA_FIELD_LINE.plain(field=kn_msg.PARSE_FIELD_LEADERS,
                                                   value=LIST_SEPARATOR.join(p for p in q.persons if p in t.leaders)))
        details.append("、".join(dues) if dues else _due_summary(t))
        if not role and t.lead_units:
            details.append(msg.QA_FIELD_LINE.plain(field=kn_msg.PARSE_FIELD_LEAD_UNITS,
                                                   value=LIST_SEPARATOR.join(t.lead_units)))
        first_due = min((d.date for d in t.deadlines if d.kind == "due" and d.date and d.text in dues),
                        default=date.max)
        rows.append(((first_due, t.number) if period else (date.min, t.number), t, "；".join(details)))
    rows.sort(key=lambda r: r[0])
    filters = _filters(q)
    notes = []
    if unit and q.role != "lead" and not _GROUP.match(unit) and not folds:
        # Only groups of the unit's own kind: "各分局" may take in 兴平分局, not 环评科.
        groups = sorted({u for t in plan.tasks for u in (*t.lead_units, *t.units)
                         if _GROUP.match(u) and unit.endswith(_GROUP.sub("", u)[-2:])})
        if groups:
            notes.append(msg.QA_LIST_GROUP_NOTE.plain(groups="”“".join(groups), name=unit, example=groups[0]))
    if not rows:
        text = [msg.QA_LIST_EMPTY.plain(filters=filters), *notes]
        plan_dues = sorted((d for t in plan.tasks for d in t.deadlines if d.kind == "due" and d.date),
                      key=lambda d: d.date or date.min)
        if period is not None and plan_dues and not period.overdue and (
                period.end < (plan_dues[0].date or date.min) or period.start > (plan_dues[-1].date or date.max)):
            # Asked about a time the plan does not reach (e.g. next month, a year after the plan): say its span.
            text.append(msg.QA_LIST_PLAN_SPAN.plain(first=plan_dues[0].text, last=plan_dues[-1].text))
        text.append(msg.QA_LIST_EMPTY_HINT.plain(example=_example_month(plan)))
        return Answer("\n".join(text), intent="list")
    order = msg.QA_LIST_ORDER_DATE if period else msg.QA_LIST_ORDER_NUMBER
    lines = [msg.QA_LIST_HEADER.plain(filters=filters, order=order, count=len(rows))]
    lines += [list_line(t, detail) for _, t, detail in rows]
    if period is not None and period.overdue:
        notes.insert(0, msg.QA_LIST_OVERDUE_NOTE)
    lines += notes
    tasks = [t for _, t, _ in rows]
    mentioned = _mentioning(plan, q, aliases or {}, tasks)
    if mentioned:
        lines.append(msg.QA_LIST_MENTIONED.plain(name=unit))
        lines += [list_line(t, _due_summary(t)) for t in mentioned]
        tasks += mentioned
    return Answer("\n".join(lines), [t.number for t in tasks], sources=_sources(tasks), intent="list")


def _mentioning(plan: Plan, q: Question, aliases: Mapping[str, str], listed: list[Task]) -> list[Task]:
    """Tasks not yet listed whose title or text names the asked unit by any of its names (only when the question
    asks about the unit alone, in any role: a lead or person filter is about the fields, not the text)."""
    unit = q.units[0] if q.units else None
    if unit is None or _GROUP.match(unit) or q.role != "any" or q.persons or q.period or q.sections:
        return []
    names = sorted({a for a, named in aliases.items() if named == unit and len(a) >= 2} | {unit}, key=len)
    return [t for t in plan.tasks if t not in listed
            and any(n in f"{t.title}\n{t.text}" for n in names)]


def _example_month(plan: Plan) -> str:
    """A month of the plan that has due dates, to suggest in an empty answer."""
    months = sorted({(d.date.year, d.date.month)
                     for t in plan.tasks for d in t.deadlines if d.kind == "due" and d.date})
    if not months:
        return msg.QA_DUE_MONTH_END.plain(year=plan.year, month=12)
    year, month = months[0]
    return msg.QA_DUE_MONTH_END.plain(year=year, month=month)


def topic_list(plan: Plan, q: Question, tokenizer: Tokenizer, retriever: Retriever) -> Answer | None:
    """Tasks about the question's topic words: a section whose title holds them all, else every task that
    does (a word counts as found when it or one of its search sub-words is in the task)."""
    known = [w for w in topic_words(without_list_ask(q.rest or q.text), tokenizer, retriever)
             if w.lower() in retriever.corpus and not is_frame_word(w)]  # "一共几项任务": 任务 names no topic
    if not known:
        return None
    # The things asked about select the tasks; an action beside them ("对接", "推进") only frames the ask,
    # unless it qualifies the thing written right after it ("铸造行业").
    asked = q.rest or q.text
    known = [w for w in known if not _is_action(tokenizer.tag(w))
             or any(f"{w}{t}" in asked for t in known if not _is_action(tokenizer.tag(t)))] or known
    # "VOCs或者挥发性有机物": either word selects a task; otherwise every word must, unless the words are joined
    # as two areas ("臭氧和挥发性有机物那一块"): then each area's tasks.
    tasks = _tasks_about(plan, tokenizer, known, any if _EITHER.search(q.text) else all)
    areas = [[w for w in known if w.lower() in part.lower()] for part in _JOINED.split(asked)]
    if sum(1 for words in areas if words) >= 2:
        chosen = {t.number for words in areas if words for t in _tasks_about(plan, tokenizer, words, all)}
        tasks = [t for t in plan.tasks if t.number in chosen]
    if len(tasks) < 2:
        return None
    tasks.sort(key=lambda t: t.number)
    lines = [msg.QA_TOPIC_LIST.plain(topic="、".join(known[:3]), count=len(tasks))]
    lines += [list_line(t, "、".join(d.text for d in t.deadlines if d.kind == "due") or msg.QA_WHEN_NONE)
              for t in tasks]
    return Answer("\n".join(lines), [t.number for t in tasks], sources=_sources(tasks), intent="list")


def _tasks_about(plan: Plan, tokenizer: Tokenizer, known: list[str],
                 match: Callable[[Iterable[bool]], bool]) -> list[Task]:
    """The tasks of a section whose title holds the words, else the tasks whose title or text holds them (a word
    counts as found when it or one of its search sub-words is there)."""
    tasks = [t for t in plan.tasks if t.section and match(w.lower() in t.section.lower() for w in known)]
    if tasks:
        return tasks

    def found(word: str, text: str) -> bool:
        parts = [p for p in tokenizer.tokens(word) if len(p) >= 2] or [word.lower()]
        if word.endswith("局") and len(word) >= 3:  # a department is also written without "局" ("住建、城管")
            parts.append(word[:-1].lower())
        return word.lower() in text or any(p in text for p in parts if p != word.lower())

    return [t for t in plan.tasks if match(found(w, f"{t.title}\n{t.text}".lower()) for w in known)]


def _is_action(tag: str) -> bool:
    """A verb (not a verbal noun such as "监测"): it frames a list question rather than naming its topic."""
    return tag.startswith("v") and tag != "vn"

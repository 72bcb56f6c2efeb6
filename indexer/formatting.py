"""Readable Chinese text for tasks and index reports (pure; every phrase comes from planbot.messages)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from indexer import texts as msg
from knowledge import texts as kn_msg
from knowledge.model import Limit, Plan, Task, TimeExpr
from planbot.render import LIST_SEPARATOR

if TYPE_CHECKING:
    from indexer.pipeline import IndexReport


def format_date(day: date) -> str:
    """2023-10-31 → 2023年10月31日."""
    return msg.DATE_TEXT.plain(year=day.year, month=day.month, day=day.day)


def format_deadline(expr: TimeExpr) -> str:
    """One time expression, with its resolved date(s) and its source text."""
    if expr.kind == "period" and expr.date:
        end = format_date(expr.end) if expr.end else "?"
        return msg.DEADLINE_PERIOD.plain(date=format_date(expr.date), end=end, text=expr.text)
    if expr.kind == "due" and expr.date:
        return msg.DEADLINE_DUE.plain(date=format_date(expr.date), text=expr.text)
    if expr.kind == "start" and expr.date:
        return msg.DEADLINE_START.plain(date=format_date(expr.date), text=expr.text)
    return msg.DEADLINE_RECURRING.plain(text=expr.text)


def format_limit(limit: Limit) -> str:
    """One quantitative limit, e.g. 氮氧化物≤30毫克/立方米."""
    value = (f"{limit.value:g}" if limit.upper is None
             else msg.LIMIT_RANGE.plain(low=limit.value, high=limit.upper))
    comparator = msg.COMPARATORS.get(limit.comparator or "", "")
    return msg.LIMIT_ITEM.plain(subject=limit.subject, comparator=comparator, value=value, unit=limit.unit)


def _names(names: tuple[str, ...] | list[str]) -> str:
    return LIST_SEPARATOR.join(names) if names else msg.NONE_TEXT


def format_task(task: Task) -> str:
    """The readable card of one task: 标题, 原文, 时限, 责任领导, 牵头单位, 责任单位, 指标 (and 适用范围)."""
    field = msg.TASK_FIELD.format
    deadlines = "；".join(format_deadline(d) for d in task.deadlines) or msg.NONE_TEXT
    limits = "；".join(format_limit(x) for x in task.limits if not x.is_scope) or msg.NONE_TEXT
    scopes = "；".join(format_limit(x) for x in task.limits if x.is_scope)
    lines = [msg.TASK_HEADING.plain(number=task.number), field(label=msg.TASK_LABEL_TITLE, value=task.title)]
    if task.section:
        lines.append(field(label=msg.TASK_LABEL_SECTION, value=task.section))
    lines += [
        field(label=msg.TASK_LABEL_TEXT, value=task.text),
        field(label=msg.TASK_LABEL_DEADLINES, value=deadlines),
        field(label=kn_msg.PARSE_FIELD_LEADERS, value=_names(task.leaders)),
        field(label=kn_msg.PARSE_FIELD_LEAD_UNITS, value=_names(task.lead_units)),
        field(label=kn_msg.PARSE_FIELD_UNITS, value=_names(task.units)),
        field(label=msg.TASK_LABEL_LIMITS, value=limits),
        *([field(label=msg.TASK_LABEL_SCOPES, value=scopes)] if scopes else []),
    ]
    if task.notes:
        lines.append(field(label=msg.TASK_LABEL_NOTES, value="；".join(task.notes)))
    if task.inherited:
        lines.append(msg.TASK_INHERITED_NOTE)
    return "\n".join(lines)


def format_task_list(plan: Plan) -> str:
    """One line per task: number, title, due dates, lead units."""
    lines = [msg.TASKS_HEADER.plain(title=plan.title, year=plan.year, count=len(plan.tasks))]
    for task in plan.tasks:
        due = LIST_SEPARATOR.join(format_date(d) for d in task.due_dates) or msg.NONE_TEXT
        lines.append(msg.TASKS_LINE.plain(number=task.number, title=task.title, due=due,
                                                lead_units=_names(task.lead_units)))
    return "\n".join(lines)


def format_report(report: IndexReport) -> str:
    """The short report `planbot index` prints."""
    if report.unchanged:
        lines = [msg.INDEX_UNCHANGED.plain(title=report.title, year=report.year, version=report.version,
                                                 tasks=report.tasks)]
    else:
        lines = [msg.INDEX_DONE.plain(title=report.title, year=report.year, version=report.version,
                                            tasks=report.tasks, inherited=report.inherited_blocks,
                                            documents=report.documents)]
        if report.replaced and report.previous_version is not None:
            lines.append(msg.INDEX_REPLACED.plain(previous=report.previous_version))
        if report.rebuilt:
            lines.append(msg.INDEX_REBUILT)
    if report.shape in msg.PLAN_SHAPES:
        lines.append(msg.INDEX_SHAPE.plain(shape=msg.PLAN_SHAPES[report.shape]))
    if report.warnings:
        lines.append(msg.INDEX_WARNINGS.plain(count=len(report.warnings)))
        lines += [msg.INDEX_WARNING_LINE.plain(warning=w) for w in report.warnings]
    return "\n".join(lines)

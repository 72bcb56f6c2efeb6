"""Chat text (HTML) for reports and round messages; every dynamic value escaped."""

from __future__ import annotations

from datetime import date

from knowledge.deadlines import deadlines
from knowledge.model import Task
from planbot.render import Html, join, join_lines
from supervision import texts as msg
from supervision.reports import Report, Row
from supervision.rounds import DONE, LAGGING, NEEDS_HELP, NO_REPLY, ON_TRACK, STATUS_ORDER, RoundPeriod, round_label

NOTE_CHARS = 60  # keep chat lines short; the workbook holds the full note


def _counts(counts: dict[str, int]) -> dict[str, int]:
    return {"done": counts.get(DONE, 0), "ok": counts.get(ON_TRACK, 0), "late": counts.get(LAGGING, 0),
            "help": counts.get(NEEDS_HELP, 0), "none": counts.get(NO_REPLY, 0)}


def _note(row: Row) -> Html | str:
    text = "；".join(x for x in (row.note, row.reason) if x)
    if not text:
        return ""
    short = text if len(text) <= NOTE_CHARS else text[:NOTE_CHARS] + "…"
    return msg.SV_NOTE_SUFFIX.render(note=short)


def report_text(report: Report) -> Html:
    """The report for the chat: totals, lagging tasks first, then every unit with its tasks."""
    lines: list[str] = [msg.SV_REPORT_HEADER.render(title=report.plan_title, label=report.period.label),
             msg.SV_REPORT_TOTALS.render(**_counts(report.totals))]
    lagging = [r for r in report.rows if STATUS_ORDER.get(r.status, 9) < STATUS_ORDER[NO_REPLY]]
    if lagging:
        lines += ["", msg.SV_REPORT_LAGGING]
        lines += [msg.SV_REPORT_LAGGING_LINE.render(number=r.task, title=r.title, unit=r.unit,
                                                    status=r.status, note=_note(r)) for r in lagging]
    if report.overdue:
        lines += ["", msg.SV_REPORT_OVERDUE.render(tasks=report.overdue)]
    if report.unanswered:
        items = join((msg.SV_REPORT_UNANSWERED_ITEM.render(unit=u.unit, round=round_label(u.round_key))
                      for u in report.unanswered), "；")
        lines.append(msg.SV_REPORT_UNANSWERED.render(items=items))
    changed = [r for r in report.rows if len(r.changes) > 1]
    if changed:
        items = join((msg.SV_REPORT_CHANGE_ITEM.render(task=r.task, unit=r.unit, changes="→".join(r.changes))
                      for r in changed), "；")
        lines.append(msg.SV_REPORT_CHANGES.render(items=items))
    comments = {r.task: (r.title, r.leader_comment) for r in report.rows if r.leader_comment}
    if comments:
        lines += ["", msg.SV_REPORT_LEADERS]
        lines += [msg.SV_REPORT_LEADER_LINE.render(number=n, title=title, comment=comment)
                  for n, (title, comment) in sorted(comments.items())]
    lines += ["", msg.SV_REPORT_BY_UNIT]
    by_unit: dict[str, list[Row]] = {}
    for row in report.rows:
        by_unit.setdefault(row.unit, []).append(row)
    for summary in report.units:
        lines.append(msg.SV_REPORT_UNIT_LINE.render(unit=summary.unit, **_counts(summary.counts)))
        rows = by_unit.get(summary.unit, [])
        for row in rows:
            if row.status != NO_REPLY:
                lines.append(msg.SV_REPORT_ROW.render(number=row.task, title=row.title, status=row.status,
                                                      note=_note(row)))
        silent = [str(r.task) for r in rows if r.status == NO_REPLY]
        if silent:  # one line, not one per task: the chat stays readable; the workbook has every row
            lines.append(msg.SV_REPORT_SILENT.render(tasks=silent))
    return join_lines(lines)


def number_ranges(numbers: list[int] | tuple[int, ...]) -> str:
    """Task numbers compactly: 1—3、7、9—10."""
    out: list[str] = []
    ordered = sorted(set(numbers))
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        out.append(str(ordered[i]) if j == i else f"{ordered[i]}—{ordered[j]}")
        i = j + 1
    return "、".join(out)


def chase_summary(round_label: str, sent: int, units: tuple[tuple[str, tuple[int, ...]], ...],
                  unreachable: tuple[str, ...], unbound: tuple[tuple[str, tuple[int, ...]], ...] = ()) -> Html:
    """The admin's /chase answer (HTML): how many sent, each unit still owing a reply, and the unbound ones."""
    lines = [msg.SV_CHASE_SENT.render(round_label=round_label, sent=sent, units=len(units))]
    for unit, numbers in units:
        line = msg.SV_CHASE_UNIT.render(unit=unit, tasks=number_ranges(numbers))
        lines.append(line + (msg.SV_CHASE_UNREACHABLE.render() if unit in unreachable else ""))
    if unbound:  # they owe replies too, but no one can be reminded: the office must bind them
        items = join((msg.SV_CHASE_UNBOUND_ITEM.render(unit=unit, tasks=number_ranges(numbers))
                      for unit, numbers in unbound), "、")
        lines.append(msg.SV_CHASE_UNBOUND.render(count=len(unbound), items=items))
    return join_lines(lines)


def due_text(task: Task, today: date) -> Html | str:
    """A task's deadline as shown in a round message (the one deadline model: knowledge.deadlines)."""
    dl = deadlines(task, today)
    parts: list[Html] = []
    if dl.shown is not None:
        more = msg.SV_DUE_MORE.render(count=dl.more) if dl.more else ""
        parts.append(msg.SV_DUE_SHOWN.render(date=dl.shown.isoformat(), more=more))
    parts += [msg.SV_DUE_PERIOD.render(text=p.text) for p in dl.periods]
    return join(parts, "；") if parts else msg.SV_NO_DUE


def round_text(rnd: RoundPeriod, unit: str, tasks: list[Task], last: dict[int, str], today: date,
               part: int = 1, parts: int = 1, answered: dict[int, str] | None = None) -> Html:
    """The round message to one unit: its tasks with deadline and last status; this round's answers marked."""
    answered = answered or {}
    lines: list[str] = [msg.SV_ROUND_HEADER.render(round_label=rnd.label, unit=unit)]
    if parts > 1:
        lines[0] += msg.SV_ROUND_PART.render(part=part, parts=parts)
    for task in tasks:
        if task.number in answered:
            lines.append(msg.SV_ROUND_TASK_DONE.render(number=task.number, title=task.title,
                                                       status=answered[task.number]))
            continue
        lines.append(msg.SV_ROUND_TASK.render(number=task.number, title=task.title,
                                              due=due_text(task, today),
                                              last=last.get(task.number, msg.SV_NO_STATUS)))
    if any(t.number not in answered for t in tasks):
        lines.append(msg.SV_ROUND_HINT.render(example=next(t.number for t in tasks if t.number not in answered)))
    else:
        lines.append(msg.SV_ROUND_ALL_ANSWERED)
    return join_lines(lines)

"""Pure views of the plan for chat: task cards, pages, deadline lists (HTML, every plan value escaped)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from bot import texts as msg
from indexer import texts as idx_msg
from indexer.formatting import format_date, format_deadline, format_limit
from knowledge import texts as kn_msg
from knowledge.deadlines import deadlines, is_overdue, milestones_within
from knowledge.model import Plan, Task
from planbot.render import Html, join, join_lines
from reminders import texts as rem_msg
from supervision import texts as sv_msg

PAGE_SIZE = 10
TASK_VIEWS = ("card", "text", "time", "resp")


def _names(names: Iterable[str]) -> Html:
    return join(names) or idx_msg.NONE_TEXT.render()


def _field(label: str, value: object) -> Html:
    """One 'label：value' line, the label in bold (a value already Html stays as it is)."""
    return idx_msg.TASK_FIELD.render(label=msg.BOT_FIELD_LABEL.render(label=label), value=value)


def deadline_line(task: Task, today: date) -> Html:
    """The task's deadlines in one line (HTML): next milestone and count of the rest, periods as periods."""
    dl = deadlines(task, today)
    parts: list[Html] = []
    if dl.next is not None:
        more = sv_msg.SV_DUE_MORE.render(count=dl.more) if dl.more else ""
        parts.append(msg.BOT_DEADLINE_NEXT.render(date=format_date(dl.next), more=more))
    elif dl.last_passed is not None:
        parts.append(msg.BOT_DEADLINE_PASSED.render(date=format_date(dl.last_passed)))
    for p in dl.periods:
        assert p.date is not None
        parts.append(msg.BOT_DEADLINE_PERIOD.render(text=p.text, start=format_date(p.date),
                                                    end=format_date(p.end) if p.end else "?"))
    return join(parts, "；")


def _heading(task: Task) -> list[Html]:
    lines = [msg.BOT_TASK_TITLE.render(number=task.number, title=task.title)]
    if task.section:
        lines.append(msg.BOT_TASK_SECTION.render(section=task.section))
    return lines


def task_view(task: Task, view: str = "card", today: date | None = None) -> Html:
    """One task as HTML: the card (summary), or its 原文 / 时限 / 责任 view (deadlines as of `today`)."""
    lines = _heading(task)
    if view == "text":
        lines.append(_field(idx_msg.TASK_LABEL_TEXT, task.text))
        targets = [format_limit(x) for x in task.limits if not x.is_scope]
        scopes = [format_limit(x) for x in task.limits if x.is_scope]
        if targets:
            lines.append(_field(idx_msg.TASK_LABEL_LIMITS, "；".join(targets)))
        if scopes:
            lines.append(_field(idx_msg.TASK_LABEL_SCOPES, "；".join(scopes)))
    elif view == "time":
        if task.deadlines:
            lines += [msg.BOT_BULLET.render(text=format_deadline(d)) for d in task.deadlines]
        else:
            lines.append(msg.BOT_TASK_NO_DEADLINE.render())
    elif view == "resp":
        lines += [_field(kn_msg.PARSE_FIELD_LEADERS, _names(task.leaders)),
                  _field(kn_msg.PARSE_FIELD_LEAD_UNITS, _names(task.lead_units)),
                  _field(kn_msg.PARSE_FIELD_UNITS, _names(task.units))]
        if task.notes:
            lines.append(_field(idx_msg.TASK_LABEL_NOTES, "；".join(task.notes)))
        if task.inherited:
            lines.append(idx_msg.TASK_INHERITED_NOTE.render())
    else:
        summary = task.text if len(task.text) <= 160 else task.text[:160] + "……"
        lines.append(msg.BOT_TASK_SUMMARY.render(summary=summary))
        line = deadline_line(task, today or date.today())
        if line:
            lines.append(msg.BOT_TASK_DUE_LINE.render(deadlines=line))
        lines += [_field(kn_msg.PARSE_FIELD_LEADERS, _names(task.leaders)),
                  _field(kn_msg.PARSE_FIELD_LEAD_UNITS, _names(task.lead_units)),
                  _field(kn_msg.PARSE_FIELD_UNITS, _names(task.units))]
    return join_lines(lines)


def page_count(plan: Plan, size: int = PAGE_SIZE) -> int:
    """How many pages /tasks has."""
    return max(1, -(-len(plan.tasks) // size))


def tasks_page(plan: Plan, page: int, size: int = PAGE_SIZE, today: date | None = None) -> tuple[Html, int, int]:
    """Page `page` (1-based, clamped) of the task list: (HTML, page, pages); dates as of `today`."""
    pages = page_count(plan, size)
    page = min(max(page, 1), pages)
    lines = [msg.BOT_TASKS_HEADER.render(title=plan.title, count=len(plan.tasks), page=page, pages=pages)]
    for task in plan.tasks[(page - 1) * size: page * size]:
        line = deadline_line(task, today or date.today())
        due = msg.BOT_TASKS_LINE_DUE.render(date=line) if line else ""
        lines.append(msg.BOT_TASKS_LINE.render(number=task.number, title=task.title, due=due))
    return join_lines(lines), page, pages


@dataclass(frozen=True)
class Deadline:
    """One deadline of one task, relative to today."""

    task: Task
    day: date
    days: int  # days from today (negative: passed)


def due_within(plan: Plan, today: date, days: int) -> list[Deadline]:
    """Milestones from today to today+days inclusive (a task once: its first), by date then task number."""
    end = today + timedelta(days=days)
    out = []
    for t in plan.tasks:
        within = milestones_within(t, today, end)
        if within:
            out.append(Deadline(t, within[0], (within[0] - today).days))
    return sorted(out, key=lambda x: (x.day, x.task.number))


def overdue(plan: Plan, today: date, done: Collection[int] = ()) -> list[Deadline]:
    """Tasks not complete with a passed milestone (the latest passed one), most overdue first; periods never."""
    out: list[Deadline] = []
    for task in plan.tasks:
        if not is_overdue(task, today, task.number in done):
            continue
        passed = deadlines(task, today).last_passed
        if passed is not None:
            out.append(Deadline(task, passed, (passed - today).days))
    return sorted(out, key=lambda x: (x.day, x.task.number))


def due_list(plan: Plan, today: date, days: int) -> Html:
    """The /due answer."""
    items = due_within(plan, today, days)
    start, end = format_date(today), format_date(today + timedelta(days=days))
    if not items:
        return msg.BOT_DUE_NONE.render(days=days, start=start, end=end)
    lines = [msg.BOT_DUE_HEADER.render(days=days, start=start, end=end, count=len({i.task.number for i in items}))]
    for i in items:
        left = rem_msg.REMINDER_WHEN_DUE if i.days == 0 else rem_msg.REMINDER_WHEN_BEFORE.render(days=i.days)
        lines.append(msg.BOT_DUE_LINE.render(date=format_date(i.day), number=i.task.number,
                                             title=i.task.title, days_left=left))
    return join_lines(lines)


def overdue_list(plan: Plan, today: date, done: Collection[int] = ()) -> Html:
    """The /overdue answer."""
    items = overdue(plan, today, done)
    if not items:
        return msg.BOT_OVERDUE_NONE.render(today=format_date(today))
    lines = [msg.BOT_OVERDUE_HEADER.render(today=format_date(today), count=len(items))]
    for i in items:
        lead = _names(i.task.lead_units or i.task.leaders)
        lines.append(msg.BOT_OVERDUE_LINE.render(number=i.task.number, title=i.task.title,
                                                 date=format_date(i.day), days=-i.days, lead=lead))
    return join_lines(lines)


def expand_names(names: Iterable[str], aliases: Mapping[str, tuple[str, ...]]) -> set[str]:
    """A user's names plus every group name (e.g. 各分局) whose members include one of them."""
    mine = set(names)
    return mine | {group for group, members in aliases.items() if mine & set(members)}


def tasks_of(plan: Plan, names: Iterable[str], aliases: Mapping[str, tuple[str, ...]]) -> list[tuple[Task, str]]:
    """Tasks naming any of `names` (or a group containing them), with the user's highest role in each."""
    mine = expand_names(names, aliases)
    out: list[tuple[Task, str]] = []
    for task in plan.tasks:
        if mine & set(task.leaders):
            out.append((task, "leader"))
        elif mine & set(task.lead_units):
            out.append((task, "lead"))
        elif mine & set(task.units):
            out.append((task, "unit"))
    return out


def mine_list(plan: Plan, names: list[str], aliases: Mapping[str, tuple[str, ...]], today: date) -> Html:
    """The /mine answer for a bound user."""
    shown = join(names)
    items = tasks_of(plan, names, aliases)
    if not items:
        return msg.BOT_MINE_NONE.render(names=shown)
    lines = [msg.BOT_MINE_HEADER.render(names=shown, count=len(items))]
    for task, role in items:
        line = deadline_line(task, today)
        due = msg.BOT_TASKS_LINE_DUE.render(date=line) if line else ""
        lines.append(msg.BOT_MINE_LINE.render(number=task.number, title=task.title,
                                              role=msg.BOT_MINE_ROLES[role], due=due))
    return join_lines(lines)


def ledger_names(plan: Plan, aliases: Mapping[str, tuple[str, ...]] | None = None) -> list[str]:
    """Every name a user may be bound to: the plan's leaders and units (and configured group members)."""
    names = dict.fromkeys([*plan.leaders, *plan.unit_names])
    for members in (aliases or {}).values():
        names.update(dict.fromkeys(members))
    return list(names)

"""Pure views of the plan for chat: task cards, pages, deadline lists (HTML, every plan value escaped)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from indexer.formatting import format_date, format_deadline, format_limit
from knowledge.deadlines import deadlines, is_overdue, milestones_within
from knowledge.model import Plan, Task
from planbot import messages
from planbot.render import esc

PAGE_SIZE = 10
TASK_VIEWS = ("card", "text", "time", "resp")


def _names(names: Iterable[str]) -> str:
    return esc(messages.LIST_SEPARATOR.join(names) or messages.NONE_TEXT)


def _field(label: str, value: str) -> str:
    """One 'label：value' line; `value` is already HTML."""
    return messages.TASK_FIELD.format(label=f"<b>{esc(label)}</b>", value=value)


def deadline_line(task: Task, today: date) -> str:
    """The task's deadlines in one line (HTML): next milestone and count of the rest, periods as periods."""
    dl = deadlines(task, today)
    parts: list[str] = []
    if dl.next is not None:
        more = messages.BOT_DEADLINE_MORE.format(count=dl.more) if dl.more else ""
        parts.append(messages.BOT_DEADLINE_NEXT.format(date=format_date(dl.next), more=more))
    elif dl.last_passed is not None:
        parts.append(messages.BOT_DEADLINE_PASSED.format(date=format_date(dl.last_passed)))
    for p in dl.periods:
        assert p.date is not None
        parts.append(messages.BOT_DEADLINE_PERIOD.format(text=p.text, start=format_date(p.date),
                                                         end=format_date(p.end) if p.end else "?"))
    return esc("；".join(parts))


def _heading(task: Task) -> list[str]:
    lines = [messages.BOT_TASK_TITLE.format(number=task.number, title=esc(task.title))]
    if task.section:
        lines.append(messages.BOT_TASK_SECTION.format(section=esc(task.section)))
    return lines


def task_view(task: Task, view: str = "card", today: date | None = None) -> str:
    """One task as HTML: the card (summary), or its 原文 / 时限 / 责任 view (deadlines as of `today`)."""
    lines = _heading(task)
    if view == "text":
        lines.append(_field(messages.TASK_LABEL_TEXT, esc(task.text)))
        targets = [format_limit(x) for x in task.limits if not x.is_scope]
        scopes = [format_limit(x) for x in task.limits if x.is_scope]
        if targets:
            lines.append(_field(messages.TASK_LABEL_LIMITS, esc("；".join(targets))))
        if scopes:
            lines.append(_field(messages.TASK_LABEL_SCOPES, esc("；".join(scopes))))
    elif view == "time":
        if task.deadlines:
            lines += [f"• {esc(format_deadline(d))}" for d in task.deadlines]
        else:
            lines.append(esc(messages.BOT_TASK_NO_DEADLINE))
    elif view == "resp":
        lines += [_field(messages.TASK_LABEL_LEADERS, _names(task.leaders)),
                  _field(messages.TASK_LABEL_LEAD_UNITS, _names(task.lead_units)),
                  _field(messages.TASK_LABEL_UNITS, _names(task.units))]
        if task.notes:
            lines.append(_field(messages.TASK_LABEL_NOTES, esc("；".join(task.notes))))
        if task.inherited:
            lines.append(esc(messages.TASK_INHERITED_NOTE))
    else:
        summary = task.text if len(task.text) <= 160 else task.text[:160] + "……"
        lines.append(esc(summary))
        line = deadline_line(task, today or date.today())
        if line:
            lines.append(messages.BOT_TASK_DUE_LINE.format(deadlines=line))
        lines += [_field(messages.TASK_LABEL_LEADERS, _names(task.leaders)),
                  _field(messages.TASK_LABEL_LEAD_UNITS, _names(task.lead_units)),
                  _field(messages.TASK_LABEL_UNITS, _names(task.units))]
    return "\n".join(lines)


def page_count(plan: Plan, size: int = PAGE_SIZE) -> int:
    """How many pages /tasks has."""
    return max(1, -(-len(plan.tasks) // size))


def tasks_page(plan: Plan, page: int, size: int = PAGE_SIZE, today: date | None = None) -> tuple[str, int, int]:
    """Page `page` (1-based, clamped) of the task list: (HTML, page, pages); dates as of `today`."""
    pages = page_count(plan, size)
    page = min(max(page, 1), pages)
    lines = [messages.BOT_TASKS_HEADER.format(title=esc(plan.title), count=len(plan.tasks), page=page, pages=pages)]
    for task in plan.tasks[(page - 1) * size: page * size]:
        line = deadline_line(task, today or date.today())
        due = messages.BOT_TASKS_LINE_DUE.format(date=line) if line else ""
        lines.append(messages.BOT_TASKS_LINE.format(number=task.number, title=esc(task.title), due=due))
    return "\n".join(lines), page, pages


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


def due_list(plan: Plan, today: date, days: int) -> str:
    """The /due answer."""
    items = due_within(plan, today, days)
    start, end = esc(format_date(today)), esc(format_date(today + timedelta(days=days)))
    if not items:
        return messages.BOT_DUE_NONE.format(days=days, start=start, end=end)
    lines = [messages.BOT_DUE_HEADER.format(days=days, start=start, end=end, count=len({i.task.number for i in items}))]
    for i in items:
        left = messages.BOT_DAYS_TODAY if i.days == 0 else messages.BOT_DAYS_LEFT.format(days=i.days)
        lines.append(messages.BOT_DUE_LINE.format(date=esc(format_date(i.day)), number=i.task.number,
                                                  title=esc(i.task.title), days_left=left))
    return "\n".join(lines)


def overdue_list(plan: Plan, today: date, done: Collection[int] = ()) -> str:
    """The /overdue answer."""
    items = overdue(plan, today, done)
    if not items:
        return messages.BOT_OVERDUE_NONE.format(today=esc(format_date(today)))
    lines = [messages.BOT_OVERDUE_HEADER.format(today=esc(format_date(today)), count=len(items))]
    for i in items:
        lead = _names(i.task.lead_units or i.task.leaders)
        lines.append(messages.BOT_OVERDUE_LINE.format(number=i.task.number, title=esc(i.task.title),
                                                      date=esc(format_date(i.day)), days=-i.days, lead=lead))
    return "\n".join(lines)


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


def mine_list(plan: Plan, names: list[str], aliases: Mapping[str, tuple[str, ...]], today: date) -> str:
    """The /mine answer for a bound user."""
    shown = esc(messages.LIST_SEPARATOR.join(names))
    items = tasks_of(plan, names, aliases)
    if not items:
        return messages.BOT_MINE_NONE.format(names=shown)
    lines = [messages.BOT_MINE_HEADER.format(names=shown, count=len(items))]
    for task, role in items:
        line = deadline_line(task, today)
        due = messages.BOT_TASKS_LINE_DUE.format(date=line) if line else ""
        lines.append(messages.BOT_MINE_LINE.format(number=task.number, title=esc(task.title),
                                                   role=messages.BOT_MINE_ROLES[role], due=due))
    return "\n".join(lines)


def ledger_names(plan: Plan, aliases: Mapping[str, tuple[str, ...]] | None = None) -> list[str]:
    """Every name a user may be bound to: the plan's leaders and units (and configured group members)."""
    names = dict.fromkeys([*plan.leaders, *plan.unit_names])
    for members in (aliases or {}).values():
        names.update(dict.fromkeys(members))
    return list(names)

"""The weekly status round as pure functions: round periods, statuses, who answers for which task, schedules."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from knowledge.model import Plan, Task
from planbot import messages
from planbot.settings import Settings

DONE = "已完成"
ON_TRACK = "按计划推进"
LAGGING = "滞后"
NEEDS_HELP = "需协调"
REOPENED = "已重新打开"  # an admin's reopen, kept in the reply history
STATUSES: tuple[str, ...] = (DONE, ON_TRACK, LAGGING, NEEDS_HELP)
NO_REPLY = "未报送"
# Short codes keep callback data well under Telegram's 64 bytes.
STATUS_CODES: dict[str, str] = {"done": DONE, "ok": ON_TRACK, "late": LAGGING, "help": NEEDS_HELP}
CODE_OF: dict[str, str] = {v: k for k, v in STATUS_CODES.items()}
# Words people actually type for each status.
_ALIASES: dict[str, str] = {
    "完成": DONE, "已完成": DONE, "办结": DONE, "done": DONE,
    "按计划推进": ON_TRACK, "按计划": ON_TRACK, "推进": ON_TRACK, "推进中": ON_TRACK, "正常": ON_TRACK,
    "正常推进": ON_TRACK, "ok": ON_TRACK,
    "滞后": LAGGING, "延期": LAGGING, "落后": LAGGING, "late": LAGGING,
    "需协调": NEEDS_HELP, "协调": NEEDS_HELP, "需要协调": NEEDS_HELP, "help": NEEDS_HELP,
}
NEEDS_REASON = frozenset({LAGGING, NEEDS_HELP})
# Lagging and blocked tasks are what the office must see first.
STATUS_ORDER: dict[str, int] = {NEEDS_HELP: 0, LAGGING: 1, NO_REPLY: 2, ON_TRACK: 3, DONE: 4}

ROLE_LEAD = "lead"  # lead unit (牵头单位) or leader: their 已完成 closes the task
ROLE_UNIT = "unit"  # responsible unit (责任单位): reported, but does not close the task


@dataclass(frozen=True)
class RoundPeriod:
    """One round: an ISO week in the bureau's zone, e.g. 2023-W44 = Mon 2023-10-30 … Sun 2023-11-05."""

    key: str
    start: date
    end: date

    @property
    def label(self) -> str:
        """How the round is shown to people, e.g. 2023年第44周（10月30日—11月05日）."""
        year, week = self.key.split("-W")
        return messages.SV_ROUND_LABEL.format(year=year, week=int(week), start=self.start, end=self.end)


@dataclass(frozen=True)
class Responsibility:
    """Why a reporting name may answer for a task: the name as bound, and its role."""

    name: str
    role: str


def parse_status(text: str) -> str | None:
    """The canonical status for what a user typed, or None."""
    return _ALIASES.get(text.strip().lower())


def round_of_day(day: date) -> RoundPeriod:
    """The round (ISO week) that contains `day`."""
    year, week, weekday = day.isocalendar()
    start = day - timedelta(days=weekday - 1)
    return RoundPeriod(f"{year}-W{week:02d}", start, start + timedelta(days=6))


def round_for(now: datetime, tz: tzinfo) -> RoundPeriod:
    """The round running at `now`, reckoned in the bureau's zone (Sunday night in UTC is Monday there)."""
    return round_of_day(now.astimezone(tz).date())


def parse_round_key(text: str) -> RoundPeriod | None:
    """A round from '2023-W44' (or 2023W44); None when malformed."""
    raw = text.strip().upper().replace("W", "-W").replace("--", "-")
    try:
        year, week = raw.split("-W")
        monday = date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        return None
    return round_of_day(monday)


def expand(name: str, groups: Mapping[str, Iterable[str]]) -> tuple[str, ...]:
    """A ledger name and, for a group such as 各分局, its member units."""
    return (name, *groups.get(name, ()))


def lead_units_of(task: Task, groups: Mapping[str, Iterable[str]]) -> tuple[str, ...]:
    """The lead units of a task, groups expanded to their members (the members are who gets asked)."""
    out: list[str] = []
    for name in task.lead_units:
        members = tuple(groups.get(name, ()))
        out.extend(members or (name,))
    return tuple(dict.fromkeys(out))


def assignments(plan: Plan, done: Iterable[int], groups: Mapping[str, Iterable[str]]) -> dict[str, list[Task]]:
    """Each lead unit and the open tasks it leads (tasks not reported 已完成), in plan order."""
    closed = set(done)
    out: dict[str, list[Task]] = {}
    for task in plan.tasks:
        if task.number in closed:
            continue
        for unit in lead_units_of(task, groups):
            out.setdefault(unit, []).append(task)
    return out


def responsibility(task: Task, names: Iterable[str], groups: Mapping[str, Iterable[str]]) -> Responsibility | None:
    """How one of a user's bound names answers for `task` (lead before responsible unit), or None."""
    bound = list(names)
    lead_names = {m for n in (*task.lead_units, *task.leaders) for m in expand(n, groups)}
    unit_names = {m for n in task.units for m in expand(n, groups)}
    for name in bound:
        if name in lead_names:
            return Responsibility(name, ROLE_LEAD)
    for name in bound:
        if name in unit_names:
            return Responsibility(name, ROLE_UNIT)
    return None


def tasks_of(plan: Plan, names: Iterable[str], groups: Mapping[str, Iterable[str]]) -> list[int]:
    """Numbers of the tasks the bound names may report on."""
    bound = list(names)
    return [t.number for t in plan.tasks if responsibility(t, bound, groups) is not None]


def next_due(task: Task, today: date) -> date | None:
    """The task's next due date on or after `today`, else its last (overdue) one; None if it has none."""
    dues = task.due_dates
    upcoming = [d for d in dues if d >= today]
    if upcoming:
        return upcoming[0]
    return dues[-1] if dues else None


def non_responders(asked: Iterable[str], replied: Iterable[str]) -> list[str]:
    """Units that were asked this round and have not replied on any task (in the order asked)."""
    answered = set(replied)
    return [u for u in dict.fromkeys(asked) if u not in answered]


def next_weekly(now: datetime, weekday: int, at: time, tz: tzinfo) -> datetime:
    """The next time strictly after `now` that falls on `weekday` (Mon=0) at `at` in `tz`."""
    local = now.astimezone(tz)
    candidate = datetime.combine(local.date(), at, tzinfo=tz) + timedelta(days=(weekday - local.weekday()) % 7)
    if candidate <= local:
        candidate += timedelta(days=7)
    return candidate


def next_monthly(now: datetime, at: time, tz: tzinfo) -> datetime:
    """The next 1st-of-month at `at` strictly after `now`, in `tz`."""
    local = now.astimezone(tz)
    candidate = datetime.combine(local.date().replace(day=1), at, tzinfo=tz)
    if candidate <= local:
        first = local.date().replace(day=1)
        nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        candidate = datetime.combine(nxt, at, tzinfo=tz)
    return candidate


def next_fire_times(now: datetime, settings: Settings) -> dict[str, datetime]:
    """Next fire time of each job: dispatch, chase, digest (weekly) and monthly summary (1st of month)."""
    tz = settings.tz
    return {
        "dispatch": next_weekly(now, settings.weekly_day, settings.weekly_time, tz),
        "chase": next_weekly(now, settings.chase_day, settings.weekly_time, tz),
        "digest": next_weekly(now, settings.digest_day, settings.weekly_time, tz),
        "monthly": next_monthly(now, settings.monthly_time, tz),
    }


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """First and last day of a month."""
    first = date(year, month, 1)
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of a quarter (1–4)."""
    first, _ = month_bounds(year, 3 * quarter - 2)
    _, last = month_bounds(year, 3 * quarter)
    return first, last


def previous_month(day: date) -> tuple[int, int]:
    """(year, month) of the month before `day`'s month: the 1st's summary covers the month just ended."""
    return (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)

"""The weekly status round as pure functions: round periods, statuses, who answers for which task, schedules."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from knowledge.model import Plan, Task
from knowledge.textclean import parse_task_number
from planbot.settings import Settings
from reminders.workdays import is_workday
from supervision import texts as msg
from supervision.statuses import DEFINITIONS, NO_REPLY, WORDS

DONE, ON_TRACK, LAGGING, NEEDS_HELP = WORDS
REOPENED = "已重新打开"  # an admin's reopen, kept in the reply history
CLOSED = "已关闭"  # an admin's /close: the task is complete whatever the units reported
STATUSES: tuple[str, ...] = WORDS
# Short codes keep callback data well under Telegram's 64 bytes.
STATUS_CODES: dict[str, str] = {s.code: s.word for s in DEFINITIONS}
CODE_OF: dict[str, str] = {v: k for k, v in STATUS_CODES.items()}
_ALIASES: dict[str, str] = {alias: s.word for s in DEFINITIONS for alias in (s.word, *s.aliases)}
NEEDS_REASON = frozenset(s.word for s in DEFINITIONS if s.needs_reason)
# Lagging and blocked tasks are what the office must see first.
STATUS_ORDER: dict[str, int] = {NEEDS_HELP: 0, LAGGING: 1, NO_REPLY: 2, ON_TRACK: 3, DONE: 4}

ROLE_LEAD = "lead"  # lead unit (牵头单位): every lead unit's 已完成 completes the task
ROLE_LEADER = "leader"  # 责任领导: the status is the leader's comment, it never completes or reopens a task
ROLE_UNIT = "unit"  # responsible unit (责任单位): reported, but does not close the task


@dataclass(frozen=True)
class RoundPeriod:
    """One round: an ISO week in the bureau's zone, e.g. 2023-W44 = Mon 2023-10-30 … Sun 2023-11-05."""

    key: str
    start: date
    end: date

    @property
    def label(self) -> str:
        """How the round is shown to people, e.g. 2023年第44周（10月30日—11月5日）; the key stays as stored."""
        year, week = self.key.split("-W")
        return msg.SV_ROUND_LABEL.plain(year=year, week=int(week), start_month=self.start.month,
                                        start_day=self.start.day, end_month=self.end.month, end_day=self.end.day)


def round_label(key: str) -> str:
    """The label of a stored round key (2023-W44 → 2023年第44周（…）); other keys as they are."""
    rnd = parse_round_key(key)
    return rnd.label if rnd is not None else key


@dataclass(frozen=True)
class Responsibility:
    """Why a reporting name may answer for a task: the name as bound, and its role."""

    name: str
    role: str


def parse_status(text: str) -> str | None:
    """The canonical status for what a user typed (了/啦/。 at the end ignored), or None."""
    raw = text.strip().lower().rstrip("。.!！")
    return _ALIASES.get(raw) or _ALIASES.get(raw.rstrip("了啦"))


def parse_status_args(args: list[str]) -> tuple[int | None, str | None, str, str]:
    """(task, status, note, status word as typed) from /status arguments: '2 已完成 …', '2已完成', '二 完成了'."""
    number, rest = parse_task_number(" ".join(args))
    if number is None:
        return None, None, "", ""
    word, _, note = rest.partition(" ")
    status = parse_status(word)
    if status is None:  # the note may follow the status without a space: 已完成现场核查
        for alias in sorted(_ALIASES, key=len, reverse=True):
            if rest.lower().startswith(alias):
                return number, _ALIASES[alias], rest[len(alias):].strip(" ，,：:"), alias
    return number, status, note.strip(), word


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
    """How one of a user's bound names answers for `task` (lead unit, then leader, then responsible unit), or None."""
    bound = list(names)
    lead_names = {m for n in task.lead_units for m in expand(n, groups)}
    leader_names = {m for n in task.leaders for m in expand(n, groups)}
    unit_names = {m for n in task.units for m in expand(n, groups)}
    for name in bound:
        if name in lead_names:
            return Responsibility(name, ROLE_LEAD)
    for name in bound:
        if name in leader_names:
            return Responsibility(name, ROLE_LEADER)
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


def week_schedule(day: date, settings: Settings) -> dict[str, date | None]:
    """The days the round's jobs run in `day`'s week, moved off holidays (chinese_calendar).

    Each job runs on its configured weekday, or the first working day after it in the same week (else the last
    one before it); the chase comes after the dispatch and the digest not before the chase. None: the week has no
    working day for it.
    """
    monday = day - timedelta(days=day.weekday())
    out: dict[str, date | None] = {}
    earliest = monday
    for job, weekday in (("dispatch", settings.weekly_day), ("chase", settings.chase_day),
                         ("digest", settings.digest_day)):
        start = max(monday + timedelta(days=weekday), earliest)
        week_end = monday + timedelta(days=6)
        later = [start + timedelta(days=n) for n in range((week_end - start).days + 1)]
        # Forward to the next working day of the week; with none left, back to the last one (not before `earliest`).
        earlier = [start - timedelta(days=n) for n in range(1, (start - earliest).days + 1)]
        found = next((d for d in (*later, *earlier) if is_workday(d)), None)
        out[job] = found
        if found is not None:
            earliest = found + timedelta(days=1) if job == "dispatch" else found
    return out


def runs_on(job: str, day: date, settings: Settings) -> bool:
    """Whether the weekly `job` (dispatch, chase or digest) runs on `day`."""
    return week_schedule(day, settings).get(job) == day


def next_weekly(now: datetime, job: str, at: time, settings: Settings) -> datetime:
    """The next time strictly after `now` at which the weekly `job` runs (holidays skipped)."""
    tz = settings.tz
    local = now.astimezone(tz)
    for n in range(0, 60):
        day = local.date() + timedelta(days=n)
        candidate = datetime.combine(day, at, tzinfo=tz)
        if candidate > local and runs_on(job, day, settings):
            return candidate
    return datetime.combine(local.date() + timedelta(days=60), at, tzinfo=tz)


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
    """Next fire time of each job: dispatch, chase, digest (weekly, off holidays) and monthly summary (the 1st)."""
    at = settings.weekly_time
    return {
        "dispatch": next_weekly(now, "dispatch", at, settings),
        "chase": next_weekly(now, "chase", at, settings),
        "digest": next_weekly(now, "digest", at, settings),
        "monthly": next_monthly(now, settings.monthly_time, settings.tz),
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

"""Report periods (week, month, quarter) from what a user typed or from `now` — pure."""

from __future__ import annotations

import re
from datetime import date, datetime, tzinfo

from planbot.errors import UsageError
from supervision import texts as msg
from supervision.reports import MONTHLY, QUARTERLY, WEEKLY, Period
from supervision.rounds import month_bounds, parse_round_key, quarter_bounds, round_of_day

# What people type for the kind of a report, in chat or on the command line.
KIND_WORDS: dict[str, str] = {
    "周": WEEKLY, "本周": WEEKLY, "week": WEEKLY, "weekly": WEEKLY, "w": WEEKLY,
    "月": MONTHLY, "本月": MONTHLY, "month": MONTHLY, "monthly": MONTHLY, "m": MONTHLY,
    "季": QUARTERLY, "季度": QUARTERLY, "本季": QUARTERLY, "quarter": QUARTERLY, "quarterly": QUARTERLY, "q": QUARTERLY,
}
_MONTH = re.compile(r"^(\d{4})[-/年.](\d{1,2})月?$")
_QUARTER = re.compile(r"^(\d{4})[-/年]?(?:Q|第)?([1-4])(?:季度?)?$", re.IGNORECASE)
_DAY = re.compile(r"^(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})日?$")


def week_period(day: date) -> Period:
    """The ISO week containing `day`."""
    rnd = round_of_day(day)
    return Period(WEEKLY, rnd.key, rnd.label, rnd.start, rnd.end)


def month_period(year: int, month: int) -> Period:
    """One calendar month."""
    start, end = month_bounds(year, month)
    return Period(MONTHLY, f"{year}-{month:02d}", msg.SV_PERIOD_MONTH.plain(year=year, month=month), start, end)


def quarter_period(year: int, quarter: int) -> Period:
    """One calendar quarter."""
    start, end = quarter_bounds(year, quarter)
    return Period(QUARTERLY, f"{year}-Q{quarter}", msg.SV_PERIOD_QUARTER.plain(year=year, quarter=quarter),
                  start, end)


def current_period(kind: str, now: datetime, tz: tzinfo) -> Period:
    """The period of `kind` that contains `now` in the bureau's zone."""
    today = now.astimezone(tz).date()
    if kind == MONTHLY:
        return month_period(today.year, today.month)
    if kind == QUARTERLY:
        return quarter_period(today.year, (today.month - 1) // 3 + 1)
    return week_period(today)


def parse_period(kind: str, text: str | None, now: datetime, tz: tzinfo) -> Period:
    """The period of `kind` named by `text` (2023-W44, 2023-10, 2023-Q4 or any day in it); now's if empty."""
    raw = (text or "").strip()
    if not raw:
        return current_period(kind, now, tz)
    day = _DAY.match(raw)
    try:
        if day:
            yy, mm, dd = (int(x) for x in day.groups())
            return current_period(kind, datetime(yy, mm, dd, 12, tzinfo=tz), tz)
        if kind == WEEKLY:
            rnd = parse_round_key(raw)
            if rnd is not None:
                return week_period(rnd.start)
        elif kind == MONTHLY and (m := _MONTH.match(raw)):
            return month_period(int(m.group(1)), int(m.group(2)))
        elif kind == QUARTERLY and (q := _QUARTER.match(raw)):
            return quarter_period(int(q.group(1)), int(q.group(2)))
    except ValueError:
        pass
    raise UsageError(msg.SV_PERIOD_BAD.plain(text=raw))

"""Chinese working days: weekends and public holidays off, official make-up working days on."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

log = logging.getLogger(__name__)
_warned_years: set[int] = set()


@lru_cache(maxsize=4096)
def is_workday(day: date) -> bool:
    """True on a Chinese working day; outside the calendar's years, Monday to Friday (logged once a year)."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        # The package only knows years the State Council has announced; next year's table may be missing.
        if day.year not in _warned_years:
            _warned_years.add(day.year)
            log.warning("chinese-calendar has no holiday table for %d; using Monday-Friday as working days "
                        "(upgrade the chinesecalendar package when the State Council publishes it)", day.year)
        return day.weekday() < 5


def previous_workday(day: date) -> date:
    """`day` itself if it is a working day, else the closest working day before it."""
    while not is_workday(day):
        day -= timedelta(days=1)
    return day


def next_workday_after(day: date) -> date:
    """The first working day strictly after `day`."""
    day += timedelta(days=1)
    while not is_workday(day):
        day += timedelta(days=1)
    return day

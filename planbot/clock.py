"""Clocks: the system clock in the bureau's zone, and a frozen clock for tests and replays."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo

Clock = Callable[[], datetime]


def system_clock(tz: tzinfo) -> Clock:
    """A clock that reads the machine's time in `tz`."""
    return lambda: datetime.now(tz)


class FrozenClock:
    """A clock that only moves when told to."""

    def __init__(self, now: datetime) -> None:
        if now.tzinfo is None:
            raise ValueError("FrozenClock needs an aware datetime")
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> datetime:
        """Move forward by `delta` and return the new time."""
        self.now += delta
        return self.now

    def set(self, now: datetime) -> None:
        """Jump to `now`."""
        self.now = now

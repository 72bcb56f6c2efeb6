"""The ordered list of every feature's migrations. Append; never reorder or edit an applied one."""

from __future__ import annotations

from planbot.db import Migration


def _all() -> list[Migration]:
    from indexer.schema import MIGRATIONS as LEDGER
    from planbot.people import MIGRATIONS as PEOPLE
    from reminders.store import MIGRATIONS as REMINDERS
    from supervision.store import MIGRATIONS as SUPERVISION

    return [*LEDGER, *PEOPLE, *REMINDERS, *SUPERVISION]


ALL: list[Migration] = _all()

"""Domain errors. Each carries a Chinese message that names the user's next step."""

from __future__ import annotations


class PlanbotError(Exception):
    """Base of every error a user may see; `str(err)` is the Chinese, actionable message."""

    exit_code = 2


class SettingsError(PlanbotError):
    """A setting is missing or malformed."""


# --- data dir / database ----------------------------------------------------
class DataError(PlanbotError):
    """The data directory or its database cannot be used as it is; the message names what to do."""

    exit_code = 3


class DataDamaged(DataError):
    """The database file is not a readable SQLite database (truncated, overwritten, corrupted)."""


class DataReadOnly(DataError):
    """The data directory cannot be written and the command must write."""


class DataMissing(DataError):
    """The database is missing or empty while the data directory still holds earlier state."""


# --- ledger / indexer -------------------------------------------------------
class DocumentError(PlanbotError):
    """A plan document cannot be read or has no recognisable tasks; nothing was written."""


class DocumentTooLarge(DocumentError):
    """A plan document over the size or task-count limit, refused before parsing."""


class PlanNotFound(PlanbotError):
    """No plan (or not the requested plan) is in the ledger."""


class TaskNotFound(PlanbotError):
    """A task number that the plan does not have."""


class UsageError(PlanbotError):
    """A command was called with wrong arguments; the message shows the usage."""


class EmbeddingModelError(PlanbotError):
    """The embedding model cannot be loaded from local files (offline mode never downloads)."""


class VectorIndexMissing(PlanbotError):
    """The plan is in the ledger but its Chroma collection is missing; re-index to rebuild it."""


# --- qa ---------------------------------------------------------------------
class QuestionError(PlanbotError):
    """A question (or a batch file of questions) that cannot be read; the message shows the usage."""


# --- bot / access -----------------------------------------------------------
class AccessDenied(PlanbotError):
    """The user may not use this command."""


# --- reminders / directory --------------------------------------------------
class DirectoryError(PlanbotError):
    """A directory file is malformed."""


# --- supervision (status round, reports) ------------------------------------
class StatusError(PlanbotError):
    """A status reply that cannot be accepted; nothing was stored."""


class LeadUnitChoice(StatusError):
    """An admin reported for a task with several lead units without naming one; nothing was stored."""

    def __init__(self, message: str, units: tuple[str, ...]) -> None:
        super().__init__(message)
        self.units = units

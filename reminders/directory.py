"""The directory: which Telegram users stand for which leader or unit, and which units form a group.

A file (CSV or .xlsx) has columns name,telegram_id[,group]; several ids per name are allowed (one per row
or separated by commas). `group` names the ledger group (e.g. 各分局) a unit belongs to. Bindings are
stored through planbot.people; group membership in reminders.store.GroupMemberRow.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from planbot import people
from planbot.errors import DirectoryError
from reminders import texts as msg
from reminders.store import SENT, GroupMemberRow, ReminderMessageRow
from reminders.views import Unreachable

_NAME_HEADERS = {"name", "名称", "姓名", "单位", "领导", "责任人"}
_ID_HEADERS = {"telegram_id", "telegramid", "telegram", "tg_id", "id"}
_GROUP_HEADERS = {"group", "分组", "组", "所属组"}
_SPLIT = re.compile(r"[,，;；、|\s]+")


@dataclass(frozen=True)
class DirectoryEntry:
    """One row: a name, its Telegram ids (maybe none) and the groups it belongs to."""

    line: int
    name: str
    telegram_ids: tuple[int, ...] = ()
    groups: tuple[str, ...] = ()


@dataclass
class ImportReport:
    """What an import did; nothing is dropped silently."""

    bound: list[tuple[str, int]] = field(default_factory=list)
    already: list[tuple[str, int]] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # names that are neither ledger names nor group members
    memberships: list[tuple[str, str]] = field(default_factory=list)  # (group, member)
    unknown_groups: list[str] = field(default_factory=list)
    bad_rows: list[str] = field(default_factory=list)


def _rows_from_file(path: Path) -> list[list[str]]:
    if not path.exists():
        raise DirectoryError(msg.DIRECTORY_FILE_MISSING.plain(path=path))
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise DirectoryError(msg.DIRECTORY_FILE_UNREADABLE.plain(path=path, detail=exc)) from exc
        return [["" if c is None else str(c).strip() for c in row] for row in sheet.iter_rows(values_only=True)]
    if path.suffix.lower() not in {".csv", ".txt"}:
        raise DirectoryError(msg.DIRECTORY_FILE_TYPE.plain(path=path))
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China often saves CSV as GBK
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DirectoryError(msg.DIRECTORY_FILE_UNREADABLE.plain(path=path, detail=msg.DIRECTORY_ENCODING_UNKNOWN))
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]


def _column(header: list[str], names: set[str]) -> int | None:
    for i, cell in enumerate(header):
        if cell.strip().lower().replace(" ", "") in names:
            return i
    return None


def _id(raw: str) -> int | None:
    raw = raw.strip().removesuffix(".0")  # Excel stores numbers as floats
    return int(raw) if raw.lstrip("-").isdigit() else None


def parse_directory(rows: list[list[str]]) -> tuple[list[DirectoryEntry], list[str]]:
    """Entries and bad-row messages from a table whose first row is the header."""
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise DirectoryError(msg.DIRECTORY_EMPTY)
    header = rows[0]
    name_col, id_col, group_col = (_column(header, _NAME_HEADERS), _column(header, _ID_HEADERS),
                                   _column(header, _GROUP_HEADERS))
    if name_col is None or id_col is None:
        raise DirectoryError(msg.DIRECTORY_HEADER.plain(header="，".join(header)))
    entries: list[DirectoryEntry] = []
    bad: list[str] = []
    for line, row in enumerate(rows[1:], start=2):
        def cell(i: int | None, row: list[str] = row) -> str:
            return row[i].strip() if i is not None and i < len(row) else ""

        name = cell(name_col)
        if not name:
            bad.append(msg.DIRECTORY_ROW_NO_NAME.plain(line=line))
            continue
        ids: list[int] = []
        for part in (p for p in _SPLIT.split(cell(id_col)) if p):
            value = _id(part)
            if value is None:
                bad.append(msg.DIRECTORY_ROW_BAD_ID.plain(line=line, value=part))
            else:
                ids.append(value)
        groups = tuple(g for g in _SPLIT.split(cell(group_col)) if g)
        entries.append(DirectoryEntry(line, name, tuple(ids), groups))
    return entries, bad


def read_directory(path: Path) -> tuple[list[DirectoryEntry], list[str]]:
    """Parse a CSV or .xlsx directory file."""
    return parse_directory(_rows_from_file(path))


def import_directory(s: Session, entries: Iterable[DirectoryEntry], ledger_names: Collection[str],
                     bad_rows: Iterable[str] = ()) -> ImportReport:
    """Store group memberships and bind ids to names the ledger knows; report everything else."""
    entries = list(entries)
    known = set(ledger_names)
    report = ImportReport(bad_rows=list(bad_rows))
    members: set[str] = set()
    for entry in entries:
        for group in entry.groups:
            if group not in known:
                report.unknown_groups.append(group)
                continue
            members.add(entry.name)
            if s.scalar(select(GroupMemberRow.id).where(GroupMemberRow.group_name == group,
                                                         GroupMemberRow.member == entry.name)) is None:
                s.add(GroupMemberRow(group_name=group, member=entry.name))
            report.memberships.append((group, entry.name))
    s.flush()
    # A member of a ledger group is known even if the ledger never names it alone (e.g. 彬州分局 in 各分局).
    members |= set(s.scalars(select(GroupMemberRow.member)))
    for entry in entries:
        if entry.name not in known and entry.name not in members:
            report.unknown.append(entry.name)
            continue
        for tid in entry.telegram_ids:
            if people.bind(s, tid, entry.name, source="directory"):
                report.bound.append((entry.name, tid))
            else:
                report.already.append((entry.name, tid))
    report.unknown = list(dict.fromkeys(report.unknown))
    report.unknown_groups = list(dict.fromkeys(report.unknown_groups))
    return report


def group_members(s: Session, name: str, aliases: Mapping[str, tuple[str, ...]]) -> list[str]:
    """Member units of a group name (directory `group` column, then settings.group_aliases); [] if not a group."""
    found = list(s.scalars(select(GroupMemberRow.member).where(GroupMemberRow.group_name == name)
                           .order_by(GroupMemberRow.id)))
    return list(dict.fromkeys([*found, *aliases.get(name, ())]))


def resolve_ids(s: Session, name: str, aliases: Mapping[str, tuple[str, ...]]) -> list[int]:
    """Telegram ids that stand for `name`: bound to it directly or to one of its group's member units."""
    ids = people.ids_of(s, name)
    for member in group_members(s, name, aliases):
        ids.extend(people.ids_of(s, member))
    return list(dict.fromkeys(ids))


def chat_of(s: Session, telegram_id: int) -> int:
    """The private chat to write to (the stored chat, else the user id, which Telegram uses for private chats)."""
    row = people.get_user(s, telegram_id)
    return row.chat_id if row is not None and row.chat_id is not None else telegram_id


def has_started(s: Session, telegram_id: int) -> bool:
    """Whether the user wrote to the bot or got a reminder (a bot cannot message someone who never started it)."""
    if people.get_user(s, telegram_id) is not None:
        return True
    delivered = select(ReminderMessageRow.id).where(ReminderMessageRow.chat_id == telegram_id,
                                                    ReminderMessageRow.status == SENT).limit(1)
    return s.scalar(delivered) is not None


def unreachable(s: Session, names: Iterable[str], aliases: Mapping[str, tuple[str, ...]]) -> list[Unreachable]:
    """Which recipient names cannot be reached yet, and why (Chinese reason for the admin)."""
    out: list[Unreachable] = []
    for name in dict.fromkeys(names):
        ids = resolve_ids(s, name, aliases)
        if not ids:
            out.append(Unreachable(name, msg.UNREACHABLE_NO_BINDING))
            continue
        silent = tuple(i for i in ids if not has_started(s, i))
        if len(silent) == len(ids):
            out.append(Unreachable(name, msg.UNREACHABLE_NOT_STARTED, silent))
    return out

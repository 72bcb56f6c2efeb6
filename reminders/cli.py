"""Subcommands of the `planbot` command line that belong to `reminders`: reminders, directory."""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import select

from indexer.ledger import plan_key
from indexer.plans import PlanAccess
from knowledge.model import Plan
from knowledge.names import is_group_name
from planbot import people
from planbot.db import Database
from planbot.errors import UsageError
from planbot.settings import Settings
from planbot.storage import open_database
from reminders import texts as msg
from reminders.directory import group_members, import_directory, read_directory, unreachable
from reminders.invites import create_invites, deep_link
from reminders.ports import CompletedTasks
from reminders.rules import RuleConfig, by_recipient, reminders_on
from reminders.store import GroupMemberRow
from reminders.views import format_unreachable, recipient_names

AddOption = Callable[[argparse.ArgumentParser], None]

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], add_plan_option: AddOption,
             completed_tasks: CompletedTasks) -> None:
    """Add this feature's subcommands (`completed_tasks`: the status round's, wired by planbot.cli)."""
    p = sub.add_parser("reminders", help="某天将发送的截止提醒（不发送）")
    p.add_argument("--on", required=True, metavar="日期", help="日期 YYYY-MM-DD，例如 2023-10-24")
    p.add_argument("--json", action="store_true", help="输出 JSON 列表（字段 task、due、kind、recipient、send_at）")
    add_plan_option(p)
    p.set_defaults(func=partial(reminders_command, completed=completed_tasks))

    d = sub.add_parser("directory", help="通讯录：领导/单位与 Telegram 账号")
    dsub = d.add_subparsers(dest="directory_command", metavar="操作", required=True)
    p = dsub.add_parser("import", help="导入 CSV/.xlsx（列 name,telegram_id[,group]）")
    p.add_argument("file", metavar="文件", help="通讯录文件 .csv 或 .xlsx")
    add_plan_option(p)
    p.set_defaults(func=directory_import)
    p = dsub.add_parser("list", help="列出已绑定的账号和分组")
    add_plan_option(p)
    p.set_defaults(func=directory_list)
    p = dsub.add_parser("invite", help="为每个领导/单位生成 /start 邀请链接")
    p.add_argument("names", nargs="*", metavar="名称", help="只为这些名称生成（默认：方案中所有提醒对象）")
    p.add_argument("--bot-username", metavar="用户名", help="机器人用户名，用于生成 https://t.me/… 链接")
    add_plan_option(p)
    p.set_defaults(func=directory_invite)
    p = dsub.add_parser("unreachable", help="列出还收不到提醒的对象")
    add_plan_option(p)
    p.set_defaults(func=directory_unreachable)


def parse_day(value: str) -> date:
    """YYYY-MM-DD, or a UsageError naming the format."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise UsageError(msg.REMINDERS_BAD_DATE.plain(value=value)) from exc


def plan_for(db: Database, settings: Settings, selector: str | None) -> tuple[Plan, str]:
    """The ledger's plan and key; with an empty ledger, the configured document (listable before an index)."""
    plans = PlanAccess(db, selector, fallback=settings.plan_path)
    plan = plans.get()
    return plan, plan_key(plan)


def reminders_command(args: argparse.Namespace, settings: Settings, *, completed: CompletedTasks) -> int:
    """planbot reminders --on DAY [--json]: what fires that day, by recipient name, without sending."""
    day = parse_day(args.on)
    db = open_database(settings, "reminders", write=False)
    try:
        plan, _ = plan_for(db, settings, args.plan)
        done, pairs = db.run(lambda s: completed(s, plan, settings))
        items = reminders_on(plan, day, RuleConfig.from_settings(settings), done, pairs)
        # A group name (各分局) is delivered to its member units, as the sender resolves it (resolve_ids).
        members = db.run(lambda s: {r.recipient: group_members(s, r.recipient, settings.group_aliases)
                                    for r in items})
    finally:
        db.dispose()
    if args.json:
        rows = [{**r.to_dict(), "members": members.get(r.recipient, [])} for r in items]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not items:
        print(msg.REMINDER_NONE_TODAY.plain(day=day.isoformat()))
        return 0
    print(msg.REMINDER_TODAY_HEADER.plain(day=day.isoformat(), count=len(items)))
    for name, group in by_recipient(items).items():
        shown = name
        if members.get(name):
            shown = msg.REMINDER_GROUP_MEMBERS.plain(name=name, members="、".join(members[name]))
        elif is_group_name(name):
            shown = msg.REMINDER_GROUP_EMPTY.plain(name=name)
        for r in group:
            print(msg.REMINDER_TODAY_LINE.plain(recipient=shown, task=r.task, kind=msg.REMINDER_KIND_NAMES[r.kind],
                                                 due=r.due.isoformat()))
    return 0


def directory_import(args: argparse.Namespace, settings: Settings) -> int:
    """planbot directory import FILE: bind ids to ledger names; report unknown names and bad rows."""
    entries, bad = read_directory(Path(args.file))
    db = open_database(settings, "directory import")
    try:
        plan, _ = plan_for(db, settings, args.plan)
        known = [*plan.leaders, *plan.unit_names]
        report = db.run(lambda s: import_directory(s, entries, known, bad))
    finally:
        db.dispose()
    print(msg.DIRECTORY_IMPORTED.plain(bound=len(report.bound), already=len(report.already),
                                        members=len(report.memberships)))
    for line in report.bad_rows:
        print(line)
    if report.unknown_groups:
        print(msg.DIRECTORY_UNKNOWN_GROUPS.plain(names="、".join(report.unknown_groups)))
    if report.unknown:
        print(msg.DIRECTORY_UNKNOWN.plain(names="、".join(report.unknown)))
        return 1
    return 0


def directory_list(args: argparse.Namespace, settings: Settings) -> int:
    """planbot directory list: every binding and group membership."""
    db = open_database(settings, "directory list", write=False)
    try:
        bindings = db.run(people.all_bindings)
        groups = db.run(lambda s: [(r.group_name, r.member) for r in s.scalars(select(GroupMemberRow)
                                                                                 .order_by(GroupMemberRow.id))])
        plan, _ = plan_for(db, settings, args.plan) if bindings else (None, "")
    finally:
        db.dispose()
    if not bindings and not groups:
        print(msg.DIRECTORY_LIST_EMPTY)
        return 0
    by_name: dict[str, list[str]] = {}
    for b in bindings:
        binding = msg.DIRECTORY_LIST_BINDING.plain(telegram_id=b.telegram_id, source=b.source)
        by_name.setdefault(b.name, []).append(binding)
    for name, ids in by_name.items():
        print(msg.DIRECTORY_LIST_LINE.plain(name=name, ids="，".join(ids)))
    members: dict[str, list[str]] = {}
    for group, member in groups:
        members.setdefault(group, []).append(member)
    for group, names in members.items():
        print(f"{group} = {'、'.join(names)}")
    if plan is not None:
        # A binding only reaches someone if the chosen plan (or a group of it) still spells the name that way.
        known = _invitable(plan, [m for _, m in groups], settings)
        stale = [name for name in by_name if name not in known]
        if stale:
            print(msg.DIRECTORY_NOT_IN_PLAN.plain(title=plan.title, names="、".join(stale)))
    return 0


def _invitable(plan: Plan, group_members: list[str], settings: Settings) -> set[str]:
    """Names a binding or invite may use: the plan's leaders and units, and the members of its groups."""
    aliases = [m for members in settings.group_aliases.values() for m in members]
    return {*plan.leaders, *plan.unit_names, *group_members, *aliases}


def directory_invite(args: argparse.Namespace, settings: Settings) -> int:
    """planbot directory invite [NAME…]: a /start deep link per name that binds whoever opens it."""
    db = open_database(settings, "directory invite")
    try:
        plan = plan_for(db, settings, args.plan)[0]
        unknown: list[str] = []
        groups = db.run(lambda s: _groups(s, plan, settings))
        if args.names:
            # An invite binds whoever opens it (and grants access): a misspelt name would bind to nothing useful.
            members = db.run(lambda s: list(s.scalars(select(GroupMemberRow.member))))
            known = _invitable(plan, members, settings)
            unknown = [n for n in dict.fromkeys(args.names) if n not in known and n not in groups]
            asked = [n for n in args.names if n in known or n in groups]
        else:
            asked = recipient_names(plan, settings)
        # A group (各分局) is nobody's unit: invite the real units it stands for, never the group name.
        names = list(dict.fromkeys(m for n in asked for m in groups.get(n, [n])))
        tokens = db.run(lambda s: create_invites(s, names, datetime.now(settings.tz)))
    finally:
        db.dispose()
    for name, token in tokens.items():
        print(msg.DIRECTORY_INVITE_LINE.plain(name=name, link=deep_link(token, args.bot_username)))
    skipped = [n for n in dict.fromkeys(asked) if n in groups]
    if skipped:
        print(msg.DIRECTORY_INVITE_GROUPS.plain(
            groups="；".join(msg.DIRECTORY_GROUP_ITEM.plain(group=g, members="、".join(groups[g])
                                                          or msg.DIRECTORY_GROUP_NO_MEMBERS) for g in skipped)))
    if unknown:
        print(msg.DIRECTORY_INVITE_UNKNOWN.plain(names="、".join(unknown)))
        return 1
    return 0


def _groups(s: Any, plan: Plan, settings: Settings) -> dict[str, list[str]]:
    """The plan's group names with their member units (directory groups, PLANBOT_GROUP_ALIASES), also when empty."""
    names = {n for t in plan.tasks for n in (*t.leaders, *t.lead_units, *t.units)} | set(settings.group_aliases)
    out = {}
    for name in sorted(names):
        members = group_members(s, name, settings.group_aliases)
        if members or is_group_name(name):
            out[name] = members
    return out


def directory_unreachable(args: argparse.Namespace, settings: Settings) -> int:
    """planbot directory unreachable: recipient names nobody can be reached for yet."""
    db = open_database(settings, "directory unreachable", write=False)
    try:
        names = recipient_names(plan_for(db, settings, args.plan)[0], settings)
        missing = db.run(lambda s: unreachable(s, names, settings.group_aliases))
    finally:
        db.dispose()
    print(format_unreachable(missing))
    return 0

"""Texts the reminders feature shows in the command line and the bot (pure: plan and settings in, text out)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from knowledge.model import Plan
from planbot.settings import Settings
from reminders import texts as msg
from reminders.rules import RuleConfig, recipients


@dataclass(frozen=True)
class Unreachable:
    """A ledger name nobody stands for, or bound users who never started the bot."""

    name: str
    reason: str
    telegram_ids: tuple[int, ...] = ()


def recipient_names(plan: Plan, settings: Settings) -> list[str]:
    """Every name the rules can remind (leaders, lead units and, if configured, responsible units)."""
    config = RuleConfig.from_settings(settings)
    return list(dict.fromkeys(name for t in plan.tasks for name, _ in recipients(t, config)))


def format_unreachable(missing: Sequence[Unreachable]) -> str:
    """Chinese lines for the admin (CLI and bot)."""
    if not missing:
        return msg.UNREACHABLE_NONE
    lines = [msg.UNREACHABLE_HEADER.plain(count=len(missing))]
    for m in missing:
        ids = msg.UNREACHABLE_IDS.plain(ids="，".join(str(i) for i in m.telegram_ids)) if m.telegram_ids else ""
        lines.append(msg.UNREACHABLE_LINE.plain(name=m.name, reason=m.reason, ids=ids))
    lines.append(msg.UNREACHABLE_HINT)
    return "\n".join(lines)

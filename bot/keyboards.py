"""Inline keyboards and their callback data (each under Telegram's 64-byte limit)."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts as msg
from indexer import texts as idx_msg
from supervision import texts as sv_msg

# Callback data: "t:<number>:<view>", "ts:<page>", "acc:<ok|bind|no>:<user id>".
TASK_PREFIX = "t:"
PAGE_PREFIX = "ts:"
ACCESS_PREFIX = "acc:"
TASK_PATTERN = r"^t:\d+:(card|text|time|resp)$"
PAGE_PATTERN = r"^ts:\d+$"
ACCESS_PATTERN = r"^acc:(ok|bind|no):-?\d+$"


def task_buttons(number: int) -> InlineKeyboardMarkup:
    """原文 / 时限 / 责任 under a task."""
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(idx_msg.TASK_LABEL_TEXT, callback_data=f"t:{number}:text"),
        InlineKeyboardButton(idx_msg.TASK_LABEL_DEADLINES, callback_data=f"t:{number}:time"),
        InlineKeyboardButton(sv_msg.SV_ROLE_UNIT, callback_data=f"t:{number}:resp"),
    ]])


def page_buttons(page: int, pages: int) -> InlineKeyboardMarkup | None:
    """◀ / ▶ under a page of /tasks (None when there is one page)."""
    row = []
    if page > 1:
        row.append(InlineKeyboardButton(msg.BOT_BUTTON_PREV, callback_data=f"ts:{page - 1}"))
    if page < pages:
        row.append(InlineKeyboardButton(msg.BOT_BUTTON_NEXT, callback_data=f"ts:{page + 1}"))
    return InlineKeyboardMarkup([row]) if row else None


def cited_buttons(numbers: Sequence[int], per_row: int = 4, most: int = 8) -> InlineKeyboardMarkup | None:
    """One button per task an answer cites, opening its card."""
    buttons = [InlineKeyboardButton(msg.BOT_TASK_BUTTON.plain(number=n), callback_data=f"t:{n}:card")
               for n in list(dict.fromkeys(numbers))[:most]]
    if not buttons:
        return None
    return InlineKeyboardMarkup([buttons[i: i + per_row] for i in range(0, len(buttons), per_row)])


def approval_buttons(user_id: int, bind_name: str | None) -> InlineKeyboardMarkup:
    """Approve / approve and bind / reject a registration."""
    rows = [[InlineKeyboardButton(msg.BOT_BUTTON_APPROVE, callback_data=f"acc:ok:{user_id}"),
             InlineKeyboardButton(msg.BOT_BUTTON_REJECT, callback_data=f"acc:no:{user_id}")]]
    if bind_name:
        rows.insert(0, [InlineKeyboardButton(msg.BOT_BUTTON_APPROVE_BIND.plain(name=bind_name),
                                             callback_data=f"acc:bind:{user_id}")])
    return InlineKeyboardMarkup(rows)


def parse(data: str) -> list[str]:
    """Split callback data into its parts."""
    return data.split(":")

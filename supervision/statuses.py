"""The status words a lead unit reports (pure): one definition each, read by parsing, buttons, help and reports."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Status:
    """One status: the word shown, its short code (callback data, report fields), a short label and typed aliases."""

    word: str
    code: str
    short: str  # in the per-unit report line
    aliases: tuple[str, ...]  # words people actually type for it
    needs_reason: bool = False  # a reply asks why (lagging, blocked)


DEFINITIONS: tuple[Status, ...] = (
    Status("已完成", "done", "已完成", ("完成", "办结", "已办结", "完毕", "已完毕", "done")),
    Status("按计划推进", "ok", "推进", ("按计划", "推进", "推进中", "正常", "正常推进", "进行中", "正在推进", "ok")),
    Status("滞后", "late", "滞后", ("延期", "落后", "延误", "滞后了", "late"), needs_reason=True),
    Status("需协调", "help", "需协调", ("协调", "需要协调", "help"), needs_reason=True),
)
WORDS: tuple[str, ...] = tuple(s.word for s in DEFINITIONS)
WORD_LIST = "、".join(WORDS)  # as help and error texts list them
NO_REPLY = "未报送"

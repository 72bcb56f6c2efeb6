"""Texts of "learn from use" (/unanswered, /alias, their buttons). Filled by `fill`, which escapes every field.

Kept in one module, grouped by command, so that the move of all texts to per-feature modules (one renderer)
can take it as it is.
"""

from __future__ import annotations

from typing import Any

from planbot.render import esc

# --- command menu and /help (admins) -------------------------------------------------------------------------
ADMIN_COMMANDS = {
    "unanswered": "本周未答好的问题（可对应任务或添加别名）",
    "alias": "添加俗称，例如 /alias 电车 新能源车",
}
HELP_ADMIN = ("\n/unanswered — 本周被拒答或把握不大的问题，可一键对应任务或添加别名\n"
              "/alias 俗称 方案用语 — 让问答把日常说法理解为方案用语")

# --- /alias ----------------------------------------------------------------------------------------------
ALIAS_USAGE = "用法：/alias 俗称 方案用语，例如 /alias 电车 新能源车"
ALIAS_TOO_LONG = "俗称和方案用语都应是词语（不超过 {limit} 个字）。" + ALIAS_USAGE
ALIAS_SAME = "俗称和方案用语相同（“{said}”），无需添加。" + ALIAS_USAGE
ALIAS_SAID_IN_PLAN = "“{said}”本身就是方案中的用语，问答已能直接理解，无需添加别名。"
ALIAS_MEANT_MISSING = "方案中没有“{meant}”，请用方案原文中的词，例如 {examples}"
ALIAS_MEANT_MISSING_NO_EXAMPLE = "方案中没有“{meant}”，请用方案原文中的词（可用 /task 编号 查看任务原文）。"
ALIAS_EXAMPLE = "/alias {said} {term}"
ALIAS_EXAMPLE_JOIN = " 或 "
ALIAS_OK = "已添加别名：“{said}”按“{meant}”理解，立即生效。"
ALIAS_CHANGED = "已修改别名：“{said}”原按“{before}”理解，现按“{meant}”理解，立即生效。"

# --- /unanswered -------------------------------------------------------------------------------------------
UNANSWERED_NONE = "最近 7 天没有被拒答或把握不大的问题。"
UNANSWERED_HEADER = "<b>最近 7 天未答好的问题</b>（{since} 至今，共 {total} 次，按次数排列）"
UNANSWERED_LINE = "{index}. “{question}” × {count}（{decision}，最近 {at}）"
UNANSWERED_POINTER = "\n   最接近：第{number}项 {title}"
UNANSWERED_MORE = "\n另有 {more} 个问题未列出。"
UNANSWERED_FOOTER = "\n按“对应第N项”后，同样的问题将按该项回答；按“添加别名”教问答认识日常说法。"
DECISION_LABELS = {"refuse": "拒答", "caveat": "把握不大"}
BUTTON_MAP = "{index}. 对应第{number}项"
BUTTON_ALIAS = "{index}. 添加别名"

# --- buttons ---------------------------------------------------------------------------------------------
STALE = "按钮已失效，请重新发送 /unanswered。"
MAPPED = "已对应：以后问“{question}”，将按第{number}项回答。"
ALIAS_PROMPT = ("添加别名：请直接回复“俗称 方案用语”，例如：电车 新能源车\n"
                "问题原文：“{question}”\n也可以随时发送 /alias 俗称 方案用语。")
ALIAS_PROMPT_MARK = "添加别名：请直接回复"  # how a reply is recognised as the answer to this prompt
ALIAS_PLACEHOLDER = "俗称 方案用语"


def fill(template: str, **fields: Any) -> str:
    """The template with every field HTML-escaped."""
    return template.format(**{k: esc(v) for k, v in fields.items()})

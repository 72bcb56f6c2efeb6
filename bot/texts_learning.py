"""Texts of "learn from use" (/unanswered, /alias, their buttons): Templates filled by render (HTML) or plain.

The commands' menu and /help lines are in bot.texts.COMMANDS with every other command.
"""

from __future__ import annotations

from planbot.render import Template

# --- /alias ----------------------------------------------------------------------------------------------
ALIAS_USAGE = Template("用法：/alias 俗称 方案用语，例如 /alias 电车 新能源车")
ALIAS_TOO_LONG = Template("俗称和方案用语都应是词语（不超过 {limit} 个字）。" + ALIAS_USAGE)
ALIAS_SAME = Template("俗称和方案用语相同（“{said}”），无需添加。" + ALIAS_USAGE)
ALIAS_SAID_IN_PLAN = Template("“{said}”本身就是方案中的用语，问答已能直接理解，无需添加别名。")
ALIAS_MEANT_MISSING = Template("方案中没有“{meant}”，请用方案原文中的词，例如 {examples}")
ALIAS_MEANT_MISSING_NO_EXAMPLE = Template("方案中没有“{meant}”，请用方案原文中的词（可用 /task 编号 查看任务原文）。")
ALIAS_EXAMPLE = Template("/alias {said} {term}")
ALIAS_EXAMPLE_JOIN = " 或 "
ALIAS_OK = Template("已添加别名：“{said}”按“{meant}”理解，立即生效。")
ALIAS_CHANGED = Template("已修改别名：“{said}”原按“{before}”理解，现按“{meant}”理解，立即生效。")

# --- /unanswered -------------------------------------------------------------------------------------------
UNANSWERED_NONE = Template("最近 7 天没有被拒答或把握不大的问题。")
UNANSWERED_HEADER = Template("<b>最近 7 天未答好的问题</b>（{since} 至今，共 {total} 次，按次数排列）")
UNANSWERED_LINE = Template("{index}. “{question}” × {count}（{decision}，最近 {at}）")
UNANSWERED_POINTER = Template("\n   最接近：第{number}项 {title}")
UNANSWERED_MORE = Template("\n另有 {more} 个问题未列出。")
UNANSWERED_FOOTER = Template("\n按“对应第N项”后，同样的问题将按该项回答；按“添加别名”教问答认识日常说法。")
DECISION_LABELS = {"refuse": "拒答", "caveat": "把握不大"}
BUTTON_MAP = Template("{index}. 对应第{number}项")
BUTTON_ALIAS = Template("{index}. 添加别名")

# --- buttons ---------------------------------------------------------------------------------------------
STALE = Template("按钮已失效，请重新发送 /unanswered。")
MAPPED = Template("已对应：以后问“{question}”，将按第{number}项回答。")
ALIAS_PROMPT = Template("添加别名：请直接回复“俗称 方案用语”，例如：电车 新能源车\n"
                        "问题原文：“{question}”\n也可以随时发送 /alias 俗称 方案用语。")
ALIAS_PROMPT_MARK = "添加别名：请直接回复"  # how a reply is recognised as the answer to this prompt
ALIAS_PLACEHOLDER = "俗称 方案用语"


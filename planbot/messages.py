"""Every user-facing text of planbot, in Chinese, in one place.

Sections belong to features; add texts in your feature's section only.
Texts with fields use str.format placeholders; callers escape HTML themselves where needed.
"""

from __future__ import annotations

# --- common -------------------------------------------------------------------
GENERIC_ERROR = "抱歉，处理这条消息时出错了，已记录。请稍后再试，或发送 /help 查看用法。"
SETTINGS_INVALID = "配置有误：{detail}"

# --- ledger / indexer -----------------------------------------------------------
NO_PLAN = "还没有导入任何方案。请先运行：planbot index [方案文件路径]"

# --- qa -----------------------------------------------------------------------

# --- bot ----------------------------------------------------------------------

# --- reminders / directory --------------------------------------------------------

# --- supervision (周调度 · 月汇总 · 季考核) -------------------------------------------

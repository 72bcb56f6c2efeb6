"""Texts of the plan parser: why a document is rejected, and its warnings (Chinese)."""

from __future__ import annotations

from planbot.render import Template

DOC_NO_TASKS = (Template("文档中没有找到编号任务。方案应在“一、”“二、”等章节下按“1.”“2.”编号列出任务，"
                "每项任务后写明“责任领导：”“牵头单位：”“责任单位：”。请确认导入的是方案全文后重试。"))

DOC_NO_YEAR = (Template("无法从标题“{title}”或正文识别方案年份。请在标题中写明年份（如“2025年…实施方案”）后重新导入。"))

DOC_TASK_NUMBERS = (Template("任务编号应从 1 起连续且不重复，本文档{detail}。请修正文档中的任务编号后重新导入。"))

DOC_NUMBERS_MISSING = Template("缺少第 {numbers} 项")

DOC_NUMBERS_DUPLICATED = Template("第 {numbers} 项重复")

DOC_NUMBERS_INVALID = Template("出现无效编号 {numbers}")

DOC_TRUNCATED = (Template("文档似乎在第 {number} 项任务处被截断：该任务没有“责任领导/牵头单位/责任单位”，其后也没有可沿用的责任块。"
                 "请检查文件是否完整后重新导入。"))

DOC_FEWER_TASKS = (Template("文档写明有 {stated} 项任务（“{text}”），但只读到 {found} 项，且全文在第 {found} 项处结束，"
                   "文件可能不完整。请检查文件是否完整后重新导入。"))

PARSE_WARN_TASK_COUNT = Template("方案写明有 {stated} 项任务（“{text}”），实际读到 {found} 项，请核对是否缺少任务。")

PARSE_WARN_AREA_COUNT = Template("方案写明 {stated} 个方面（“{text}”），实际读到 {found} 个小节，请核对。")

PARSE_WARN_NO_LEADER = Template("第 {number} 项任务没有写明责任领导，请在方案中补充“责任领导：”。")

PARSE_WARN_NO_BLOCK = Template("第 {number} 项任务没有责任块（责任领导/牵头单位/责任单位），同一小节其后也没有可沿用的责任块。")

PARSE_WARN_RUN_TOGETHER = Template("第 {number} 项任务的{field}“{text}”无法拆分，已按原文保留；请在方案中用顿号分隔各名称。")

PARSE_FIELD_LEADERS = Template("责任领导")

PARSE_FIELD_LEAD_UNITS = Template("牵头单位")

PARSE_FIELD_UNITS = Template("责任单位")

# Inline-shape plans (issue 14): responsibilities in parentheses, section-level lines, the recognised shape.
PARSE_WARN_NO_FIELDS = (Template("第 {number} 项任务没有写明责任分工（任务末尾括号内或本节统一的“牵头单位/责任单位”），"
                        "请在方案中补充。"))
PARSE_WARN_UNPLACED = Template("{where}责任括注中的“{text}”无法归入责任领导、牵头单位、责任单位或完成时限，已忽略，请核对。")
PARSE_WHERE_TASK = Template("第 {number} 项任务")

# The knowledge feature's command line (planbot ask).
QA_ASK_USAGE = Template("用法：planbot ask \"问题\"，或 planbot ask --batch 问题文件.jsonl")
QA_BATCH_BAD_LINE = Template("第{line}行不是含 q 字段的 JSON：{detail}")
QA_BATCH_UNREADABLE = Template("无法读取问题文件 {path}：{detail}。请检查路径，文件应为每行一个含 q 字段的 JSON。")
QA_BAD_NOW = Template("--now 应为 ISO 时间，例如 2023-09-15T10:00:00+08:00，实际为 {raw!r}")

# A section's label as the plan writes it: "（一）" (knowledge/parser.py)
SECTION_LABEL = Template("（{numeral}）")

"""Texts of the ledger and the indexer: importing a plan, listing tasks, loading documents.

Every str text is a Template: render(...) fills it for Telegram HTML escaping each field, plain(...) for the
command line. Add your feature's texts here, beside the feature.
"""

from __future__ import annotations

from planbot.render import Template

NO_PLAN = Template("还没有导入任何方案。请先运行：planbot index [方案文件路径]")
PLAN_NOT_FOUND = Template("没有与“{selector}”匹配的方案。已导入：{available}。请用 --plan 年份 或 标题中的词 选择，例如 --plan {example}")
TASK_NOT_FOUND = Template("方案《{title}》中没有第 {number} 项任务（共 {count} 项，编号 {first}–{last}）。请运行 planbot tasks 查看全部任务。")
TASK_USAGE = Template("用法：planbot task 编号，例如 planbot task 12")
EMBEDDING_MODEL_MISSING = Template("无法加载嵌入模型“{name}”：本机没有该模型的文件（离线模式不会联网下载）。"
    "请把 EMBEDDING_MODEL 设为本地模型目录，或删除该设置以使用内置的 use-multilingual-v3。（详情：{detail}）")
VECTOR_INDEX_MISSING = Template("方案《{title}》的检索索引不存在。请运行：planbot index --plan {year} 重建索引。")
VECTOR_INDEX_GONE = Template("检索索引已被删除或替换。请稍后重试；如仍失败，请运行 planbot index 重建索引。")
INDEX_PLAN_MISMATCH = Template("文件中的方案《{title}》（{year}年）与 --plan {selector} 不符，未做任何更改。请检查文件，或去掉 --plan。")
INDEX_SOURCE_MISSING = Template("方案《{title}》的原文件 {source} 已不存在。请指定文件：planbot index 文件路径")
INDEX_NOTHING_CHANGED = Template("导入未完成，原有方案和检索索引保持不变。")
INDEX_NO_TASKS = Template("文件中没有识别到编号任务（例如“1.严格项目准入。……”），未做任何更改。请确认文件是行动方案。")
INDEX_DONE = Template("已导入方案《{title}》（{year}年，第 {version} 版）：识别任务 {tasks} 项，沿用后续责任块 {inherited} 处，检索文档 {documents} 篇。")
INDEX_REPLACED = Template("文件内容有变化：任务已替换为新版本（原第 {previous} 版）；按任务编号记录的进度和提醒保留。")
INDEX_REBUILT = Template("方案内容未变化，已重建检索索引。")
INDEX_UNCHANGED = Template("方案《{title}》（{year}年，第 {version} 版）未变化：{tasks} 项任务，未做任何更改。")
INDEX_WARNINGS = Template("解析警告 {count} 条：")
INDEX_WARNING_LINE = Template("  - {warning}")
TASKS_HEADER = Template("《{title}》（{year}年）共 {count} 项任务：")
TASKS_LINE = Template("{number:>3}. {title}｜时限：{due}｜牵头：{lead_units}")
TASK_HEADING = Template("第 {number} 项")
TASK_LABEL_TITLE = Template("标题")
TASK_FIELD = Template("{label}：{value}")
TASK_LABEL_SECTION = Template("所属")
TASK_LABEL_TEXT = Template("原文")
TASK_LABEL_DEADLINES = Template("时限")
TASK_LABEL_LIMITS = Template("指标")
# Thresholds saying which enterprises/boilers/areas a rule covers ("35蒸吨及以上…除外"), not targets.
TASK_LABEL_SCOPES = Template("适用范围")
TASK_LABEL_NOTES = Template("备注")
TASK_INHERITED_NOTE = Template("（本项未单列责任分工，沿用其后任务的责任块）")
NONE_TEXT = Template("无")
DATE_TEXT = Template("{year}年{month}月{day}日")
DEADLINE_DUE = Template("{date}前（{text}）")
DEADLINE_START = Template("{date}起（{text}）")
DEADLINE_PERIOD = Template("{date}至{end}（{text}）")
DEADLINE_RECURRING = Template("{text}（常态化/定期）")
LIMIT_ITEM = Template("{subject}{comparator}{value}{unit}")
LIMIT_RANGE = Template("{low:g}—{high:g}")
COMPARATORS = {"<=": "≤", ">=": "≥", "=": "＝", "<": "＜", ">": "＞"}
# ledger / parser (knowledge/parser.py, indexer/loader.py): Chinese only
DOC_TOO_LARGE = Template(
    "文件“{path}”有 {size_mb} MB，超过上限 {limit_mb} MB，未做任何更改。"
    "方案全文通常远小于此；确需导入更大的文件，请调大设置 PLANBOT_MAX_DOCUMENT_MB。")
DOC_TOO_MANY_TASKS = Template(
    "文件“{path}”约有 {count} 项编号任务，超过上限 {limit} 项，未做任何更改。"
    "请确认文件是一份行动方案；确需导入，请调大设置 PLANBOT_MAX_TASKS。")
DOC_NOT_FOUND = Template("找不到文件“{path}”。请检查路径后重新运行：planbot index 文件路径")
DOC_IS_FOLDER = Template("“{path}”是一个文件夹，不是方案文件。请指定文件夹中的方案文件（.txt、.md 或 .docx），例如：planbot index {path}/方案.docx")
DOC_DOCX_NOT_ZIP = Template("文件实际上不是 .docx 格式，可能是把旧版 .doc、PDF 或文本文件改了扩展名")
DOC_DOCX_DAMAGED = Template("文件已损坏或缺少 Word 文档内容")
DOC_EMPTY = Template("文件“{path}”是空的。请选择方案全文（.txt、.md 或 .docx）后重新导入。")
DOC_BINARY = Template("文件“{path}”不是文本文档（可能是图片、PDF、旧版 .doc 或已损坏）。请另存为 .txt（UTF-8）或 .docx 后重新导入。")
DOC_ENCODING = Template("无法识别文件“{path}”的编码（已尝试 UTF-8 和 GB18030）。请用 UTF-8 编码另存后重新导入。")
DOC_DOCX_INVALID = Template("无法打开 Word 文件“{path}”（{detail}）。请确认是 .docx 而不是旧版 .doc，或另存为 .txt 后重新导入。")
# The document shape the parser recognised (knowledge.assemble.plan_shape's keys).
PLAN_SHAPES = {"block": "责任块格式（任务下另起行写明责任领导/牵头单位/责任单位）",
               "inline": "行内格式（任务末尾括号内写明责任分工，含本节统一责任）",
               "mixed": "混合格式（部分任务另起行、部分任务括号内写明责任分工）"}
INDEX_SHAPE = Template("识别的方案格式：{shape}。")

# The responsibility lines of a task's index document (indexer/documents.py)
DOC_RESPONSIBILITY_LINE = Template("{label}：{names}")
# A plan named in a list of the stored plans (indexer/ledger.py)
PLAN_ITEM = Template("{year}《{title}》")

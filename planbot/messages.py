"""Every user-facing text of planbot, in Chinese, in one place.

Sections belong to features; add texts in your feature's section only.
Texts with fields use str.format placeholders; callers escape HTML themselves where needed.
"""

from __future__ import annotations

# --- common -------------------------------------------------------------------
GENERIC_ERROR = "抱歉，处理这条消息时出错了，已记录。请稍后再试，或发送 /help 查看用法。"
SETTINGS_INVALID = "配置有误：{detail}"
SETTINGS_BAD_ID = "用户 ID 必须是数字：{value!r}。请在 PLANBOT_ADMINS / PLANBOT_ALLOWED_USERS 中用逗号分隔数字 ID。"
SETTINGS_BAD_TIME = "{name} 应为 HH:MM 格式，例如 09:00，实际为 {value!r}"
SETTINGS_BAD_DAYS = "{name} 应为逗号分隔的天数，例如 7,3,1，实际为 {value!r}"
SETTINGS_BAD_INT = "{name} 必须是整数，实际为 {value!r}"
CLI_ERROR = "错误：{detail}"

# --- ledger / indexer -----------------------------------------------------------
NO_PLAN = "还没有导入任何方案。请先运行：planbot index [方案文件路径]"
PLAN_NOT_FOUND = "没有与“{selector}”匹配的方案。已导入：{available}。请用 --plan 年份 或 标题中的词 选择，例如 --plan {example}"
TASK_NOT_FOUND = "方案《{title}》中没有第 {number} 项任务（共 {count} 项，编号 {first}–{last}）。请运行 planbot tasks 查看全部任务。"
TASK_USAGE = "用法：planbot task 编号，例如 planbot task 12"
EMBEDDING_MODEL_MISSING = (
    "无法加载嵌入模型“{name}”：本机没有该模型的文件（离线模式不会联网下载）。"
    "请把 EMBEDDING_MODEL 设为本地模型目录，或删除该设置以使用内置的 use-multilingual-v3。（详情：{detail}）"
)
VECTOR_INDEX_MISSING = "方案《{title}》的检索索引不存在。请运行：planbot index --plan {year} 重建索引。"
VECTOR_INDEX_GONE = "检索索引已被删除或替换。请稍后重试；如仍失败，请运行 planbot index 重建索引。"
INDEX_PLAN_MISMATCH = "文件中的方案《{title}》（{year}年）与 --plan {selector} 不符，未做任何更改。请检查文件，或去掉 --plan。"
INDEX_SOURCE_MISSING = "方案《{title}》的原文件 {source} 已不存在。请指定文件：planbot index 文件路径"
INDEX_NOTHING_CHANGED = "导入未完成，原有方案和检索索引保持不变。"
INDEX_NO_TASKS = "文件中没有识别到编号任务（例如“1.严格项目准入。……”），未做任何更改。请确认文件是行动方案。"
INDEX_DONE = "已导入方案《{title}》（{year}年，第 {version} 版）：识别任务 {tasks} 项，沿用后续责任块 {inherited} 处，检索文档 {documents} 篇。"
INDEX_REPLACED = "文件内容有变化：任务已替换为新版本（原第 {previous} 版）；按任务编号记录的进度和提醒保留。"
INDEX_REBUILT = "方案内容未变化，已重建检索索引。"
INDEX_UNCHANGED = "方案《{title}》（{year}年，第 {version} 版）未变化：{tasks} 项任务，未做任何更改。"
INDEX_WARNINGS = "解析警告 {count} 条："
INDEX_WARNING_LINE = "  - {warning}"
TASKS_HEADER = "《{title}》（{year}年）共 {count} 项任务："
TASKS_LINE = "{number:>3}. {title}｜时限：{due}｜牵头：{lead_units}"
TASK_HEADING = "第 {number} 项"
TASK_LABEL_TITLE = "标题"
TASK_FIELD = "{label}：{value}"
TASK_LABEL_SECTION = "所属"
TASK_LABEL_TEXT = "原文"
TASK_LABEL_DEADLINES = "时限"
TASK_LABEL_LEADERS = "责任领导"
TASK_LABEL_LEAD_UNITS = "牵头单位"
TASK_LABEL_UNITS = "责任单位"
TASK_LABEL_LIMITS = "指标"
TASK_LABEL_NOTES = "备注"
TASK_INHERITED_NOTE = "（本项未单列责任分工，沿用其后任务的责任块）"
NONE_TEXT = "无"
LIST_SEPARATOR = "、"
DATE_TEXT = "{year}年{month}月{day}日"
DEADLINE_DUE = "{date}前（{text}）"
DEADLINE_START = "{date}起（{text}）"
DEADLINE_PERIOD = "{date}至{end}（{text}）"
DEADLINE_RECURRING = "{text}（常态化/定期）"
LIMIT_ITEM = "{subject}{comparator}{value}{unit}"
COMPARATORS = {"<=": "≤", ">=": "≥", "=": "＝", "<": "＜", ">": "＞"}

# ledger / parser (knowledge/parser.py, indexer/loader.py): Chinese first, then English
DOC_NOT_FOUND = "找不到文件“{path}”。请检查路径后重新运行：planbot index 文件路径 / File not found: {path}. Check the path."
DOC_EMPTY = ("文件“{path}”是空的。请选择方案全文（.txt、.md 或 .docx）后重新导入。"
             " / The file is empty; choose the full plan (.txt, .md or .docx) and index again.")
DOC_BINARY = ("文件“{path}”不是文本文档（可能是图片、PDF、旧版 .doc 或已损坏）。请另存为 .txt（UTF-8）或 .docx 后重新导入。"
              " / The file is not a text document; save it as .txt (UTF-8) or .docx and index again.")
DOC_ENCODING = ("无法识别文件“{path}”的编码（已尝试 UTF-8 和 GB18030）。请用 UTF-8 编码另存后重新导入。"
                " / Unknown text encoding (tried UTF-8 and GB18030); save the file as UTF-8 and index again.")
DOC_DOCX_INVALID = ("无法打开 Word 文件“{path}”（{detail}）。请确认是 .docx 而不是旧版 .doc，或另存为 .txt 后重新导入。"
                    " / Cannot open the .docx file; make sure it is .docx (not .doc) or save it as .txt and index again.")
# The document shape the parser recognised (knowledge.assemble.plan_shape's keys).
PLAN_SHAPES = {"block": "责任块格式（任务下另起行写明责任领导/牵头单位/责任单位）",
               "inline": "行内格式（任务末尾括号内写明责任分工，含本节统一责任）",
               "mixed": "混合格式（部分任务另起行、部分任务括号内写明责任分工）"}
INDEX_SHAPE = "识别的方案格式：{shape}。"

# --- qa -----------------------------------------------------------------------
# Plain text (the bot escapes it); answers put the asked fact first, then the plan's own words.
QA_CITE_TASK = "第{number}项 {title}"
QA_LEADERS = "责任领导"
QA_LEAD_UNITS = "牵头单位"
QA_UNITS = "责任单位"
QA_NO_RESPONSIBILITY = "方案未写明该项的责任领导和单位"
QA_QUOTE = "原文：“{text}”"
QA_PREAMBLE = "方案开头"
QA_PARAGRAPH = "{text}（见方案“{where}”）"
QA_LIST_LINE = "第{number}项 {title} — {detail}"
QA_ROLE_LEAD = "牵头"
QA_ROLE_RESPONSIBLE = "责任单位"
QA_WHEN_FACT = "{label}：{due} — {action}"
QA_TIME_LABELS = {"due": "时限", "start": "起始时间", "period": "时段", "recurring": "频次"}
QA_WHEN_NONE = "该项没有写明具体完成时限"
QA_WHEN_NONE_STEP = "方案没有写明这项工作的完成时限"
QA_WHEN_OTHER = "该项其他时限：{items}"
QA_TIME_WORDS = "时间要求：{items}"
QA_TASK_FACT = "第{number}项 {title}"
QA_LIST_HEADER = "{filters}的任务（{order}）："
QA_LIST_ORDER_NUMBER = "按编号"
QA_LIST_ORDER_DATE = "按时限排序"
QA_FILTER_PERSON = "{name} 作为责任领导"
QA_FILTER_UNIT_LEAD = "{name} 牵头"
QA_FILTER_UNIT_RESPONSIBLE = "{name} 作为责任单位"
QA_FILTER_UNIT_ANY = "{name} 参与（注明牵头或责任单位）"
QA_FILTER_PERIOD = "{label}到期"
QA_FILTER_SECTION = "“{name}”中"
QA_FILTER_JOIN = "、"
QA_LIST_OVERDUE_NOTE = "是否已完成请以调度情况为准。"
QA_LIST_GROUP_NOTE = "另有任务的责任单位写作“{groups}”，也可能涉及{name}，可问“{example}负责哪些任务”。"
QA_LIST_EMPTY = "方案中没有{filters}的任务。"
QA_LIST_PLAN_SPAN = "本方案的完成时限从{first}到{last}。"
QA_LIST_EMPTY_HINT = "可以问“{example}要完成哪些任务”或“某人负责哪些任务”。"
QA_REFUSE = ("方案中没有关于“{topic}”的内容，无法回答。\n"
             "可以问方案里的任务，例如：某项工作什么时候完成、由谁负责、牵头单位是谁、限值是多少，"
             "某人或某单位负责哪些任务，某月要完成哪些任务，或者“第{number}项是什么”。")
QA_REFUSE_NEAR = ("方案中没有关于“{topic}”的内容，无法回答。\n"
                  "方案里相近的是{label}“{title}”，可以问这一项的时间、责任单位或要求。")
QA_REFUSE_TOPIC_FALLBACK = "这个问题"
QA_REFUSE_AMOUNT = ("方案提到了“{topic}”，但没有写明相关的具体数字，无法回答。\n"
                    "可以问方案里写明的时限、责任单位或限值，例如“第{number}项是什么”。")
QA_REFUSE_PAST = ("本方案是{plan_year}年的工作方案，只写{plan_year}年的目标和任务，没有{year}年的目标或实际情况，无法回答。\n"
                  "可以问方案里的任务，例如：某项工作什么时候完成、由谁负责、限值是多少，或者“第{number}项是什么”。")
QA_ALSO = "也可能是指：{text}"
QA_REFUSE_FACT = "方案没有规定{kind}。最接近的内容在{label}“{title}”，可以问这一项的时间、责任单位或要求。"
QA_TOPIC_LIST = "与“{topic}”有关的任务（按编号）："
QA_CAVEAT = "（方案没有直接提到“{words}”，以上是最接近的内容。）"
QA_READ_AS = "（按“{meant}”理解“{said}”。）"
QA_EMPTY_QUESTION = "请输入要问的问题，例如：“{title}什么时候完成？”或“{person}负责哪些任务？”"
QA_EXAMPLE_PERSON = "某位责任领导"
QA_TASK_MISSING = "方案中没有第{number}项任务（共有第{first}—{last}项）。可以发送“第{first}项是什么”查看。"
QA_ASK_USAGE = "用法：planbot ask \"问题\"，或 planbot ask --batch 问题文件.jsonl"
QA_BATCH_BAD_LINE = "第{line}行不是含 q 字段的 JSON：{detail}"
QA_BATCH_UNREADABLE = "无法读取问题文件 {path}：{detail}。请检查路径，文件应为每行一个含 q 字段的 JSON。"
QA_BAD_NOW = "--now 应为 ISO 时间，例如 2023-09-15T10:00:00+08:00，实际为 {raw!r}"

# --- bot ----------------------------------------------------------------------
# Texts below are HTML (Telegram parse mode); every {field} is escaped by the caller.
BOT_COMMANDS = {  # command -> description shown by Telegram's menu (setMyCommands)
    "start": "开始使用，查看我的身份与绑定",
    "help": "查看全部命令和用法",
    "ask": "提问，例如 /ask 扬尘治理由谁牵头",
    "task": "查看某项任务，例如 /task 12",
    "tasks": "分页浏览全部任务",
    "due": "近期到期的任务，例如 /due 30",
    "overdue": "已过时限的任务",
    "mine": "我（或我单位）负责的任务",
    "whoami": "查看我的用户 ID、角色和绑定",
    "register": "申请使用权限，例如 /register 大气办 张三",
    "status": "报送任务进展，例如 /status 2 按计划推进 说明",
    "skip": "不补充刚报送进展的说明",
    "timeline": "各月时限分布图（按本周报送状态着色）",
    "reminders": "我今天的截止提醒",
}
BOT_ADMIN_COMMANDS = {
    "users": "查看用户、待审核申请和绑定",
    "bind": "绑定用户到领导或单位，例如 /bind 123456 大气办",
    "unbind": "解除绑定，例如 /unbind 123456",
    "weekly": "立即发送本周调度",
    "chase": "立即催报未报送的单位",
    "report": "本周进展报告，例如 /report 或 /report 2023-W44",
    "export": "导出进展表 xlsx，例如 /export 月",
    "reopen": "重新打开已完成的任务，例如 /reopen 12",
    "close": "直接关闭任务（视为完成），例如 /close 12 经核实已完成",
    "unreachable": "还收不到提醒的领导和单位",
    "undelivered": "今天未送达的提醒",
}
BOT_WELCOME = "您好，{name}！我是《{title}》的任务助手。\n直接发问题给我，或发送 /help 查看全部命令。"
BOT_WELCOME_STRANGER = "您好，{name}！我是大气污染防治行动方案的任务助手。"
BOT_STALE_BUTTON = "按钮已失效，请重新发送命令。"
BOT_WELCOME_NO_PLAN = "您好，{name}！我是大气污染防治行动方案的任务助手。\n发送 /help 查看全部命令。"
BOT_BOUND_TO = "您已绑定：<b>{names}</b>。提醒和进度询问会发给您。"
BOT_NOT_BOUND = "您还没有绑定到方案中的领导或单位；如需接收提醒，请联系督查室管理员绑定。"
BOT_INVITE_OK = "邀请链接已生效：您已绑定到 <b>{name}</b>。"
BOT_INVITE_BAD = "这个邀请链接无效或已被使用。请联系督查室管理员重新获取，或发送 /register 姓名或单位 申请权限。"
BOT_HELP = (
    "<b>可用命令</b>\n"
    "直接发送问题，或 /ask 问题 — 根据方案原文回答\n"
    "/task 编号 — 任务详情（原文、时限、责任）\n"
    "/tasks — 分页浏览全部任务\n"
    "/due [天数] — 今后若干天内到期的任务（默认 {days} 天）\n"
    "/overdue — 已过时限、尚未报告完成的任务\n"
    "/mine — 我（或我单位）负责的任务\n"
    "/whoami — 我的用户 ID、角色和绑定\n"
    "/reminders — 我今天的截止提醒\n"
    "/status 任务编号 状态 [说明] — 报送进展（状态：已完成、按计划推进、滞后、需协调）\n"
    "/timeline — 各月时限分布图"
)
BOT_HELP_ADMIN = (
    "\n\n<b>管理员命令</b>\n"
    "/users — 用户、待审核申请和绑定\n"
    "/bind 用户ID 名称 — 把用户绑定到方案中的领导或单位\n"
    "/unbind 用户ID [名称] — 解除绑定\n"
    "/weekly — 立即发送本周调度；/chase — 催报未报送的单位\n"
    "/report [周|月|季] — 进展报告；/export [周|月|季] — 导出 xlsx\n"
    "/reopen 编号 — 重新打开已完成的任务\n"
    "/close 编号 说明 — 直接关闭任务（视为完成）\n"
    "/unreachable — 还收不到提醒的对象；/undelivered — 今天未送达的提醒"
)
BOT_HELP_GROUP = "\n\n在群里请用命令，或 @{username} 加问题。"
BOT_HELP_STRANGER = "您还没有使用权限。请发送 /register 姓名或单位 申请，例如：/register 大气办 张三"
BOT_NO_ACCESS = "您好，您还没有使用本助手的权限。\n请发送 /register 姓名或单位 申请，例如：/register 大气办 张三\n管理员审核通过后即可使用。"
BOT_ADMIN_ONLY = "此命令仅限督查室管理员使用。发送 /help 查看您可用的命令。"
BOT_REGISTER_USAGE = "用法：/register 姓名或单位，例如 /register 大气办 张三"
BOT_REGISTER_SENT = "已收到您的申请（{name}），已通知管理员审核，通过后会通知您。"
BOT_REGISTER_PENDING = "您的申请（{name}）正在等待管理员审核，请耐心等待。"
BOT_REGISTER_ALREADY = "您已有使用权限，无需申请。发送 /help 查看命令。"
BOT_REGISTER_NO_ADMIN = "已记录您的申请（{name}），但目前没有配置管理员，请直接联系督查室。"
BOT_REGISTER_NOTICE = "新的使用申请：\n用户：{user}（ID <code>{user_id}</code>）\n自报：<b>{name}</b>"
BOT_BUTTON_APPROVE = "批准"
BOT_BUTTON_APPROVE_BIND = "批准并绑定到 {name}"
BOT_BUTTON_REJECT = "拒绝"
BOT_APPROVED_ADMIN = "✅ 已由 {admin} 批准：{user}（ID <code>{user_id}</code>，{name}）"
BOT_APPROVED_BOUND_ADMIN = "✅ 已由 {admin} 批准并绑定到 <b>{name}</b>：{user}（ID <code>{user_id}</code>）"
BOT_REJECTED_ADMIN = "❌ 已由 {admin} 拒绝：{user}（ID <code>{user_id}</code>，{name}）"
BOT_APPROVED_USER = "您的申请已通过，现在可以使用了。直接发送问题，或发送 /help 查看命令。"
BOT_APPROVED_BOUND_USER = "您的申请已通过，并已绑定到 <b>{name}</b>。直接发送问题，或发送 /help 查看命令。"
BOT_REJECTED_USER = "抱歉，您的使用申请未获通过。如有疑问请联系督查室。"
BOT_REQUEST_GONE = "这条申请已不存在或已处理过。发送 /users 查看当前用户。"
BOT_BIND_USAGE = "用法：/bind 用户ID 名称，例如 /bind 123456 大气办（名称须是方案中的责任领导或单位）"
BOT_BIND_UNKNOWN = "方案中没有“{name}”。{hint}可用名称：\n{names}"
BOT_BIND_HINT = "您是不是要找：{close}？"
BOT_BIND_OK = "已把用户 <code>{user_id}</code> 绑定到 <b>{name}</b>。"
BOT_BIND_EXISTS = "用户 <code>{user_id}</code> 已绑定到 <b>{name}</b>，无需重复绑定。"
BOT_BIND_NOTICE = "管理员已把您绑定到 <b>{name}</b>：相关提醒和进度询问会发给您。发送 /mine 查看您的任务。"
BOT_UNBIND_USAGE = "用法：/unbind 用户ID [名称]，例如 /unbind 123456 或 /unbind 123456 大气办"
BOT_UNBIND_OK = "已解除用户 <code>{user_id}</code> 的 {count} 个绑定。"
BOT_UNBIND_NONE = "用户 <code>{user_id}</code> 没有{what}绑定。发送 /users 查看全部绑定。"
BOT_USER_ID_BAD = "用户 ID 应为数字：“{value}”。用户可发送 /whoami 查看自己的 ID。"
BOT_USERS_HEADER = "<b>用户与绑定</b>"
BOT_USERS_ADMINS = "管理员：{ids}"
BOT_USERS_ALLOWED = "预授权用户：{ids}"
BOT_USERS_SECTION = "\n<b>{label}</b>（{count}）"
BOT_USERS_LINE = "• <code>{user_id}</code> {name}{registered}{bound}"
BOT_USERS_EMPTY = "暂无"
BOT_STATUS_LABELS = {"pending": "待审核", "approved": "已批准", "rejected": "已拒绝"}
BOT_USERS_BINDINGS = "\n<b>绑定</b>（{count}）"
BOT_USERS_BINDING_LINE = "• {name} ← <code>{user_id}</code>"
BOT_WHOAMI = "用户 ID：<code>{user_id}</code>\n角色：{role}\n绑定：{names}"
BOT_ROLE_LABELS = {"admin": "管理员（督查室）", "staff": "工作人员", "pending": "待审核", "stranger": "未授权"}
BOT_ASK_USAGE = "请在 /ask 后写上问题，例如：/ask 扬尘治理由谁牵头？"
BOT_QA_LOADING_FAILED = "问答引擎暂时不可用：{detail}\n您仍可以用 /task 编号、/tasks、/due 浏览任务。"
BOT_TASK_BUTTON = "第{number}项"
BOT_TASK_USAGE = "用法：/task 编号，例如 /task 12（共 {count} 项，编号 {first}–{last}）"
BOT_TASK_NOT_FOUND = "没有第 {number} 项任务。本方案共 {count} 项，编号 {first}–{last}；发送 /tasks 浏览全部任务。"
BOT_TASK_TITLE = "<b>第 {number} 项　{title}</b>"
BOT_TASK_SECTION = "<i>{section}</i>"
BOT_TASK_DUE_LINE = "⏰ {deadlines}"
BOT_DEADLINE_NEXT = "下一时限：{date}{more}"
BOT_DEADLINE_MORE = "（另有 {count} 个节点）"
BOT_DEADLINE_PASSED = "时限：{date}（已过）"
BOT_DEADLINE_PERIOD = "实施期间：{text}（{start}至{end}）"
BOT_TASK_NUMBER_BAD = "没有第 {raw} 项任务。本方案共 {count} 项，编号 {first}–{last}；发送 /tasks 浏览全部任务。"
BOT_BUTTON_TEXT = "原文"
BOT_BUTTON_DEADLINES = "时限"
BOT_BUTTON_RESPONSIBILITY = "责任"
BOT_TASK_NO_DEADLINE = "本项没有明确时限（常态化推进）。"
BOT_TASKS_HEADER = "<b>《{title}》共 {count} 项任务</b>（第 {page}/{pages} 页）"
BOT_TASKS_LINE = "{number}. {title}{due}"
BOT_TASKS_LINE_DUE = "（{date}）"
BOT_BUTTON_PREV = "◀ 上一页"
BOT_BUTTON_NEXT = "下一页 ▶"
BOT_DUE_USAGE = "用法：/due [天数]，天数为 1–366 的整数，例如 /due 30（默认 {days} 天）"
BOT_DUE_HEADER = "<b>今后 {days} 天内到期的任务</b>（{start}—{end}，共 {count} 项）"
BOT_DUE_NONE = "今后 {days} 天内（{start}—{end}）没有到期的任务。可以试试更长的时间，例如 /due 60"
BOT_DUE_LINE = "• {date}　第{number}项 {title}（{days_left}）"
BOT_DAYS_LEFT = "还有 {days} 天"
BOT_DAYS_TODAY = "今天到期"
BOT_OVERDUE_HEADER = "<b>已过时限、尚未报告完成的任务</b>（截至 {today}，共 {count} 项）"
BOT_OVERDUE_NONE = "截至 {today}，没有已过时限而未报告完成的任务。"
BOT_OVERDUE_LINE = "• 第{number}项 {title}：{date} 已过 {days} 天｜牵头：{lead}"
BOT_MINE_UNBOUND = "您还没有绑定到方案中的领导或单位。请联系督查室管理员绑定（管理员命令：/bind {user_id} 名称）。"
BOT_MINE_HEADER = "<b>{names} 负责的任务</b>（共 {count} 项）"
BOT_MINE_NONE = "方案中没有 {names} 负责的任务。如绑定有误，请联系管理员重新绑定。"
BOT_MINE_LINE = "• 第{number}项 {title}（{role}）{due}"
BOT_MINE_ROLES = {"leader": "责任领导", "lead": "牵头", "unit": "责任单位"}
BOT_TOKEN_MISSING = "没有设置 TELEGRAM_BOT_TOKEN，启动控制台对话。"
BOT_TOKEN_MALFORMED = "TELEGRAM_BOT_TOKEN 格式不对（应形如 123456789:AAE…，由 @BotFather 提供）。请检查 .env 或环境变量后重试。"
BOT_TOKEN_REJECTED = "Telegram 拒绝了这个 TELEGRAM_BOT_TOKEN（无效或已被撤销）。请向 @BotFather 获取新的令牌后重试。"
BOT_NETWORK_DOWN = "无法连接 Telegram 服务器（{url}）：{detail}\n请检查网络或 TELEGRAM_BASE_URL 设置后重试。"
BOT_INDEXING = "数据目录中还没有方案，正在导入 {path} ……"
BOT_CONSOLE_BANNER = (
    "planbot 控制台对话（以管理员身份，用户 ID {user_id}）。\n"
    "输入问题或命令（如 /help、/task 12）；出现 [1] [2] 按钮时输入数字即可点按；输入 exit 或按 Ctrl-D 退出。"
)
BOT_CONSOLE_BYE = "再见。"
BOT_CONSOLE_EDITED = "（消息已更新）"
BOT_CONSOLE_FILE = "[文件] {path}"
BOT_CONSOLE_BUTTON_GONE = "没有编号为 {number} 的按钮。"
BOT_CONSOLE_REPLY_BOX = "（请直接输入回复，下一行将作为对这条消息的回复发送）"
BOT_UNKNOWN_COMMAND = "没有 /{command} 这个命令。发送 /help 查看可用命令；直接发送文字即可提问。"

# --- reminders / directory --------------------------------------------------------
REMINDER_HEADER = "⏰ <b>任务提醒</b>（{day}）\n以下 {count} 项任务需要关注："
REMINDER_LINE = "{mark} <b>第{task}项</b> {title}\n    截止：{due}，{when}"
REMINDER_LINE_FOR = "\n    提醒对象：{recipients}"
REMINDER_WHEN_BEFORE = "还有 {days} 天"
REMINDER_WHEN_DUE = "今天到期"
REMINDER_WHEN_OVERDUE = "已逾期 {days} 天"
REMINDER_MORE = "……另有 {count} 项，请发送 /reminders 查看全部。"
REMINDER_FOOTER = "完成后请点“报送进展”报送；点“查看任务”看任务全文。"
REMINDER_BUTTON_VIEW = "查看任务 {task}"
REMINDER_BUTTON_REPORT = "报送进展 {task}"
REMINDER_NONE_TODAY = "今天（{day}）没有需要发送的任务提醒。"
REMINDER_TODAY_HEADER = "今天（{day}）的任务提醒共 {count} 条："
REMINDER_TODAY_LINE = "• {recipient}：第{task}项（{kind}，截止 {due}）"
REMINDER_KIND_NAMES = {"before": "提前提醒", "due": "到期提醒", "overdue": "逾期提醒"}
DIGEST_HEADER = "📋 <b>未送达提醒汇总</b>（{day}）"
DIGEST_NO_BINDING = "• {recipient}：未登记 Telegram 账号（第{tasks}项）。请运行 planbot directory import 或发送邀请链接。"
DIGEST_FAILED = "• 用户 {chat_id}：发送失败（{error}），涉及第{tasks}项。请联系本人先向机器人发送 /start。"
DIGEST_PENDING = "• 用户 {chat_id}：仍在重试（已尝试 {attempts} 次），涉及第{tasks}项。"
DIGEST_EMPTY = "✅ {day} 的提醒全部送达。"
UNREACHABLE_NO_BINDING = "未登记 Telegram 账号"
UNREACHABLE_NOT_STARTED = "已登记但从未启动机器人"
UNREACHABLE_HEADER = "暂时无法送达的对象（{count} 个）："
UNREACHABLE_LINE = "• {name}：{reason}{ids}"
UNREACHABLE_NONE = "所有提醒对象都已可送达。"
UNREACHABLE_HINT = "可运行 planbot directory invite 生成邀请链接，请本人点击链接启动机器人。"
DIRECTORY_FILE_MISSING = "找不到通讯录文件：{path}。请检查路径后重试。"
DIRECTORY_FILE_TYPE = "不支持的通讯录文件类型：{path}。请使用 .csv 或 .xlsx 文件（列：name,telegram_id[,group]）。"
DIRECTORY_FILE_UNREADABLE = "无法读取通讯录文件 {path}：{detail}。请另存为 UTF-8 编码的 CSV 或 .xlsx 后重试。"
DIRECTORY_EMPTY = "通讯录文件是空的。请至少包含表头 name,telegram_id 和一行数据。"
DIRECTORY_HEADER = "通讯录表头应包含 name 和 telegram_id 两列（可选 group），实际为：{header}"
DIRECTORY_ROW_NO_NAME = "第{line}行：缺少名称，已跳过。请补上领导姓名或单位名称。"
DIRECTORY_ROW_BAD_ID = "第{line}行：Telegram ID “{value}” 不是数字，已跳过。请填写数字 ID。"
DIRECTORY_IMPORTED = "已绑定 {bound} 个账号（{already} 个原已绑定），登记分组成员 {members} 个。"
DIRECTORY_UNKNOWN = "以下名称不在方案台账中，未导入（请按台账写法修改后重新导入）：{names}"
DIRECTORY_UNKNOWN_GROUPS = "以下分组名称不在方案台账中，已忽略：{names}"
DIRECTORY_LIST_EMPTY = "通讯录为空。请运行 planbot directory import 文件.csv 导入。"
DIRECTORY_INVITE_LINE = "{name}：{link}"
DIRECTORY_INVITE_UNKNOWN = ("以下名称不在方案台账或通讯录分组中，未生成邀请（请按台账写法填写，"
                            "可运行 planbot tasks 查看）：{names}")
DIRECTORY_NOT_IN_PLAN = ("以下已绑定的名称不在方案《{title}》的台账中，收不到该方案的提醒"
                         "（新方案改了写法？请按台账写法重新导入通讯录）：{names}")
REMINDERS_USAGE = "用法：planbot reminders --on YYYY-MM-DD [--json]，例如 planbot reminders --on 2023-10-24"
DIRECTORY_ENCODING_UNKNOWN = "编码无法识别（请另存为 UTF-8 或 GBK 编码的 CSV，或 .xlsx）"
REMINDERS_BAD_DATE = "日期格式不对：{value}。请写成 YYYY-MM-DD，例如 2023-10-24。"

# --- supervision (周调度 · 月汇总 · 季考核) -------------------------------------------
SV_ROUND_LABEL = "{year}年第{week}周（{start:%m月%d日}—{end:%m月%d日}）"
SV_STATUS_LIST = "已完成、按计划推进、滞后、需协调"
SV_ROUND_HEADER = "📋 <b>{round_label} 周调度</b>\n{unit}：请报送以下任务的本周进展（点按钮选状态，之后可补一句说明）。"
SV_ROUND_PART = "（第 {part}/{parts} 页）"
SV_ROUND_TASK = "<b>{number}. {title}</b>\n　时限：{due}　上次状态：{last}"
SV_NO_DUE = "无明确时限"
SV_DUE_MORE = "（另有 {count} 个节点）"
SV_DUE_PERIOD = "实施期间：{text}"
SV_ROUND_TASK_DONE = "<b>{number}. {title}</b>\n　本周已报送：{status}"
SV_ROUND_ALL_ANSWERED = "本页任务本周均已报送，谢谢！如需更正，可再次发送 /status 任务编号 状态。"
SV_PLAN_ENDED = ("ℹ️ 《{title}》的最后一个时限（{last}）已过去 {days} 天以上，自动提醒已停止。"
                 "逾期情况仍可用 /overdue 和 /report 查看；如有新方案，请导入后再启用提醒。")
SV_LEADER_DIGEST_HEADER = ("📊 <b>{round_label} 周调度 · {leader} 分管任务</b>\n"
                           "共 {total} 项，已完成 {done} 项；未完成任务本周各牵头单位报送情况：")
SV_LEADER_DIGEST_LINE = "• {number}. {title}：{units}"
SV_CARD_HEADER = "<b>进展</b>（以各牵头单位最近一次报送为准）"
SV_CARD_UNIT = "• {unit}：{status}"
SV_CARD_LEADER = "• 领导意见（{leader}）：{status}{note}"
SV_CARD_CLOSED = "✅ 已由管理员关闭（视为完成）：{note}"
SV_CARD_COMPLETE = "✅ 各牵头单位均已报「已完成」，任务已完成。"
SV_CLOSE_USAGE = "用法：/close 任务编号 说明，例如 /close 12 经督查核实已完成（管理员用于直接关闭任务）"
SV_CLOSE_ALREADY = "任务 {number} 已是完成状态，无需关闭。"
SV_CLOSED = "任务 {number} 已关闭（视为完成）：不再提醒、不再调度。说明：{note}"
SV_SAVED_LEADER = "✅ 已记录领导意见：任务 {number}「{title}」— {status}（{unit}，{round_label}）。领导意见不改变任务完成状态。"
SV_ASK_NOTE_PROMPT = "请回复本条消息补充任务 {number} 的进展说明（不超过 {limit} 字）；不需要说明请点“跳过说明”。"
SV_ASK_REASON_PROMPT = "请回复本条消息说明任务 {number} 滞后原因或需协调事项（不超过 {limit} 字）；不需要请点“跳过说明”。"
SV_NOTE_TOO_LONG = "说明共 {length} 字，超过 {limit} 字的上限，未保存。请精简后再回复该提示消息。"
SV_NOTE_PLACEHOLDER = "进展说明"
SV_REPORT_LEADERS = "<b>领导意见</b>（不改变任务完成状态）"
SV_REPORT_LEADER_LINE = "• {number}. {title} — {comment}"
SV_DETAIL_LEADER = "领导意见"
SV_ROLE_LEADER = "领导"
SV_NO_STATUS = "尚未报送"
SV_ROUND_HINT = "也可发送文字：/status 任务编号 状态 [说明]，例如 /status {example} 按计划推进 已完成现场核查"
SV_BUTTON = "{number}·{status}"
SV_SKIP_BUTTON = "跳过说明"
SV_CHOOSE = "任务 {number}「{title}」本周进展如何？请选择状态："
SV_SAVED = "✅ 已记录：任务 {number}「{title}」— {status}（{unit}，{round_label}）。"
SV_SAVED_ON_BEHALF = "✅ 已代 {unit} 记录：任务 {number}「{title}」— {status}（{round_label}）。"
SV_ASK_NOTE = "如需补充进展说明，请回复下方的提示消息；不需要请点“跳过说明”。"
SV_ASK_REASON = "请回复下方的提示消息说明滞后原因或需协调事项；不需要请点“跳过说明”。"
SV_NOTE_SAVED = "说明已保存。本轮（本周）截止前可随时更正，以最后一次为准。"
SV_NOTE_SKIPPED = "好的，不补充说明。本轮（本周）截止前可随时更正，以最后一次为准。"
SV_NOTHING_TO_SKIP = "当前没有待补充的说明。报送进展：/status 任务编号 状态 [说明]"
SV_USAGE = ("用法：/status 任务编号 状态 [说明]，例如 /status 2 按计划推进 已完成保留橡胶企业现场核查\n"
            "状态可选：已完成、按计划推进、滞后、需协调\n"
            "管理员代报有多个牵头单位的任务时加 @单位名，例如 /status 6 已完成 @大气办")
SV_BAD_NUMBER = "任务编号应为数字，本方案的编号范围是 {first}—{last}。\n" + SV_USAGE
SV_NO_TASK = "方案中没有第 {number} 项任务，编号范围是 {first}—{last}。发送 /mine 查看您负责的任务。"
SV_UNKNOWN_STATUS = ("无法识别状态「{status}」。可选状态：已完成、按计划推进、滞后、需协调。"
                     "例如 /status {number} 按计划推进 说明")
SV_NOT_YOURS = "任务 {number} 的牵头/责任单位不包括您绑定的「{names}」，不能报送。您可报送的任务：{tasks}"
SV_NONE = "无"
SV_NOT_BOUND = "您尚未绑定任何单位，无法报送进展。请联系督查室管理员用 /bind 用户ID 单位名称 绑定。"
SV_WHICH_LEAD = ("任务 {number}「{title}」有多个牵头单位：{units}。请选择代哪个单位报送（点下方按钮），"
                 "或发送 /status {number} 状态 @单位名。")
SV_WHICH_LEAD_UNKNOWN = "任务 {number} 的牵头单位中没有唯一匹配「{unit}」的单位。牵头单位：{units}。请发送 /status {number} 状态 @单位名。"
SV_NO_LEAD = "任务 {number} 没有牵头单位，无法代报。请由责任单位报送。"
SV_STALE_ALERT = "按钮已失效，未记录任何内容。请发送 /status 任务编号 状态 报送进展。"
SV_STALE_BUTTON = "该按钮已失效。请发送 /status 任务编号 状态 [说明] 报送进展。"
SV_REOPEN_USAGE = "用法：/reopen 任务编号，例如 /reopen 12（管理员用于重新打开已报「已完成」的任务）"
SV_REOPENED = "任务 {number} 已重新打开：逾期提醒和周调度将恢复。"
SV_REOPEN_NOT_DONE = "任务 {number} 当前不是「已完成」状态，无需重新打开。"
SV_WEEKLY_SENT = "{round_label} 周调度已发出：本次 {sent} 条，覆盖 {units} 个牵头单位。"
SV_CHASE_SENT = "{round_label} 催报已发出：本次 {sent} 条，{units} 个单位尚未报送："
SV_CHASE_UNIT = "· {unit}：第 {tasks} 项"
SV_CHASE_UNREACHABLE = "（未绑定 Telegram 用户，无法送达）"
SV_CHASE_NONE = "{round_label} 没有需要催报的单位：本轮已发出的任务都已报送。"
SV_WEEKLY_ALREADY = "（{already} 条此前已发送，不重复发送。）"
SV_WEEKLY_UNREACHABLE = ("以下牵头单位没有绑定的 Telegram 用户，无法送达：{units}。"
                         "可用 planbot directory import 或 /bind 绑定。")
SV_WEEKLY_FAILED = "发送失败 {count} 条（下次调度时重试）：{units}"
SV_CHASE = ("⏰ <b>催报</b>：{unit}，{round_label} 周调度尚未收到您的进展报送，"
            "请点下方按钮或发送 /status 任务编号 状态 [说明]。")
SV_DIGEST_HEADER = "📊 <b>{round_label} 周调度情况</b>（截至 {at}）"
SV_DIGEST_REPLIED = "已报送（{count}）：{units}"
SV_DIGEST_MISSING = "未报送（{count}）：{units}"
SV_MONTHLY_READY = ("📅 <b>{label} 月度汇总</b>已生成（供每月1日报送月工作进展），见附件。\n"
                    "状态变化 {changes} 项 · 逾期任务 {overdue} 项 · 未回复调度 {unanswered} 条")
SV_PERIOD_WEEK = "{year}年第{week}周（{start:%m月%d日}—{end:%m月%d日}）"
SV_PERIOD_MONTH = "{year}年{month}月"
SV_PERIOD_QUARTER = "{year}年第{quarter}季度"
SV_PERIOD_BAD = "无法识别期间「{text}」。周：2023-W44 或日期 2023-10-30；月：2023-10；季：2023-Q4。"
SV_REPORT_USAGE = "用法：/report [周|月|季] [期间]，例如 /report、/report 2023-W44 或 /report 月 2023-10"
SV_EXPORT_USAGE = "用法：/export [周|月|季] [期间]，例如 /export 月 或 /export 季 2023-Q4"
SV_REPORT_HEADER = "<b>{title}</b>\n{label} 进展报告"
SV_REPORT_TOTALS = "合计：已完成 {done} · 按计划推进 {ok} · 滞后 {late} · 需协调 {help} · 未报送 {none}"
SV_REPORT_LAGGING = "⚠️ <b>滞后 / 需协调</b>"
SV_REPORT_LAGGING_LINE = "• {number}. {title}（{unit}）— {status}{note}"
SV_REPORT_BY_UNIT = "<b>按单位</b>"
SV_REPORT_UNIT_LINE = "▪ <b>{unit}</b>：已完成 {done} · 推进 {ok} · 滞后 {late} · 需协调 {help} · 未报送 {none}"
SV_REPORT_ROW = "　{number}. {title} — {status}{note}"
SV_REPORT_SILENT = "　未报送任务：{tasks}"
SV_REPORT_OVERDUE = "⏳ 逾期未完成：{tasks}"
SV_REPORT_UNANSWERED = "📭 未回复的调度：{items}"
SV_REPORT_CHANGES = "🔁 本期状态变化：{items}"
SV_EXPORT_CAPTION = "{title}\n{label} 进展表（{rows} 行）"
SV_TIMELINE_CAPTION = "{title}：各月时限分布（颜色为{label}报送状态）"
SV_TIMELINE_TITLE = "{title}\n各月时限分布 · {label}状态"
SV_TIMELINE_XLABEL = "时限所在月份"
SV_TIMELINE_YLABEL = "任务数"
SV_TIMELINE_EMPTY = "方案中没有带明确日期的时限"
SV_MONTH = "{month}月"
SV_MONTH_WITH_YEAR = "{year}年{month}月"
SV_ROLE_LEAD = "牵头"
SV_ROLE_UNIT = "责任"
SV_YES = "是"
SV_NO = "否"
SV_SHEET_DETAIL = "明细"
SV_SHEET_SUMMARY = "汇总"
SV_SHEET_ISSUES = "逾期与未回复"
SV_SHEET_TIMELINE = "时间轴"
SV_DETAIL_HEADERS = ("任务编号", "任务名称", "所属领域", "责任领导", "单位", "角色", "状态", "进展说明",
                     "原因/需协调事项", "报送人", "报送时间", "时限", "下一时限", "是否逾期", "本期状态变化", "领导意见")
SV_SUMMARY_HEADERS = ("单位", "已完成", "按计划推进", "滞后", "需协调", "未报送", "合计", "滞后/需协调任务")
SV_ISSUES_HEADERS = ("类别", "轮次/任务", "单位", "任务")
SV_ISSUE_OVERDUE = "逾期未完成"
SV_ISSUE_UNANSWERED = "调度未回复"
SV_SUMMARY_TITLE = "{title} — {label} 进展汇总（生成于 {at}）"
SV_CLI_WRITTEN = "已写入 {path}（{rows} 行）"
SV_CLI_BAD_KIND = "报告类型应为 weekly、monthly 或 quarterly"

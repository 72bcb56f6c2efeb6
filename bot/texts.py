"""Texts of the Telegram bot: commands, access, task views, the console (Telegram HTML templates).

Every str text is a Template: render(...) fills it for Telegram HTML escaping each field, plain(...) for the
command line. Add your feature's texts here, beside the feature.
"""

from __future__ import annotations

from dataclasses import dataclass

from planbot.render import Template
from supervision.statuses import WORD_LIST

GENERIC_ERROR = Template("抱歉，处理这条消息时出错了，已记录。请稍后再试，或发送 /help 查看用法。")
# Texts below are HTML (Telegram parse mode); every {field} is escaped by the caller.
@dataclass(frozen=True)
class Command:
    """One bot command: its menu entry (setMyCommands) and its /help line; `admin`: shown to admins only."""

    name: str
    menu: str  # Telegram's command menu
    help: str = ""  # the /help line ("" keeps it out of /help)
    usage: str = ""  # arguments as /help shows them
    admin: bool = False
    lead: str = ""  # words before the command in /help


COMMANDS: tuple[Command, ...] = (
    Command("start", "开始使用，查看我的身份与绑定"),
    Command("help", "查看全部命令和用法"),
    Command("ask", "提问，例如 /ask 扬尘治理由谁牵头", "根据方案原文回答", "问题", lead="直接发送问题，或 "),
    Command("task", "查看某项任务，例如 /task 12", "任务详情（原文、时限、责任）", "编号"),
    Command("tasks", "分页浏览全部任务", "分页浏览全部任务"),
    Command("due", "近期到期的任务，例如 /due 30", "今后若干天内到期的任务（默认 {days} 天）", "[天数]"),
    Command("overdue", "已过时限的任务", "已过时限、尚未报告完成的任务"),
    Command("mine", "我（或我单位）负责的任务", "我（或我单位）负责的任务"),
    Command("whoami", "查看我的用户 ID、角色和绑定", "我的用户 ID、角色和绑定"),
    Command("register", "申请使用权限，例如 /register 大气办 张三"),
    Command("status", "报送任务进展，例如 /status 2 按计划推进 说明", f"报送进展（状态：{WORD_LIST}）",
            "任务编号 状态 [说明]"),
    Command("skip", "不补充刚报送进展的说明"),
    Command("timeline", "各月时限分布图（按本周报送状态着色）", "各月时限分布图"),
    Command("reminders", "我今天的截止提醒", "我今天的截止提醒"),
    Command("users", "查看用户、待审核申请和绑定", "用户、待审核申请和绑定", admin=True),
    Command("bind", "绑定用户到领导或单位，例如 /bind 123456 大气办", "把用户绑定到方案中的领导或单位", "用户ID 名称",
            admin=True),
    Command("unbind", "解除绑定，例如 /unbind 123456", "解除绑定", "用户ID [名称]", admin=True),
    Command("weekly", "立即发送本周调度", "立即发送本周调度（方案已结束时需加“确认”）", "[确认]", admin=True),
    Command("chase", "立即催报未报送的单位", "催报未报送的单位", admin=True),
    Command("report", "本周进展报告，例如 /report 或 /report 2023-W44", "进展报告", "[周|月|季]", admin=True),
    Command("export", "导出进展表 xlsx，例如 /export 月", "导出 xlsx", "[周|月|季]", admin=True),
    Command("reopen", "重新打开已完成的任务，例如 /reopen 12", "重新打开已完成的任务", "编号", admin=True),
    Command("close", "直接关闭任务（视为完成），例如 /close 12 经核实已完成", "直接关闭任务（视为完成）", "编号 说明",
            admin=True),
    Command("unreachable", "还收不到提醒的领导和单位", "还收不到提醒的对象", admin=True),
    Command("undelivered", "今天未送达的提醒", "今天未送达的提醒", admin=True),
    Command("web", "督查台网页链接（/web revoke 作废全部链接）", "督查台网页链接（revoke：作废已发出的全部链接）", "[revoke]",
            admin=True),
    Command("unanswered", "本周未答好的问题（可对应任务或添加别名）",
            "本周被拒答或把握不大的问题，可一键对应任务或添加别名", admin=True),
    Command("alias", "添加俗称，例如 /alias 电车 新能源车", "让问答把日常说法理解为方案用语", "俗称 方案用语",
            admin=True),
)
BOT_COMMANDS = {c.name: c.menu for c in COMMANDS if not c.admin}  # command -> menu description
BOT_ADMIN_COMMANDS = {c.name: c.menu for c in COMMANDS if c.admin}


def _help_lines(admin: bool) -> str:
    return "\n".join(f"{c.lead}/{c.name}{' ' + c.usage if c.usage else ''} — {c.help}"
                     for c in COMMANDS if c.help and c.admin == admin)


BOT_WELCOME = Template("您好，{name}！我是《{title}》的任务助手。\n直接发问题给我，或发送 /help 查看全部命令。")
BOT_WELCOME_STRANGER = Template("您好，{name}！我是大气污染防治行动方案的任务助手。")
BOT_STALE_BUTTON = Template("按钮已失效，请重新发送命令。")
BOT_WELCOME_NO_PLAN = Template("您好，{name}！我是大气污染防治行动方案的任务助手。\n发送 /help 查看全部命令。")
BOT_BOUND_TO = Template("您已绑定：<b>{names}</b>。提醒和进度询问会发给您。")
BOT_NOT_BOUND = Template("您还没有绑定到方案中的领导或单位；如需接收提醒，请联系督查室管理员绑定。")
BOT_INVITE_OK = Template("邀请链接已生效：您已绑定到 <b>{name}</b>。")
BOT_INVITE_BAD = Template("这个邀请链接无效或已被使用。请联系督查室管理员重新获取，或发送 /register 姓名或单位 申请权限。")
BOT_HELP = Template("<b>可用命令</b>\n" + _help_lines(admin=False))
BOT_HELP_ADMIN = Template("\n\n<b>管理员命令</b>\n" + _help_lines(admin=True))
BOT_HELP_GROUP = Template("\n\n在群里请用命令，或 @{username} 加问题。")
BOT_HELP_STRANGER = Template("您还没有使用权限。请发送 /register 姓名或单位 申请，例如：/register 大气办 张三")
BOT_NO_ACCESS = Template("您好，您还没有使用本助手的权限。\n请发送 /register 姓名或单位 申请，例如：/register 大气办 张三\n管理员审核通过后即可使用。")
BOT_ADMIN_ONLY = Template("此命令仅限督查室管理员使用。发送 /help 查看您可用的命令。")
BOT_REGISTER_USAGE = Template("用法：/register 姓名或单位，例如 /register 大气办 张三")
BOT_REGISTER_SENT = Template("已收到您的申请（{name}），已通知管理员审核，通过后会通知您。")
BOT_REGISTER_PENDING = Template("您的申请（{name}）正在等待管理员审核，请耐心等待。")
BOT_REGISTER_ALREADY = Template("您已有使用权限，无需申请。发送 /help 查看命令。")
BOT_REGISTER_NO_ADMIN = Template("已记录您的申请（{name}），但目前没有配置管理员，请直接联系督查室。")
BOT_REGISTER_NOTICE = Template("新的使用申请：\n用户：{user}（ID <code>{user_id}</code>）\n自报：<b>{name}</b>")
BOT_BUTTON_APPROVE = Template("批准")
BOT_BUTTON_APPROVE_BIND = Template("批准并绑定到 {name}")
BOT_BUTTON_REJECT = Template("拒绝")
BOT_APPROVED_ADMIN = Template("✅ 已由 {admin} 批准：{user}（ID <code>{user_id}</code>，{name}）")
BOT_APPROVED_BOUND_ADMIN = Template("✅ 已由 {admin} 批准并绑定到 <b>{name}</b>：{user}（ID <code>{user_id}</code>）")
BOT_REJECTED_ADMIN = Template("❌ 已由 {admin} 拒绝：{user}（ID <code>{user_id}</code>，{name}）")
BOT_APPROVED_USER = Template("您的申请已通过，现在可以使用了。直接发送问题，或发送 /help 查看命令。")
BOT_APPROVED_BOUND_USER = Template("您的申请已通过，并已绑定到 <b>{name}</b>。直接发送问题，或发送 /help 查看命令。")
BOT_REJECTED_USER = Template("抱歉，您的使用申请未获通过。如有疑问请联系督查室。")
BOT_REQUEST_GONE = Template("这条申请已不存在或已处理过。发送 /users 查看当前用户。")
BOT_BIND_USAGE = Template("用法：/bind 用户ID 名称，例如 /bind 123456 大气办（名称须是方案中的责任领导或单位）")
BOT_BIND_UNKNOWN = Template("方案中没有“{name}”。{hint}可用名称：\n{names}")
BOT_BIND_HINT = Template("您是不是要找：{close}？")
BOT_BIND_OK = Template("已把用户 <code>{user_id}</code> 绑定到 <b>{name}</b>。")
BOT_BIND_EXISTS = Template("用户 <code>{user_id}</code> 已绑定到 <b>{name}</b>，无需重复绑定。")
BOT_BIND_NOTICE = Template("管理员已把您绑定到 <b>{name}</b>：相关提醒和进度询问会发给您。发送 /mine 查看您的任务。")
BOT_UNBIND_USAGE = Template("用法：/unbind 用户ID [名称]，例如 /unbind 123456 或 /unbind 123456 大气办")
BOT_UNBIND_OK = Template("已解除用户 <code>{user_id}</code> 的 {count} 个绑定。")
BOT_UNBIND_WHAT = Template("“{name}”的")
BOT_UNBIND_NONE = Template("用户 <code>{user_id}</code> 没有{what}绑定。发送 /users 查看全部绑定。")
BOT_USER_ID_BAD = Template("用户 ID 应为数字：“{value}”。用户可发送 /whoami 查看自己的 ID。")
BOT_USERS_HEADER = Template("<b>用户与绑定</b>")
BOT_USERS_ADMINS = Template("管理员：{ids}")
BOT_USERS_ALLOWED = Template("预授权用户：{ids}")
BOT_USERS_SECTION = Template("\n<b>{label}</b>（{count}）")
BOT_CODE = Template("<code>{value}</code>")
BOT_USERS_REGISTERED = Template("（{name}）")
BOT_USERS_BOUND = Template(" → {names}")
BOT_USERS_LINE = Template("• <code>{user_id}</code> {name}{registered}{bound}")
BOT_USERS_EMPTY = Template("暂无")
BOT_STATUS_LABELS = {"pending": "待审核", "approved": "已批准", "rejected": "已拒绝"}
BOT_USERS_BINDINGS = Template("\n<b>绑定</b>（{count}）")
BOT_USERS_BINDING_LINE = Template("• {name} ← <code>{user_id}</code>")
BOT_WHOAMI = Template("用户 ID：<code>{user_id}</code>\n角色：{role}\n绑定：{names}")
BOT_ROLE_LABELS = {"admin": "管理员（督查室）", "staff": "工作人员", "pending": "待审核", "stranger": "未授权"}
BOT_ASK_USAGE = Template("请在 /ask 后写上问题，例如：/ask 扬尘治理由谁牵头？")
BOT_QA_LOADING_FAILED = Template("问答引擎暂时不可用：{detail}\n您仍可以用 /task 编号、/tasks、/due 浏览任务。")
BOT_TASK_BUTTON = Template("第{number}项")
BOT_TASK_USAGE = Template("用法：/task 编号，例如 /task 12（共 {count} 项，编号 {first}–{last}）")
BOT_TASK_NOT_FOUND = Template("没有第 {number} 项任务。本方案共 {count} 项，编号 {first}–{last}；发送 /tasks 浏览全部任务。")
BOT_FIELD_LABEL = Template("<b>{label}</b>")
BOT_ERROR = Template("{error}")  # a domain error's message names the next step itself
BOT_ERROR_USAGE = Template("{error}\n{usage}")
BOT_ANSWER = Template("{answer}")  # a Q&A answer is plain text
BOT_TASK_SUMMARY = Template("{summary}")
BOT_BULLET = Template("• {text}")
BOT_TASK_TITLE = Template("<b>第 {number} 项　{title}</b>")
BOT_TASK_SECTION = Template("<i>{section}</i>")
BOT_TASK_DUE_LINE = Template("⏰ {deadlines}")
BOT_DEADLINE_NEXT = Template("下一时限：{date}{more}")
BOT_DEADLINE_PASSED = Template("时限：{date}（已过）")
BOT_DEADLINE_PERIOD = Template("实施期间：{text}（方案未写具体日期，按{start}至{end}计）")
BOT_TASK_NUMBER_BAD = Template("没有第 {raw} 项任务。本方案共 {count} 项，编号 {first}–{last}；发送 /tasks 浏览全部任务。")
BOT_TASK_NO_DEADLINE = Template("本项没有明确时限（常态化推进）。")
BOT_TASKS_HEADER = Template("<b>《{title}》共 {count} 项任务</b>（第 {page}/{pages} 页）")
BOT_TASKS_LINE = Template("{number}. {title}{due}")
BOT_TASKS_LINE_DUE = Template("（{date}）")
BOT_BUTTON_PREV = Template("◀ 上一页")
BOT_BUTTON_NEXT = Template("下一页 ▶")
BOT_DUE_USAGE = Template("用法：/due [天数]，天数为 1–366 的整数，例如 /due 30（默认 {days} 天）")
BOT_DUE_HEADER = Template("<b>今后 {days} 天内到期的任务</b>（{start}—{end}，共 {count} 项）")
BOT_DUE_NONE = Template("今后 {days} 天内（{start}—{end}）没有到期的任务。可以试试更长的时间，例如 /due 60")
BOT_DUE_LINE = Template("• {date}　第{number}项 {title}（{days_left}）")
BOT_OVERDUE_HEADER = Template("<b>已过时限、尚未报告完成的任务</b>（截至 {today}，共 {count} 项）")
BOT_OVERDUE_NONE = Template("截至 {today}，没有已过时限而未报告完成的任务。")
BOT_OVERDUE_LINE = Template("• 第{number}项 {title}：{date} 已过 {days} 天｜牵头：{lead}")
BOT_MINE_UNBOUND = Template("您还没有绑定到方案中的领导或单位。请联系督查室管理员绑定（管理员命令：/bind {user_id} 名称）。")
BOT_MINE_HEADER = Template("<b>{names} 负责的任务</b>（共 {count} 项）")
BOT_MINE_NONE = Template("方案中没有 {names} 负责的任务。如绑定有误，请联系管理员重新绑定。")
BOT_MINE_LINE = Template("• 第{number}项 {title}（{role}）{due}")
BOT_MINE_ROLES = {"leader": "责任领导", "lead": "牵头", "unit": "责任单位"}
BOT_TOKEN_MISSING = Template("没有设置 TELEGRAM_BOT_TOKEN，启动控制台对话。")
BOT_TOKEN_MALFORMED = Template("TELEGRAM_BOT_TOKEN 格式不对（应形如 123456789:AAE…，由 @BotFather 提供）。请检查 .env 或环境变量后重试。")
BOT_TOKEN_REJECTED = Template("Telegram 拒绝了这个 TELEGRAM_BOT_TOKEN（无效或已被撤销）。请向 @BotFather 获取新的令牌后重试。")
BOT_NETWORK_DOWN = Template("无法连接 Telegram 服务器（{url}）：{detail}\n请检查网络或 TELEGRAM_BASE_URL 设置后重试。")
POLL_CONFLICT = Template("另一个进程正在用同一个 TELEGRAM_BOT_TOKEN 接收消息（Telegram 返回 409 Conflict），本进程退出。"
                         "同一个机器人只能有一个轮询进程；要多进程分担，请设置 WEBHOOK_URL 改用 webhook 模式。")
BOT_INDEXING = Template("数据目录中还没有方案，正在导入 {path} ……")
BOT_CONSOLE_BANNER = Template("planbot 控制台对话（以管理员身份，用户 ID {user_id}）。\n"
    "输入问题或命令（如 /help、/task 12）；出现 [1] [2] 按钮时输入数字即可点按；输入 exit 或按 Ctrl-D 退出。")
BOT_CONSOLE_BYE = Template("再见。")
BOT_CONSOLE_EDITED = Template("（消息已更新）")
BOT_CONSOLE_FILE = Template("[文件] {path}")
BOT_CONSOLE_BUTTON_GONE = Template("没有编号为 {number} 的按钮。")
BOT_CONSOLE_REPLY_BOX = Template("（请直接输入回复，下一行将作为对这条消息的回复发送）")
BOT_UNKNOWN_COMMAND = Template("没有 /{command} 这个命令。发送 /help 查看可用命令；直接发送文字即可提问。")
SV_CARD_HEADER = Template("<b>进展</b>（以各牵头单位最近一次报送为准）")
SV_CLOSE_USAGE = Template("用法：/close 任务编号 说明，例如 /close 12 经督查核实已完成（管理员用于直接关闭任务）")
SV_CLOSED = Template("任务 {number} 已关闭（视为完成）：不再提醒、不再调度。说明：{note}")
SV_SAVED_LEADER = Template("✅ 已记录领导意见：任务 {number}「{title}」— {status}（{unit}，{round_label}）。领导意见不改变任务完成状态。")
SV_ASK_NOTE_PROMPT = Template("请回复本条消息补充任务 {number} 的进展说明（不超过 {limit} 字）；不需要说明请点“跳过说明”。")
SV_ASK_REASON_PROMPT = Template("请回复本条消息说明任务 {number} 滞后原因或需协调事项（不超过 {limit} 字）；不需要请点“跳过说明”。")
SV_NOTE_TOO_LONG = Template("说明共 {length} 字，超过 {limit} 字的上限，未保存。请精简后再回复该提示消息。")
SV_NOTE_PLACEHOLDER = Template("进展说明")
SV_SKIP_BUTTON = Template("跳过说明")
SV_CHOOSE = Template("任务 {number}「{title}」本周进展如何？请选择状态：")
SV_SAVED = Template("✅ 已记录：任务 {number}「{title}」— {status}（{unit}，{round_label}）。")
SV_SAVED_ON_BEHALF = Template("✅ 已代 {unit} 记录：任务 {number}「{title}」— {status}（{round_label}）。")
SV_ASK_NOTE = Template("如需补充进展说明，请回复下方的提示消息；不需要请点“跳过说明”。")
SV_ASK_REASON = Template("请回复下方的提示消息说明滞后原因或需协调事项；不需要请点“跳过说明”。")
SV_NOTE_SAVED = Template("说明已保存。本轮（本周）截止前可随时更正，以最后一次为准。")
SV_NOTE_SKIPPED = Template("好的，不补充说明。本轮（本周）截止前可随时更正，以最后一次为准。")
SV_NOTHING_TO_SKIP = Template("当前没有待补充的说明。报送进展：/status 任务编号 状态 [说明]")
SV_USAGE = Template("用法：/status 任务编号 状态 [说明]，例如 /status 2 按计划推进 已完成保留橡胶企业现场核查\n"
            "状态可选：" + WORD_LIST + "\n"
            "管理员代报有多个牵头单位的任务时加 @单位名，例如 /status 6 已完成 @大气办")
SV_BAD_NUMBER = Template("任务编号应为数字，本方案的编号范围是 {first}—{last}。\n" + SV_USAGE)
SV_STALE_ALERT = Template("按钮已失效，未记录任何内容。请发送 /status 任务编号 状态 报送进展。")
SV_REOPEN_USAGE = Template("用法：/reopen 任务编号，例如 /reopen 12（管理员用于重新打开已报「已完成」的任务）")
SV_REOPENED = Template("任务 {number} 已重新打开：逾期提醒和周调度将恢复。")
SV_WEEKLY_SENT = Template("{round_label} 周调度已发出：本次 {sent} 条，覆盖 {units} 个牵头单位。")
SV_CHASE_NONE = Template("{round_label} 没有需要催报的单位：本轮已发出的任务都已报送（尚未发周调度时请先发送 /weekly）。")
SV_WEEKLY_PLAN_ENDED = Template(
    "注意：《{title}》的最后一个时限（{last}）已过去 {days} 天，方案已结束，自动提醒和每周自动调度已停止；"
    "本轮是按您的 /weekly 命令发出的。\n如已有新一年的方案，请在服务器上运行 planbot index 新方案文件 导入新方案。")
SV_WEEKLY_ALREADY = Template("（{already} 条此前已发送，不重复发送。）")
SV_WEEKLY_UNREACHABLE = Template("以下牵头单位没有绑定的 Telegram 用户，无法送达：{units}。"
                         "可用 planbot directory import 或 /bind 绑定。")
SV_WEEKLY_FAILED = Template("发送失败 {count} 条（下次调度时重试）：{units}")
SV_REPORT_USAGE = Template("用法：/report [周|月|季] [期间]，例如 /report、/report 2023-W44 或 /report 月 2023-10")
SV_EXPORT_USAGE = Template("用法：/export [周|月|季] [期间]，例如 /export 月 或 /export 季 2023-Q4")
SV_EXPORT_CAPTION = Template("{title}\n{label} 进展表（{rows} 行）")
SV_TIMELINE_CAPTION = Template("{title}：各月时限分布（颜色为{label}报送状态）")

# The console chat (bot/console.py): a callback query's answer shown as a notice
CONSOLE_NOTICE = Template("（{text}）")

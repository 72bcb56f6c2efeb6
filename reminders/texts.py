"""Texts of the deadline reminders, their digests and the directory of recipients.

Every str text is a Template: render(...) fills it for Telegram HTML escaping each field, plain(...) for the
command line. Add your feature's texts here, beside the feature.
"""

from __future__ import annotations

from planbot.render import Template

REMINDER_HEADER = Template("⏰ <b>任务提醒</b>（{day}）\n以下 {count} 项任务需要关注：")
REMINDER_LINE = Template("{mark} <b>第{task}项</b> {title}\n    截止：{due}，{when}")
REMINDER_LINE_FOR = Template("\n    提醒对象：{recipients}")
REMINDER_WHEN_BEFORE = Template("还有 {days} 天")
REMINDER_WHEN_DUE = Template("今天到期")
REMINDER_WHEN_OVERDUE = Template("已逾期 {days} 天")
REMINDER_MORE = Template("……另有 {count} 项，请发送 /reminders 查看全部。")
REMINDER_FOOTER = Template("完成后请点“报送进展”报送；点“查看任务”看任务全文。")
REMINDER_BUTTON_VIEW = Template("查看任务 {task}")
REMINDER_BUTTON_REPORT = Template("报送进展 {task}")
REMINDER_NONE_TODAY = Template("今天（{day}）没有需要发送的任务提醒。")
REMINDER_TODAY_HEADER = Template("今天（{day}）的任务提醒共 {count} 条：")
REMINDER_TODAY_LINE = Template("• {recipient}：第{task}项（{kind}，截止 {due}）")
REMINDER_GROUP_MEMBERS = Template("{name}（发给成员单位：{members}）")
REMINDER_GROUP_EMPTY = Template("{name}（分组未指定成员单位，发送不到任何人：请在通讯录 group 列或 PLANBOT_GROUP_ALIASES 中指定）")
REMINDER_KIND_NAMES = {"before": "提前提醒", "due": "到期提醒", "overdue": "逾期提醒"}
DIGEST_HEADER = Template("📋 <b>未送达提醒汇总</b>（{day}）")
DIGEST_NO_BINDING = Template("• {recipient}：未登记 Telegram 账号（第{tasks}项）。请运行 planbot directory import 或发送邀请链接。")
DIGEST_FAILED = Template("• 用户 {chat_id}：发送失败（{error}），涉及第{tasks}项。{advice}")  # advice: DELIVERY_ADVICE
DIGEST_PENDING = Template("• 用户 {chat_id}：仍在重试（已尝试 {attempts} 次），涉及第{tasks}项。")
DIGEST_EMPTY = Template("✅ {day} 的提醒全部送达。")
UNREACHABLE_NO_BINDING = Template("未登记 Telegram 账号")
UNREACHABLE_NOT_STARTED = Template("已登记但从未启动机器人")
UNREACHABLE_HEADER = Template("暂时无法送达的对象（{count} 个）：")
UNREACHABLE_LINE = Template("• {name}：{reason}{ids}")
UNREACHABLE_NONE = Template("所有提醒对象都已可送达。")
UNREACHABLE_HINT = Template("可运行 planbot directory invite 生成邀请链接，请本人点击链接启动机器人。")
DIRECTORY_FILE_MISSING = Template("找不到通讯录文件：{path}。请检查路径后重试。")
DIRECTORY_FILE_TYPE = Template("不支持的通讯录文件类型：{path}。请使用 .csv 或 .xlsx 文件（列：name,telegram_id[,group]）。")
DIRECTORY_FILE_UNREADABLE = Template("无法读取通讯录文件 {path}：{detail}。请另存为 UTF-8 编码的 CSV 或 .xlsx 后重试。")
DIRECTORY_EMPTY = Template("通讯录文件是空的。请至少包含表头 name,telegram_id 和一行数据。")
DIRECTORY_HEADER = Template("通讯录表头应包含 name 和 telegram_id 两列（可选 group），实际为：{header}")
DIRECTORY_ROW_NO_NAME = Template("第{line}行：缺少名称，已跳过。请补上领导姓名或单位名称。")
DIRECTORY_ROW_BAD_ID = Template("第{line}行：Telegram ID “{value}” 不是数字，已跳过。请填写数字 ID。")
DIRECTORY_IMPORTED = Template("已绑定 {bound} 个账号（{already} 个原已绑定），登记分组成员 {members} 个。")
DIRECTORY_UNKNOWN = Template("以下名称不在方案台账中，未导入（请按台账写法修改后重新导入）：{names}")
DIRECTORY_UNKNOWN_GROUPS = Template("以下分组名称不在方案台账中，已忽略：{names}")
DIRECTORY_LIST_EMPTY = Template("通讯录为空。请运行 planbot directory import 文件.csv 导入。")
DIRECTORY_INVITE_LINE = Template("{name}：{link}")
DIRECTORY_INVITE_GROUPS = Template("以下是分组名称，不是具体单位，未生成邀请（已为其成员单位生成）：{groups}。"
                                   "分组成员由通讯录的 group 列或 PLANBOT_GROUP_ALIASES 指定。")
DIRECTORY_GROUP_ITEM = Template("{group}（{members}）")
DIRECTORY_GROUP_NO_MEMBERS = Template("尚未指定成员")
DIRECTORY_INVITE_UNKNOWN = Template("以下名称不在方案台账或通讯录分组中，未生成邀请（请按台账写法填写，"
                            "可运行 planbot tasks 查看）：{names}")
DIRECTORY_NOT_IN_PLAN = Template("以下已绑定的名称不在方案《{title}》的台账中，收不到该方案的提醒"
                         "（新方案改了写法？请按台账写法重新导入通讯录）：{names}")
DIRECTORY_ENCODING_UNKNOWN = Template("编码无法识别（请另存为 UTF-8 或 GBK 编码的 CSV，或 .xlsx）")
REMINDERS_BAD_DATE = Template("日期格式不对：{value}。请写成 YYYY-MM-DD，例如 2023-10-24。")
UNREACHABLE_IDS = Template("（{ids}）")  # the Telegram IDs of bound users who never started the bot
DIRECTORY_LIST_BINDING = Template("{telegram_id}（{source}）")
DIRECTORY_LIST_LINE = Template("{name}\t{ids}")

# Delivery through the outbox: what the admins are told about a message that could not be delivered, by cause.
DELIVERY_ADVICE = {
    "blocked": Template("对方屏蔽了机器人或从未启动它：请联系本人打开机器人并发送 /start。"),
    "no_chat": Template("Telegram 找不到这个聊天（账号 ID 可能有误）：请核对通讯录里的 telegram_id 后重新运行 "
                        "planbot directory import。"),
    "rejected": Template("Telegram 拒收了这条消息的内容：请把本条通知转给维护人员。"),
    "transient": Template("一直连不上 Telegram（网络中断、服务器错误或限流），消息在失效前没能发出："
                          "请检查服务器网络或代理，必要时人工通知。"),
    "ambiguous": Template("两次发送都在请求发出后断线，对方可能已经收到：为免重复不再重发，请向本人确认。"),
}
DELIVERY_KINDS = {"reminder": "任务提醒", "digest": "未送达汇总", "round": "周调度", "chase": "催报",
                  "round_digest": "周调度情况", "monthly": "月汇总", "notice": "通知"}
DELIVERY_REPORT_HEADER = Template("⚠️ <b>消息未送达</b>（{count} 条）")
DELIVERY_REPORT_LINE = Template("• {kind} → 用户 {chat_id}：{status}（{error}）\n　{advice}")
DELIVERY_STATUS = {"undelivered": "无法送达", "expired": "已过时未发出", "uncertain": "可能未送达"}

"""Texts of the supervision round (周调度 · 月汇总 · 季考核): questions, replies, reports, exports.

Every str text is a Template: render(...) fills it for Telegram HTML escaping each field, plain(...) for the
command line. Add your feature's texts here, beside the feature.
"""

from __future__ import annotations

from planbot.render import Template
from supervision.statuses import DEFINITIONS, NO_REPLY, WORD_LIST, WORDS

_COUNTS = " · ".join(f"{s.word} {{{s.code}}}" for s in DEFINITIONS) + f" · {NO_REPLY} {{none}}"
_SHORT_COUNTS = " · ".join(f"{s.short} {{{s.code}}}" for s in DEFINITIONS) + f" · {NO_REPLY} {{none}}"

SV_ROUND_LABEL = Template("{year}年第{week}周（{start_month}月{start_day}日—{end_month}月{end_day}日）")
SV_ROUND_HEADER = Template("📋 <b>{round_label} 周调度</b>\n{unit}：请报送以下任务的本周进展（点按钮选状态，之后可补一句说明）。")
SV_ROUND_PART = Template("（第 {part}/{parts} 页）")
SV_ROUND_TASK = Template("<b>{number}. {title}</b>\n　时限：{due}　上次状态：{last}")
SV_NO_DUE = Template("无明确时限")
SV_DUE_MORE = Template("（另有 {count} 个节点）")
SV_DUE_SHOWN = Template("{date}{more}")
SV_DUE_PERIOD = Template("实施期间：{text}")
SV_ROUND_TASK_DONE = Template("<b>{number}. {title}</b>\n　本周已报送：{status}")
SV_ROUND_ALL_ANSWERED = Template("本页任务本周均已报送，谢谢！如需更正，可再次发送 /status 任务编号 状态。")
SV_PLAN_ENDED = Template("ℹ️ 《{title}》的最后一个时限（{last}）已过去 {days} 天以上，自动提醒已停止。"
                 "逾期情况仍可用 /overdue 和 /report 查看；如有新方案，请导入后再启用提醒。")
SV_LEADER_DIGEST_HEADER = Template("📊 <b>{round_label} 周调度 · {leader} 分管任务</b>\n"
                           "共 {total} 项，已完成 {done} 项；未完成任务本周各牵头单位报送情况：")
SV_LEADER_DIGEST_UNIT = Template("{unit} {status}")
SV_LEADER_DIGEST_LINE = Template("• {number}. {title}：{units}")
SV_CARD_UNIT = Template("• {unit}：{status}")
SV_CARD_LEADER = Template("• 领导意见（{leader}）：{status}{note}")
SV_CLOSED_ROW = Template("已关闭（管理员）：{note}")
SV_CARD_CLOSED = Template("✅ 已由管理员关闭（视为完成）：{note}")
SV_CARD_COMPLETE = Template("✅ 各牵头单位均已报「已完成」，任务已完成。")
SV_CLOSE_ALREADY = Template("任务 {number} 已是完成状态，无需关闭。")
SV_REPORT_LEADERS = Template("<b>领导意见</b>（不改变任务完成状态）")
SV_REPORT_LEADER_LINE = Template("• {number}. {title} — {comment}")
SV_NO_STATUS = Template("尚未报送")
SV_ROUND_HINT = Template("也可发送文字：/status 任务编号 状态 [说明]，例如 /status {example} 按计划推进 已完成现场核查")
SV_BUTTON = Template("{number}·{status}")
SV_NO_TASK = Template("方案中没有第 {number} 项任务，编号范围是 {first}—{last}。发送 /mine 查看您负责的任务。")
SV_UNKNOWN_STATUS = Template("无法识别状态「{status}」。可选状态：" + WORD_LIST + "。"
                     "例如 /status {number} 按计划推进 说明")
SV_NOT_YOURS = Template("任务 {number} 的牵头/责任单位不包括您绑定的「{names}」，不能报送。您可报送的任务：{tasks}")
SV_NOT_BOUND = Template("您尚未绑定任何单位，无法报送进展。请联系督查室管理员用 /bind 用户ID 单位名称 绑定。")
SV_WHICH_LEAD = Template("任务 {number}「{title}」有多个牵头单位：{units}。请选择代哪个单位报送（点下方按钮），"
                         "或发送 /status {number} 状态 @单位名。")
SV_WHICH_LEAD_UNKNOWN = Template("任务 {number} 的牵头单位中没有唯一匹配「{unit}」的单位。牵头单位：{units}。"
                                 "请发送 /status {number} 状态 @单位名。")
SV_CHASE_SENT = Template("{round_label} 催报已发出：本次 {sent} 条，{units} 个单位尚未报送：")
SV_CHASE_UNIT = Template("· {unit}：第 {tasks} 项")
SV_CHASE_UNBOUND = Template("另有 {count} 个单位未绑定，无法催报：{items}，请用 /bind 或 planbot directory import 绑定。")
SV_CHASE_UNBOUND_ITEM = Template("{unit}（第{tasks}项）")
SV_CHASE_UNREACHABLE = Template("（未绑定 Telegram 用户，无法送达）")
SV_NO_LEAD = Template("任务 {number} 没有牵头单位，无法代报。请由责任单位报送。")
SV_REOPEN_NOT_DONE = Template("任务 {number} 当前不是「已完成」状态，无需重新打开。")
SV_CHASE = Template("⏰ <b>催报</b>：{unit}，{round_label} 周调度尚未收到您的进展报送，"
            "请点下方按钮或发送 /status 任务编号 状态 [说明]。")
SV_DIGEST_HEADER = Template("📊 <b>{round_label} 周调度情况</b>（截至 {at}）")
SV_DIGEST_REPLIED = Template("已报送（{count}）：{units}")
SV_DIGEST_MISSING = Template("未报送（{count}）：{units}")
SV_MONTHLY_READY = Template("📅 <b>{label} 月度汇总</b>已生成（供每月1日报送月工作进展），见附件。\n"
                    "状态变化 {changes} 项 · 逾期任务 {overdue} 项 · 未回复调度 {unanswered} 条")
SV_PERIOD_MONTH = Template("{year}年{month}月")
SV_PERIOD_QUARTER = Template("{year}年第{quarter}季度")
SV_PERIOD_BAD = Template("无法识别期间「{text}」。周：2023-W44 或日期 2023-10-30；月：2023-10；季：2023-Q4。")
SV_REPORT_HEADER = Template("<b>{title}</b>\n{label} 进展报告")
SV_REPORT_TOTALS = Template("合计：" + _COUNTS)
SV_REPORT_LAGGING = Template("⚠️ <b>滞后 / 需协调</b>")
SV_REPORT_LAGGING_LINE = Template("• {number}. {title}（{unit}）— {status}{note}")
SV_REPORT_BY_UNIT = Template("<b>按单位</b>")
SV_REPORT_UNIT_LINE = Template("▪ <b>{unit}</b>：" + _SHORT_COUNTS)
SV_REPORT_ROW = Template("　{number}. {title} — {status}{note}")
SV_REPORT_SILENT = Template("　未报送任务：{tasks}")
SV_REPORT_OVERDUE = Template("⏳ 逾期未完成：{tasks}")
SV_NOTE_SUFFIX = Template("：{note}")
SV_REPORT_UNANSWERED_ITEM = Template("{unit}（{round}）")
SV_REPORT_CHANGE_ITEM = Template("{task}（{unit}）{changes}")
SV_REPORT_UNANSWERED = Template("📭 未回复的调度：{items}")
SV_REPORT_CHANGES = Template("🔁 本期状态变化：{items}")
SV_TIMELINE_TITLE = Template("{title}\n各月时限分布 · {label}状态")
SV_TIMELINE_XLABEL = Template("时限所在月份")
SV_TIMELINE_YLABEL = Template("任务数")
SV_TIMELINE_EMPTY = Template("方案中没有带明确日期的时限")
SV_MONTH = Template("{month}月")
SV_ROLE_UNIT = Template("责任")
SV_YES = Template("是")
SV_NO = Template("否")
SV_SHEET_DETAIL = Template("明细")
SV_SHEET_SUMMARY = Template("汇总")
SV_SHEET_ISSUES = Template("逾期与未回复")
SV_SHEET_TIMELINE = Template("时间轴")
SV_DETAIL_HEADERS = ("任务编号", "任务名称", "所属领域", "责任领导", "单位", "角色", "状态", "进展说明",
                     "原因/需协调事项", "报送人", "报送时间", "时限", "下一时限", "是否逾期", "本期状态变化", "领导意见")
SV_SUMMARY_HEADERS = ("单位", *WORDS, NO_REPLY, "合计", "滞后/需协调任务")
SV_ISSUES_HEADERS = ("类别", "轮次/任务", "单位", "任务")
SV_ISSUE_OVERDUE = Template("逾期未完成")
SV_ISSUE_UNANSWERED = Template("调度未回复")
SV_SUMMARY_TITLE = Template("{title} — {label} 进展汇总（生成于 {at}）")
SV_CLI_WRITTEN = Template("{label} 报表已写入 {path}（{rows} 行）")
SV_REPLY_COMMENT = Template("{unit}：{text}")  # a leader's comment in a report row ("刘鲲：需协调；说明")

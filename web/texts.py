"""User-facing texts of the web desk and of /web (Chinese), as Templates of the one renderer (planbot.render).

Chat texts are rendered for Telegram HTML; pages are Jinja2 templates with autoescape, where a rendered Template
(Html) is embedded as it is and every other value is escaped.
"""

from __future__ import annotations

from planbot.render import Template

# /web in Telegram
WEB_LINK = Template("🖥 <b>督查台链接</b>（{hours} 小时内有效，请勿转发）：\n{url}\n首次打开后浏览器会记住登录；发送 /web revoke 可作废所有已发出的链接。")
WEB_OFF = Template("网页督查台未开启：请在设置中填写 WEB_PORT（以及对外地址 WEB_BASE_URL）后重启机器人。")
WEB_REVOKED = Template("已作废此前发出的全部督查台链接和网页登录（第 {generation} 次作废）。需要时请重新发送 /web 获取新链接。")
WEB_USAGE = Template("用法：/web 获取督查台链接；/web revoke 作废所有已发出的链接。")
ROUND_FILL_LINK = Template("🖥 也可在网页上填报（仅限本单位、本周有效）：{url}")
RUN_ADDRESS = Template("网页督查台已启动：{local}（对外链接以 {base} 开头；管理员向机器人发送 /web 获取登录链接，控制台里直接输入 /web）")

# pages
TITLE = Template("督查台")
# board: tasks are counted once; statuses once per lead unit of each task (a task with two lead units counts twice)
BOARD_TASKS = Template("共 {tasks} 项任务")
BOARD_COUNTS_BY = Template("按牵头单位计：")
BOARD_COUNTS_WHY = Template("一项任务有几个牵头单位就计几次，所以合计可能多于任务数")
BOARD_COUNT = Template("{status} {count} 个单位·任务")
DENIED_TITLE = Template("无法打开督查台")
DENIED = Template("这个页面需要有效的链接才能打开。")
DENIED_HOW = Template("管理员：在 Telegram 里向机器人发送 /web，点开回复里的链接（有效期见回复）。"
                      "牵头单位：请使用本周周调度消息里的“网页填报”链接（仅限本单位、本周）。")
DENIED_WHY = Template("链接可能已过期、已被作废（/web revoke），或不是发给您的。")
BAD_FORM = Template("表单已失效（可能打开太久或已重新登录），请刷新页面后再提交。")
SAVED = Template("已保存 {count} 项：{items}")
SAVED_ITEM = Template("第 {number} 项 {status}")
UNCHANGED = Template("与本周已报送的内容相同，未重复保存。")
NOTHING = Template("没有选择任何状态，未保存。")
NOTE_TOO_LONG = Template("第 {number} 项的说明有 {length} 个字，超过 {limit} 字，未保存；请精简后再提交。")
BAD_KIND = Template("未知的报表类型：{kind}（可用 weekly / monthly / quarterly）")
NO_TASK = Template("没有第 {number} 项任务。")
# error pages (no traceback or library text reaches a page; a 500's cause is in the log)
NOT_FOUND_TITLE = Template("找不到这个页面")
NOT_FOUND = Template("地址 {path} 不存在：可能输错了，或链接已过时。")
METHOD_TITLE = Template("不支持这种访问方式")
METHOD = Template("地址 {path} 不接受 {method} 请求：请从页面上的链接或按钮进入。")
BAD_REQUEST_TITLE = Template("无法处理这个请求")
HTTP_ERROR = Template("请求无法处理（HTTP {status}）。")
SERVER_ERROR_TITLE = Template("督查台出错了")
SERVER_ERROR = Template("处理这个页面时出错，原因已记入机器人日志。请稍后重试；一直出错请联系管理员查看日志。")
ERROR_HOW = Template("管理员可在机器人里发送 /web 获取新链接；牵头单位请使用本周周调度消息里的填报链接。")
ERROR_BOARD = Template("返回看板")
WEB_REPORTER = "网页填报"  # the reporter column of a reply stored by the fill-in form

# task page: reminders and round messages sent about the task
DELIVERIES = Template("提醒与催报记录")
DELIVERIES_NONE = Template("还没有发出过关于本项的提醒、周调度或催报消息。")
DELIVERIES_MORE = Template("另有 {count} 条更早的记录未列出。")
DELIVERY_HEAD = Template("<tr><th>时间</th><th>类型</th><th>收件人</th><th>送达情况</th></tr>")
DELIVERY_KINDS = {"reminder": Template("提醒"), "request": Template("周调度"), "chase": Template("催报"),
                  "leader": Template("领导周报"), "digest": Template("周调度汇总"), "monthly": Template("月汇总"),
                  "quarterly": Template("季考核"), "ended": Template("方案结束通知")}
DELIVERY_KIND_OTHER = Template("其他（{kind}）")
DELIVERY_STATES = {"sent": Template("已送达"), "pending": Template("待发送")}
DELIVERY_FAILED = Template("发送失败：{error}")
DELIVERY_FAILED_NO_CAUSE = Template("发送失败")
DELIVERY_RETRYING = Template("待发送（上次失败：{error}）")
DELIVERY_UNBOUND = Template("发送失败：收件人未登记 Telegram 账号（planbot directory import 或发送邀请链接）")
DELIVERY_STATE_OTHER = Template("状态：{state}")
DELIVERY_STATE_OTHER_ERROR = Template("状态：{state}（{error}）")

# unanswered questions (admins)
UNANSWERED_LINK = Template("未答好的问题")
UNANSWERED_TITLE = Template("最近 7 天未答好的问题")
UNANSWERED_INTRO = Template("{since} 至今，共 {total} 次提问、{groups} 个不同问题被拒答或把握不大，按次数排列。"
                            "在 Telegram 里发送 /unanswered 可把问题对应到某一项或添加别名。")
UNANSWERED_NONE = Template("最近 7 天没有被拒答或把握不大的问题。")
UNANSWERED_HEAD = Template("<tr><th>#</th><th>问题</th><th>次数</th><th>判断</th><th>最近一次</th><th>最接近的任务</th></tr>")
UNANSWERED_NO_TASK = Template("—")
UNANSWERED_MORE = Template("另有 {count} 个问题未列出。")

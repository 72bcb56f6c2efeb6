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
RUN_ADDRESS = Template("网页督查台已启动：{local}（对外链接以 {base} 开头；管理员在 Telegram 发送 /web 获取登录链接）")

# pages
TITLE = Template("督查台")
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
WEB_REPORTER = "网页填报"  # the reporter column of a reply stored by the fill-in form

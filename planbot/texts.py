"""Texts common to every feature: the command line's error line.

Every str text is a Template: render(...) fills it for Telegram HTML escaping each field, plain(...) for the
command line. Add your feature's texts here, beside the feature.
"""

from __future__ import annotations

from planbot.render import Template

CLI_ERROR = Template("错误：{detail}")

# argparse in Chinese (planbot.cliparser)
CLI_USAGE_PREFIX = Template("用法：")
CLI_POSITIONALS = Template("位置参数")
CLI_OPTIONS = Template("选项")
CLI_COMMANDS = Template("命令")
CLI_HELP_OPTION = Template("显示本帮助并退出")
CLI_PARSE_ERROR = Template("{prog}：错误：{detail}\n运行 {prog} -h 查看用法。")
CLI_UNKNOWN_COMMAND = Template("没有“{value}”这个命令。可用命令：{choices}")
CLI_INVALID_CHOICE = Template("参数 {argument} 的值“{value}”无效，可选：{choices}")
CLI_REQUIRED = Template("缺少必需的参数：{arguments}")
CLI_UNRECOGNIZED = Template("无法识别的参数：{arguments}")
CLI_NEEDS_VALUE = Template("参数 {argument} 后面需要一个值")
CLI_BAD_VALUE = Template("参数 {argument} 的值“{value}”格式不对")
CLI_AMBIGUOUS = Template("选项 {option} 不明确，可能是：{matches}")

# --- data dir / database: damaged, read-only or missing (planbot/storage.py) -----------------------------------
DATA_DB_DAMAGED = Template(
    "数据库文件 {path} 已损坏或不是 SQLite 数据库（{detail}），planbot 没有使用它。"
    "请停止 planbot，从备份恢复 planbot.db 后重试；没有备份时，把它移走后运行 planbot index 从头导入"
    "（用户、绑定和历史无法恢复）。")
DATA_DB_MISSING = Template(
    "数据库 {path} {state}，但数据目录 {data_dir} 里还有以前的数据（{leftovers}），说明数据库丢失了。"
    "为免用户、绑定和历史被悄悄清空，planbot 不会自动重新开始。"
    "请从备份恢复 planbot.db；确要从头开始，请运行 planbot index（不带 --if-changed）重新导入方案。")
DATA_STATE_ABSENT = Template("不存在")
DATA_STATE_EMPTY = Template("是空文件（0 字节）")
DATA_FRESH_START = Template(
    "注意：数据目录 {data_dir} 里还有以前的数据（{leftovers}），但没有数据库；"
    "现在按你的明确要求建立新数据库，以前的用户、绑定和历史不会恢复。")
DATA_READ_ONLY = Template(
    "数据目录 {data_dir} 不可写，而 planbot {command} 需要写入。请修正权限"
    "（例如 chown -R 运行 planbot 的用户 {data_dir}，或 chmod -R u+w {data_dir}）后重试。"
    "只读时仍可使用 planbot tasks / task / ask / reminders --on / report --out 其他目录 / directory list。")
DATA_READ_ONLY_NO_DB = Template("数据目录 {data_dir} 不可写，且其中没有数据库 planbot.db。请修正权限后运行 planbot index 导入方案。")
DATA_READ_ONLY_OLD = Template(
    "数据库 {path} 需要升级（{pending} 个迁移未执行），但数据目录不可写。请修正权限后运行一次 planbot index 完成升级。")
DATA_WRITE_FAILED = Template(
    "无法写入数据目录 {data_dir}（{detail}）。请检查磁盘空间和权限（chmod -R u+w {data_dir}）后重试。")

# --- settings: one line per bad value (planbot/settings.py) ----------------------------------------------------
SETTINGS_BAD_VALUE = Template("{name}={value!r} 无效（{reason}）：应为{expected}，例如 {name}={example}")
SETTINGS_NOT_INTEGER = Template("不是整数")
SETTINGS_NOT_NUMBER = Template("不是数字")
SETTINGS_OUT_OF_RANGE = Template("超出范围")
SETTINGS_ANY_VALID = Template("有效的值")
SETTINGS_NO_ZONE = Template("没有这个时区")
SETTINGS_UNKNOWN_LEVEL = Template("未知的日志级别")
SETTINGS_IDS_NOT_NUMBERS = Template("用户 ID 必须是数字")
SETTINGS_BAD_DAYS = Template("天数必须是非负整数")
SETTINGS_BAD_TIME = Template("不是有效的时刻")
SETTINGS_NOT_BOOLEAN = Template("不是布尔值")
SETTINGS_ALIAS_NO_EQUALS = Template("“{item}”缺少“=”")
SETTINGS_TOO_SHORT = Template("太短")
SETTINGS_NOT_HTTP = Template("不是 http(s) 地址")
# what a good value looks like, shared by several settings (their field descriptions)
SETTINGS_DAY = Template("0 到 6 的整数（0=周一 … 6=周日）")
SETTINGS_PORT = Template("1 到 65535 的端口号")
SETTINGS_HHMM = Template("HH:MM 格式的时刻（24 小时制）")

# --- database URL (planbot/db.py) -------------------------------------------------------------------------------
# The PostgreSQL driver is the optional extra [postgres]; asking for PostgreSQL without it gets this line.
DB_NO_DRIVER = Template("DATABASE_URL 需要数据库驱动 {module}，但它没有安装：PostgreSQL 请运行 pip install 'planbot[postgres]'"
                        "（make install 已包含），地址以 postgresql+psycopg:// 开头")
DB_BAD_URL = Template("DATABASE_URL 不是有效的数据库地址，例如 postgresql+psycopg://planbot:secret@db/planbot；"
                      "留空则使用数据目录中的 SQLite")

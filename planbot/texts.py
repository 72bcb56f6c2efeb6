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

"""Texts common to every feature: the command line's error line.

Every str text is a Template: render(...) fills it for Telegram HTML escaping each field, plain(...) for the
command line. Add your feature's texts here, beside the feature.
"""

from __future__ import annotations

from planbot.render import Template

CLI_ERROR = Template("错误：{detail}")

"""HTML escaping and splitting of long messages (pure)."""

from __future__ import annotations

import pytest

from planbot.render import MAX_MESSAGE, render, split_html, visible, visible_len
from tests.fake_bot_api import parse_html


@pytest.mark.parametrize(("raw", "escaped"), [
    ("a<b>c", "a&lt;b&gt;c"),
    ("PM2.5 < 49 & O3 > 160", "PM2.5 &lt; 49 &amp; O3 &gt; 160"),
    ("&amp;", "&amp;amp;"),
    ("“引号” 'x'", "“引号” 'x'"),
    (12, "12"),
])
def test_esc_makes_any_value_safe_for_telegram_html(raw: object, escaped: str) -> None:
    assert render("{value}", value=raw) == escaped
    assert parse_html(render("<b>{value}</b>", value=raw)) == str(raw)  # Telegram accepts it, shows the raw value


def test_short_text_is_one_part() -> None:
    assert split_html("<b>标题</b>\n正文") == ["<b>标题</b>\n正文"]


def test_empty_text_has_no_parts() -> None:
    assert split_html("\n\n") == []


@pytest.mark.parametrize("limit", [50, 200, MAX_MESSAGE])
def test_long_text_splits_at_line_boundaries_within_the_limit(limit: int) -> None:
    lines = [render("<b>第{i}行</b> {text}", i=i, text="内容<&>" * (i % 7 + 1)) for i in range(400)]
    parts = split_html("\n".join(lines), limit)
    assert len(parts) > 1
    assert all(visible_len(p) <= limit for p in parts)
    assert "\n".join(parts).split("\n") == lines  # nothing lost, nothing cut inside a line
    for part in parts:
        parse_html(part)  # every part is valid Telegram HTML


def test_a_single_overlong_line_is_cut_as_plain_text() -> None:
    line = render("<i>{text}</i>", text="长句<&>" * 3000)
    parts = split_html("开头\n" + line + "\n结尾", 4096)
    assert all(visible_len(p) <= 4096 for p in parts)
    assert "".join(visible(p) for p in parts).replace("\n", "") == "开头" + "长句<&>" * 3000 + "结尾"
    for part in parts:
        parse_html(part)


def test_characters_outside_the_bmp_count_twice() -> None:
    text = "\n".join(["😀" * 30] * 10)  # 60 UTF-16 units per line
    parts = split_html(text, 130)
    assert [p.count("\n") + 1 for p in parts] == [2, 2, 2, 2, 2]

"""The console's Bot API stand-in: input lines become updates, numbers press buttons, output is plain text."""

from __future__ import annotations

import argparse
import io
import logging
from pathlib import Path

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from bot.cli import chat
from bot.console import ConsoleRequest
from planbot.db import Database
from planbot.settings import Settings


def console(tmp_path: Path, lines: str) -> tuple[ConsoleRequest, io.StringIO, Bot]:
    out = io.StringIO()
    request = ConsoleRequest(7, input=io.StringIO(lines), output=out, files_dir=tmp_path / "files")
    return request, out, Bot("1:console", request=request, get_updates_request=request)


async def test_output_is_plain_text_with_numbered_buttons_and_saved_files(tmp_path: Path) -> None:
    _, out, bot = console(tmp_path, "")
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("原文", callback_data="t:1:text"),
                                    InlineKeyboardButton("时限", callback_data="t:1:time")]])
    async with bot:
        await bot.send_message(7, "<b>第 1 项</b> PM2.5 &lt; 35 &amp; 达标", parse_mode="HTML", reply_markup=markup)
        await bot.send_message(99, "给别人的提醒")  # another user's message is not shown in this console
        await bot.send_document(7, document=b"xlsx-bytes", filename="月报.xlsx", caption="十月月报")
    text = out.getvalue()
    assert "第 1 项 PM2.5 < 35 & 达标" in text and "[1] 原文  [2] 时限" in text
    assert "给别人的提醒" not in text
    assert (tmp_path / "files" / "月报.xlsx").read_bytes() == b"xlsx-bytes"
    assert f"[文件] {tmp_path / 'files' / '月报.xlsx'}" in text and "十月月报" in text


async def test_lines_become_updates_one_at_a_time_and_numbers_press_buttons(tmp_path: Path) -> None:
    request, out, bot = console(tmp_path, "/task 1\n1\n9\nexit\nnever read\n")
    exited: list[bool] = []
    request.on_exit = lambda: exited.append(True)
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("原文", callback_data="t:1:text")]])
    async with bot:
        [first] = await bot.get_updates(timeout=1)
        assert first.message is not None and first.message.text == "/task 1"
        assert first.message.entities[0].type == "bot_command"
        assert first.message.from_user is not None and first.message.from_user.id == 7
        assert await bot.get_updates(timeout=0) == ()  # the next line waits until the update was handled
        card = await bot.send_message(7, "卡片", reply_markup=markup)
        request.update_done()
        [press] = await bot.get_updates(timeout=1)
        assert press.callback_query is not None and press.callback_query.data == "t:1:text"
        assert press.callback_query.message.message_id == card.message_id  # type: ignore[union-attr]
        request.update_done()
        assert await bot.get_updates(timeout=1) == ()  # "9": no such button
        assert "没有编号为 9 的按钮" in out.getvalue()
        assert await bot.get_updates(timeout=1) == () and exited == [True]
        assert await bot.get_updates(timeout=0) == ()  # nothing after exit


def test_console_status_without_note_asks_by_force_reply_and_the_next_line_is_the_note(
        settings: Settings, plan_db: Database, capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture) -> None:
    out = io.StringIO()
    lines = io.StringIO("/status 10 滞后\n企业资金不到位\n/report\n")
    code = chat(argparse.Namespace(plan=None), settings, input=lines, output=out)
    text, err = out.getvalue(), capsys.readouterr().err
    assert code == 0
    assert "Traceback" not in err and "出错" not in text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "请直接输入回复" in text  # the ForceReply prompt is shown as a reply box
    assert "说明已保存" in text
    assert "企业资金不到位" in text.split("说明已保存", 1)[1]  # /report, after the note was saved, shows it

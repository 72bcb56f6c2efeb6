"""A running bot answers from the plan version the ledger holds now, not the one it started with."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from indexer.pipeline import index_document
from planbot.clock import FrozenClock
from planbot.db import Database
from planbot.settings import BUNDLED_PLAN, Settings
from tests.fake_bot_api import FakeBotAPI
from tests.support_ledger import USER_ID

NOW = datetime(2023, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


async def test_questions_use_the_reindexed_plan(running_bot: Any, fake_api: FakeBotAPI, indexed_settings: Settings,
                                                ledger_db: Database, hash_embeddings: Any, tmp_path: Path) -> None:
    await running_bot(indexed_settings, db=ledger_db, clock=FrozenClock(NOW))
    fake_api.push_message(USER_ID, "第13项的牵头单位是哪个？")
    await fake_api.wait_for_message(USER_ID, contains="市宣教信息中心", timeout=60)

    # Next version of the plan: task 13 moves to another lead unit.
    text = BUNDLED_PLAN.read_text(encoding="utf-8").replace("牵头单位：市宣教信息中心", "牵头单位：规财科")
    changed = tmp_path / "plan-v2.txt"
    changed.write_text(text, encoding="utf-8")
    report = await asyncio.to_thread(index_document, indexed_settings, ledger_db, changed,
                                     embeddings=hash_embeddings)
    assert report is not None

    fake_api.push_message(USER_ID, "第13项的牵头单位是哪个？")
    reply = await fake_api.wait_for_message(USER_ID, contains="规财科", timeout=60)
    assert "市宣教信息中心" not in reply["text"]

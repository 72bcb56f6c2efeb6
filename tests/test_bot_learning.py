"""Learning from use, end to end: the real Application and Q&A engine over the fake Bot API, a real SQLite ledger.

Refused questions are recorded; /unanswered (admins) groups the week's by question with counts; 对应第N项 makes the
same question answered from task N; /alias (or a reply to the 添加别名 prompt) teaches the running engine an
everyday word, and a restarted bot still knows it.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot import texts as bot_texts
from bot.app import stop_application
from indexer import learning as store
from knowledge.model import Plan
from knowledge.qa.engine import QAEngine
from knowledge.qa.learning import Miss, check_alias, group_misses, plan_corpus, question_key
from planbot.clock import FrozenClock
from planbot.db import Database
from planbot.settings import Settings
from tests.fake_bot_api import FakeBotAPI

TZ = ZoneInfo("Asia/Shanghai")
ADMIN, STAFF = 1001, 2001
NOW = datetime(2023, 10, 20, 9, 0, tzinfo=TZ)
REFUSED = "方案中没有关于"
# Words the plan never uses, and that no bundled lexicon or thesaurus entry maps (checked in the tests).
UNKNOWN_QUESTION = "小电驴什么时候淘汰？"
EVERYDAY, PLAN_TERM = "运土车", "渣土车"
EVERYDAY_QUESTION = f"{EVERYDAY}由谁牵头"


@pytest.fixture
async def bot(running_bot: Any, settings: Settings, plan_db: Database, bundled_plan: Plan) -> Any:
    """The bot over the bundled plan with the real Q&A engine (no dense index), on 2023-10-20."""
    return await running_bot(settings, db=plan_db, clock=FrozenClock(NOW), qa_engine=QAEngine(bundled_plan))


async def ask(fake: FakeBotAPI, text: str, user: int = STAFF) -> str:
    """Ask as `user` and return the answer's text."""
    fake.push_message(user, text)
    reply = await fake.wait_for_message(user, where=lambda m: not m.get("reply_markup", {}).get("force_reply"))
    return str(reply["text"])


def buttons_like(fake: FakeBotAPI, message: dict[str, Any], label: str) -> list[tuple[str, str]]:
    return [(text, data) for text, data in fake.buttons(message) if label in text]


async def test_a_refused_question_is_recorded_listed_and_mapped_to_a_task(bot: Any, fake_api: FakeBotAPI,
                                                                           plan_db: Database) -> None:
    assert REFUSED in await ask(fake_api, UNKNOWN_QUESTION)
    assert REFUSED in await ask(fake_api, " 小电驴 什么时候淘汰")  # the same question, typed differently
    assert "× 2" not in await ask(fake_api, "/unanswered")  # staff: admins only
    fake_api.push_message(ADMIN, "/unanswered")
    listing = await fake_api.wait_for_message(ADMIN, contains="最近 7 天未答好的问题")
    assert "小电驴" in listing["text"] and "× 2" in listing["text"] and "拒答" in listing["text"]
    [(label, data)] = buttons_like(fake_api, listing, "对应第")
    number = int(re.search(r"对应第(\d+)项", label).group(1))  # type: ignore[union-attr]
    assert buttons_like(fake_api, listing, "添加别名")
    with plan_db.session() as s:
        assert {m.telegram_id for m in s.query(store.MissRow)} == {STAFF}

    fake_api.press(ADMIN, listing, data)
    await fake_api.wait_for_message(ADMIN, contains=f"将按第{number}项回答")
    answer = await ask(fake_api, "小电驴什么时候淘汰")
    assert REFUSED not in answer and f"第{number}项" in answer
    fake_api.push_message(ADMIN, "/unanswered")  # a mapped question leaves the list
    await fake_api.wait_for_message(ADMIN, contains="最近 7 天没有")


async def test_a_refusal_pointing_to_a_task_offers_its_card(bot: Any, fake_api: FakeBotAPI) -> None:
    fake_api.push_message(STAFF, "无人机走航多久飞一次")
    reply = await fake_api.wait_for_message(STAFF, contains="方案没有写明频次")
    assert [data for _, data in fake_api.buttons(reply)] == ["t:16:card"]
    fake_api.push_message(STAFF, UNKNOWN_QUESTION)
    plain = await fake_api.wait_for_message(STAFF, contains=REFUSED)
    assert not fake_api.buttons(plain)  # nothing to point to, no buttons


async def test_alias_teaches_the_running_engine_and_survives_a_restart(
        bot: Any, running_bot: Any, fake_api: FakeBotAPI, settings: Settings, plan_db: Database,
        bundled_plan: Plan) -> None:
    assert REFUSED in await ask(fake_api, EVERYDAY_QUESTION)
    assert "已添加别名" in await ask(fake_api, f"/alias {EVERYDAY} {PLAN_TERM}", ADMIN)
    answer = await ask(fake_api, EVERYDAY_QUESTION)
    assert REFUSED not in answer and PLAN_TERM in answer

    await stop_application(bot)
    await running_bot(settings, db=plan_db, clock=FrozenClock(NOW), qa_engine=QAEngine(bundled_plan))
    answer = await ask(fake_api, EVERYDAY_QUESTION)
    assert REFUSED not in answer and PLAN_TERM in answer


async def test_the_add_alias_button_asks_for_a_reply_that_adds_it(bot: Any, fake_api: FakeBotAPI) -> None:
    assert REFUSED in await ask(fake_api, EVERYDAY_QUESTION)
    fake_api.push_message(ADMIN, "/unanswered")
    listing = await fake_api.wait_for_message(ADMIN, contains=EVERYDAY)
    [(_, data)] = buttons_like(fake_api, listing, "添加别名")
    fake_api.press(ADMIN, listing, data)
    prompt = await fake_api.wait_for_message(ADMIN, contains="俗称 方案用语", where=FakeBotAPI.asks_reply)
    fake_api.push_message(ADMIN, f"{EVERYDAY} {PLAN_TERM}", reply_to=prompt)
    await fake_api.wait_for_message(ADMIN, contains="已添加别名")
    assert REFUSED not in await ask(fake_api, EVERYDAY_QUESTION)


@pytest.mark.parametrize(("command", "reply"), [
    ("/alias 电车", "用法：/alias 俗称 方案用语，例如 /alias 电车 新能源车"),
    ("/alias", "用法：/alias 俗称 方案用语"),
    ("/alias 电车 新能源汽车", "方案中没有“新能源汽车”，请用方案原文中的词，例如 /alias 电车 新能源车"),
    (f"/alias {PLAN_TERM} {EVERYDAY}", f"“{PLAN_TERM}”本身就是方案中的用语"),
    ("/alias 电车 电车", "无需添加"),
])
async def test_bad_alias_gets_a_message_naming_the_next_step(bot: Any, fake_api: FakeBotAPI, plan_db: Database,
                                                             command: str, reply: str) -> None:
    assert reply in await ask(fake_api, command, ADMIN)
    with plan_db.session() as s:
        assert store.aliases(s) == {}


@pytest.mark.parametrize("command", ["/unanswered", f"/alias {EVERYDAY} {PLAN_TERM}"])
async def test_staff_are_refused_the_admin_commands(bot: Any, fake_api: FakeBotAPI, plan_db: Database,
                                                    command: str) -> None:
    assert await ask(fake_api, command) == bot_texts.BOT_ADMIN_ONLY.plain()
    with plan_db.session() as s:
        assert store.aliases(s) == {}


async def test_stale_or_forged_buttons_are_answered_and_change_nothing(bot: Any, fake_api: FakeBotAPI,
                                                                      plan_db: Database) -> None:
    await ask(fake_api, UNKNOWN_QUESTION)
    fake_api.push_message(ADMIN, "/unanswered")
    listing = await fake_api.wait_for_message(ADMIN, contains="小电驴")
    [(_, data)] = buttons_like(fake_api, listing, "对应第")
    _, _, miss_id, number = data.split(":")
    other = 1 if number != "1" else 2
    for forged in (f"un:map:{miss_id}:{other}", "un:map:999999:3", "un:alias:999999", "un:map:x"):
        await press_and_wait(fake_api, ADMIN, listing, forged, "按钮已失效")
    await press_and_wait(fake_api, STAFF, listing, data, bot_texts.BOT_ADMIN_ONLY.plain())
    with plan_db.session() as s:
        assert s.query(store.MappingRow).count() == 0
    assert REFUSED in await ask(fake_api, UNKNOWN_QUESTION)


async def press_and_wait(fake: FakeBotAPI, user: int, message: dict[str, Any], data: str, alert: str) -> None:
    """Press a button and wait for the answer to that press, which must show `alert`."""
    update = fake.press(user, message, data)
    call = await fake.wait_for_call(
        "answerCallbackQuery", where=lambda c: c.params.get("callback_query_id") == update["callback_query"]["id"])
    assert alert in str(call.params.get("text")), data


# --- the pure core ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("a", "b", "same"), [
    ("小电驴什么时候淘汰？", " 小电驴 什么时候淘汰", True),
    ("ＰＭ２.５限值是多少?", "pm25限值是多少", True),
    ("扬尘由谁牵头", "扬尘不由谁牵头", False),
])
def test_question_keys_ignore_spacing_width_and_punctuation_only(a: str, b: str, same: bool) -> None:
    assert (question_key(a) == question_key(b)) is same


def test_misses_group_by_question_most_frequent_first_without_mapped_ones() -> None:
    at = datetime(2023, 10, 20, 9, tzinfo=TZ)
    misses = [Miss(1, "甲？", "甲", at, "refuse", 3), Miss(2, "乙", "乙", at, "caveat", None),
              Miss(3, "乙！", "乙", at + timedelta(hours=1), "refuse", 5), Miss(4, "丙", "丙", at, "refuse", 1)]
    groups = group_misses(misses, mapped=["丙"])
    assert [(g.key, g.count, g.last_id, g.pointer) for g in groups] == [("乙", 2, 3, 5), ("甲", 1, 1, 3)]


def test_alias_check_suggests_the_plans_own_words(bundled_plan: Plan) -> None:
    corpus = plan_corpus(bundled_plan)
    problem = check_alias("电车", "新能源汽车", corpus)
    assert problem is not None and problem.kind == "meant_missing" and "新能源车" in problem.suggestions
    assert check_alias(EVERYDAY, PLAN_TERM, corpus) is None
    assert EVERYDAY not in corpus and PLAN_TERM in corpus

"""Bot fixtures: a fake Telegram Bot API server and the real bot running against it, in the test's event loop.

- `fake_api`: a started `tests.fake_bot_api.FakeBotAPI` on 127.0.0.1 (see its docstring: push_message, press,
  push_document, fail_next, wait_for_message, calls, outbox, files).
- `running_bot`: an async factory. `app = await running_bot(settings, clock=..., db=..., qa_engine=...)` builds the
  real Application with `bot.app.build_application` (token and base URLs pointed at `fake_api`), starts it with
  long polling (or webhook when settings.webhook_url is set) exactly as `planbot run` does, and stops it after
  the test. The Q&A engine is NOT preloaded (pass qa_engine=engine to use one, or a question loads the
  real one lazily). Example:

      async def test_something(fake_api, running_bot, indexed_settings):
          app = await running_bot(indexed_settings, clock=FrozenClock(datetime(2023, 10, 20, 9, tzinfo=TZ)))
          fake_api.push_message(2001, "/task 3")
          reply = await fake_api.wait_for_message(2001, contains="第 3 项")

  `app.bot_data["services"]` is the Services object (db, clock, plans, qa, scheduler …) the handlers use.
- `plan_db`: a SQLite ledger in the `settings` data dir holding the bundled plan (fast: no Chroma, no model).
- `FakeEngine`: a Q&A engine stand-in (answers with a fixed text and cited tasks, records the questions);
  the real one without models: `knowledge.qa.engine.QAEngine(plan)`, injected as qa_engine=engine.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pytest

from bot.app import build_application, start_application, stop_application
from planbot.clock import Clock
from planbot.db import Database
from planbot.settings import Settings
from tests.fake_bot_api import FakeBotAPI


@dataclass
class FakeAnswer:
    """What QAEngine.ask returns (text, cited tasks, refused, sources)."""

    text: str
    tasks: list[int] = field(default_factory=list)
    refused: bool = False
    sources: list[dict[str, Any]] = field(default_factory=list)
    low_confidence: bool = False
    pointer: int | None = None


class FakeEngine:
    """Answers every question with `text` citing `tasks`; `fail_on` makes a question raise."""

    def __init__(self, text: str = "答：由大气办牵头。", tasks: list[int] | None = None,
                 fail_on: str | None = None) -> None:
        self.text, self.tasks, self.fail_on = text, tasks or [], fail_on
        self.questions: list[tuple[str, datetime]] = []

    def ask(self, question: str, now: datetime) -> FakeAnswer:
        """Record and answer."""
        self.questions.append((question, now))
        if self.fail_on is not None and self.fail_on in question:
            raise RuntimeError("engine failure for testing")
        return FakeAnswer(self.text, list(self.tasks))


def point_at(settings: Settings, fake: FakeBotAPI) -> Settings:
    """Settings whose token and base URLs are the fake server's."""
    return settings.with_(telegram_bot_token=fake.token, telegram_base_url=fake.base_url,
                          telegram_base_file_url=fake.base_file_url)


@pytest.fixture
async def fake_api() -> AsyncIterator[FakeBotAPI]:
    """A started fake Bot API server."""
    fake = await FakeBotAPI().start()
    yield fake
    await fake.stop()


StartBot = Callable[..., Awaitable[Any]]


@pytest.fixture
async def running_bot(fake_api: FakeBotAPI) -> AsyncIterator[StartBot]:
    """Factory: start the real bot against `fake_api`; every bot started is stopped after the test."""
    started: list[Any] = []

    async def start(settings: Settings, *, clock: Clock | None = None, db: Database | None = None,
                    **kwargs: Any) -> Any:
        kwargs.setdefault("preload_qa", False)
        app = build_application(point_at(settings, fake_api), clock=clock, db=db, **kwargs)
        await start_application(app, poll_timeout=5)
        started.append(app)
        return app

    yield start
    for app in reversed(started):
        await stop_application(app)


@pytest.fixture
def plan_db(settings: Settings, bundled_plan: Any) -> Iterator[Database]:
    """A fresh SQLite ledger (in the test's data dir) holding the bundled plan; no Chroma, no model."""
    from indexer.ledger import save_plan

    db = Database(settings.database_url)
    save_plan(db, bundled_plan, "bundled")
    yield db
    db.dispose()

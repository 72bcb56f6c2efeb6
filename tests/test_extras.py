"""Optional extras ([postgres], [llm]): asking for the feature without its extra gets a clear Chinese line."""

from __future__ import annotations

import sys

import pytest

from knowledge.qa.llm import build_rephraser
from planbot.db import make_engine
from planbot.errors import SettingsError
from planbot.settings import Settings


def test_postgresql_without_psycopg_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # what an install without [postgres] looks like
    with pytest.raises(SettingsError) as caught:
        make_engine("postgresql+psycopg://planbot:secret@db/planbot")
    assert "planbot[postgres]" in str(caught.value) and "secret" not in str(caught.value)


@pytest.mark.parametrize("url", ["not a url", "nosuchdb://x/y"])
def test_a_malformed_database_url_is_a_settings_error(url: str) -> None:
    with pytest.raises(SettingsError, match="DATABASE_URL"):
        make_engine(url)


def test_llm_model_without_langchain_keeps_answers_deterministic(monkeypatch: pytest.MonkeyPatch,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setitem(sys.modules, "langchain.chat_models", None)  # an install without [llm]
    assert build_rephraser(Settings(llm_model="openai:some-model")) is None
    assert "planbot[llm]" in caplog.text

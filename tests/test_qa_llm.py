"""Optional LLM phrasing with LangChain's fake chat models: kept only when grounded, else the deterministic answer."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel, GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatResult

from knowledge.qa.engine import QAEngine
from knowledge.qa.llm import build_rephraser
from planbot.settings import Settings
from tests.support_qa import DEFAULT_NOW

QUESTION = "燃气锅炉低氮改造什么时候完成？"


def deterministic(engine: QAEngine) -> str:
    return engine.ask(QUESTION, DEFAULT_NOW).text


def with_llm(engine: QAEngine, llm: Any, **kwargs: Any) -> QAEngine:
    """An engine on the same plan sharing the session's tokenizer (jieba loads once)."""
    return QAEngine(engine.plan, llm=llm, tokenizer=engine.tokenizer, **kwargs)


def test_grounded_rewrite_is_used(qa_engine: QAEngine) -> None:
    model = GenericFakeChatModel(messages=iter([AIMessage("燃气锅炉低氮改造须在2023年10月底前完成（第10项）。")]))
    answer = with_llm(qa_engine, model).ask(QUESTION, DEFAULT_NOW)
    assert answer.text == "燃气锅炉低氮改造须在2023年10月底前完成（第10项）。"
    assert answer.tasks == [10]


def test_rewrite_that_drops_the_citation_gets_it_back(qa_engine: QAEngine) -> None:
    model = GenericFakeChatModel(messages=iter([AIMessage("须在2023年10月底前完成改造。")]))
    answer = with_llm(qa_engine, model).ask(QUESTION, DEFAULT_NOW)
    assert answer.text == "须在2023年10月底前完成改造。（第10项 推进燃气锅炉低氮燃烧深度治理）"


@pytest.mark.parametrize(
    "invented",
    ["须在2023年11月底前完成（第10项）。", "氮氧化物须控制在50毫克/立方米（第10项）。",
     "须在2023年10月31日前完成（第10项）。"],
)
def test_rewrite_with_an_invented_number_is_rejected(qa_engine: QAEngine, invented: str) -> None:
    model = FakeListChatModel(responses=[invented])
    answer = with_llm(qa_engine, model).ask(QUESTION, DEFAULT_NOW)
    assert answer.text == deterministic(qa_engine)


class BrokenModel(GenericFakeChatModel):
    """A provider that errors."""

    def _generate(self, *args: Any, **kwargs: Any) -> ChatResult:
        raise ConnectionError("provider unreachable")


class StuckModel(GenericFakeChatModel):
    """A provider that does not answer until released (the test releases it at teardown)."""

    release: Any = None

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> ChatResult:
        self.release.wait(timeout=30)
        return super()._generate(messages, *args, **kwargs)


@pytest.fixture
def release() -> Iterator[threading.Event]:
    event = threading.Event()
    yield event
    event.set()


def test_provider_error_falls_back(qa_engine: QAEngine) -> None:
    model = BrokenModel(messages=iter([]))
    answer = with_llm(qa_engine, model).ask(QUESTION, DEFAULT_NOW)
    assert answer.text == deterministic(qa_engine)


def test_timeout_falls_back(qa_engine: QAEngine, release: threading.Event) -> None:
    model = StuckModel(messages=iter([AIMessage("须在2023年10月底前完成（第10项）。")]), release=release)
    answer = with_llm(qa_engine, model, llm_timeout=0.05).ask(QUESTION, DEFAULT_NOW)
    assert answer.text == deterministic(qa_engine)


def test_refusals_are_not_rephrased(qa_engine: QAEngine) -> None:
    calls: list[str] = []

    def rephrase(question: str, answer: str, passages: list[str]) -> str:
        calls.append(question)
        return "咸阳GDP增速为5%。"

    answer = with_llm(qa_engine, rephrase).ask("咸阳今年的GDP增速是多少？", DEFAULT_NOW)
    assert answer.refused and calls == [] and "5%" not in answer.text


def test_rephraser_sees_the_retrieved_passages(qa_engine: QAEngine) -> None:
    seen: list[list[str]] = []

    def rephrase(question: str, answer: str, passages: list[str]) -> None:
        seen.append(passages)
        return None

    with_llm(qa_engine, rephrase).ask(QUESTION, DEFAULT_NOW)
    assert any("2023年10月底前完成改造" in p for p in seen[0])


def test_llm_is_off_by_default_and_a_bad_model_name_leaves_it_off() -> None:
    assert build_rephraser(Settings()) is None
    assert build_rephraser(Settings(llm_model="no-such-provider-model-xyz")) is None

"""The number/date check, and its enforcement on every answer the engine gives."""

from __future__ import annotations

import pytest

from knowledge.qa.compose import Composer
from knowledge.qa.corpus import Doc
from knowledge.qa.engine import QAEngine
from knowledge.qa.grounding import is_grounded, ungrounded
from knowledge.qa.question import Question
from tests.support_qa import DEFAULT_NOW

SOURCE = "2023年4月底前确定低氮燃烧改造企业名单，2023年10月底前完成改造，将氮氧化物控制在30毫克/立方米。"


@pytest.mark.parametrize(
    ("answer", "bad"),
    [
        ("须在2023年10月底前完成改造（第10项）", []),
        ("须在2023年4月底前确定名单", []),
        ("氮氧化物控制在30毫克/立方米", []),
        ("须在2023年11月底前完成改造", ["2023年11月底", "11"]),  # a month the source never says
        ("须在2024年10月底前完成改造", ["2024年10月底", "2024"]),
        ("氮氧化物控制在50毫克/立方米", ["50"]),
        ("氮氧化物控制在3毫克/立方米", ["3"]),  # digits of a source number are not that number
        ("须在2023年10月31日前完成", ["2023年10月31日", "31"]),  # a date made more precise is a new fact
        ("共有三十家企业", ["三十"]),
        ("没有数字的回答", []),
    ],
)
def test_ungrounded_numbers_and_dates(answer, bad) -> None:
    assert ungrounded(answer, [SOURCE, "第10项"]) == bad


def test_dashes_and_spaces_do_not_matter() -> None:
    assert is_grounded("5-9月 分时段管控", ["5—9月，分行业、分区域、分时段精准落实"])


class InventingComposer(Composer):
    """A composer with a bug: it adds a deadline the plan does not have."""

    def answer_doc(self, q: Question, doc: Doc) -> str:
        return super().answer_doc(q, doc) + "\n另须在2023年11月15日前报送总结。"


def test_engine_never_returns_an_invented_date(qa_engine: QAEngine) -> None:
    engine = QAEngine(qa_engine.plan, tokenizer=qa_engine.tokenizer)
    engine.composer = InventingComposer(engine.retriever)
    answer = engine.ask("燃气锅炉低氮改造什么时候完成？", DEFAULT_NOW)
    assert "11月15日" not in answer.text
    assert answer.tasks == [10] and answer.text.startswith("第10项 推进燃气锅炉低氮燃烧深度治理")
    assert "2023年10月底前完成改造" in answer.text  # the fallback quotes the task itself

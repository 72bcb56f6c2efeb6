"""Parser fixtures: the bundled plan parsed once, its hand-made ledger, and a fictional 2025 plan."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from knowledge.model import Plan
from knowledge.parser import parse_plan
from planbot.settings import BUNDLED_PLAN

EXPECTED_LEDGER = Path(__file__).parent / "data" / "expected_ledger_2023.json"

# A fictional plan of another city and year: every tricky shape of the real document, with other names.
SYNTHETIC_2025 = """\
2025年清河市大气污染防治攻坚行动方案
[bookmark: _GoBack]为持续改善空气质量，结合实际，制定本方案。
一、总体要求
坚持精准治污，力争PM2.5年均浓度不超过38微克/立方米，优良天数不少于280天，重污染天数控制在3天以内。
二、重点任务
（一）工业源治理
1.推进钢铁超低排放。2025年6月底前完成烧结机改造，9月底前完成评估监测。
责任领导：周明远
牵头单位：大气科
责任单位：东城、西岭、南湖分局
2.开展锅炉排查。2025年3月起，每月开展一次抽查，将氮氧化物控制在50毫克/立方米。
3.强化监测预警。秋冬季期间加密监测。
责任领导：周明远、孙丽
牵头单位：监测中心
责任单位：各分局（不涉及东城、南湖）
4.推进重点项目。2025年11月15日前，北山水泥完成脱硝改造。
责任领导：孙丽吴海峰
牵头单位：北山、云县、河口分局
（二）移动源治理
5．淘汰老旧车辆。2026年3月底前，完成国三柴油货车淘汰，6月底前完成复核。年底前完成全部更新。
责任领导：吴海峰
牵头单位：机动车中心，执法支队
责任单位：各相关分局,交警支队
四、保障措施
（一）加强组织领导。成立攻坚领导小组，统筹推进各项任务。
（二）强化督查考核。实行周调度、月通报。
"""


def ledger_row(task: Any) -> dict[str, Any]:
    """The fields a hand-made ledger records for a task."""
    return {
        "leaders": list(task.leaders),
        "lead_units": list(task.lead_units),
        "units": list(task.units),
        "due_dates": [d.isoformat() for d in task.due_dates],
        "inherited": task.inherited,
        "notes": list(task.notes),
    }


@pytest.fixture(scope="session")
def parser_plan() -> Plan:
    """The bundled 2023 plan, parsed once."""
    return parse_plan(BUNDLED_PLAN.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def expected_ledger() -> dict[int, dict[str, Any]]:
    """The hand-made ledger of the bundled plan, by task number."""
    rows = json.loads(EXPECTED_LEDGER.read_text(encoding="utf-8"))
    return {row["number"]: row for row in rows}


@pytest.fixture(scope="session")
def synthetic_plan() -> Plan:
    """The fictional 2025 plan, parsed once."""
    return parse_plan(SYNTHETIC_2025)

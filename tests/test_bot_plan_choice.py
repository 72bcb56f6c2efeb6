"""`planbot run/chat --plan` serve the chosen plan; without it, the newest one."""

from __future__ import annotations

import argparse
import io
from pathlib import Path
from typing import Any

import pytest

from bot.cli import chat
from indexer.pipeline import index_document
from planbot.db import Database
from planbot.errors import PlanNotFound
from planbot.settings import BUNDLED_PLAN, Settings


@pytest.fixture
def two_plans(settings: Settings, hash_embeddings: Any, tmp_path: Path) -> Settings:
    """The bundled 2023 plan and next year's version of it, in which task 10 has another leader."""
    text = BUNDLED_PLAN.read_text(encoding="utf-8")
    next_year = tmp_path / "plan-2024.txt"
    next_year.write_text(text.replace("2023", "2024").replace("刘鲲", "张明远"), encoding="utf-8")
    db = Database(settings.database_url)
    index_document(settings, db, BUNDLED_PLAN, embeddings=hash_embeddings)
    index_document(settings, db, next_year, embeddings=hash_embeddings)
    db.dispose()
    return settings


@pytest.mark.slow
@pytest.mark.parametrize(("plan", "leader"), [(None, "张明远"), ("2023", "刘鲲"), ("2024", "张明远")])
def test_chat_serves_the_plan_chosen_with_plan(two_plans: Settings, plan: str | None, leader: str) -> None:
    out = io.StringIO()
    assert chat(argparse.Namespace(plan=plan), two_plans, input=io.StringIO("/task 10\n"), output=out) == 0
    card = out.getvalue()
    assert "第 10 项" in card and f"责任领导：{leader}" in card


def test_an_unknown_plan_is_refused_before_starting(two_plans: Settings) -> None:
    with pytest.raises(PlanNotFound):
        chat(argparse.Namespace(plan="1999"), two_plans, input=io.StringIO("/task 10\n"), output=io.StringIO())

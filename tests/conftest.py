"""Shared fixtures. Feature fixtures live in tests/support_<feature>.py, loaded here as plugins."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# No test may try a model hub or phone home.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

pytest_plugins = sorted(f"tests.{p.stem}" for p in Path(__file__).parent.glob("support_*.py"))

from planbot.settings import BUNDLED_PLAN, Settings  # noqa: E402


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with a fresh data directory and no Telegram token."""
    return Settings(data_dir=tmp_path / "data", admins=frozenset({1001}), allowed_users=frozenset({2001}))


@pytest.fixture(scope="session")
def plan_text() -> str:
    """The bundled plan document."""
    return BUNDLED_PLAN.read_text(encoding="utf-8")

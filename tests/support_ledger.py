"""Ledger fixtures shared by every feature's tests.

- `indexed_template` (session): a data dir with the bundled plan indexed (SQLite + Chroma, real model), built ONCE;
- `indexed_settings`: Settings on a fresh copy of it (admins {1001}, allowed_users {2001});
- `ledger_db`: a Database on that copy;  `bundled_plan` (session): the parsed bundled plan;
- `hash_embeddings`: a fast deterministic Embeddings fake (character n-grams hashed), for index tests;
- `make_plan(...)`: a small hand-made Plan (for tests that need a second or a changed plan).
"""

from __future__ import annotations

import hashlib
import itertools
import math
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from knowledge.model import Paragraph, Plan, Task, TimeExpr
from planbot.db import Database
from planbot.settings import BUNDLED_PLAN, Settings

ADMIN_ID = 1001
USER_ID = 2001


class HashEmbeddings(Embeddings):
    """Deterministic bag of character bigrams hashed into 256 dims; texts sharing words land near each other."""

    model_name = "test-hash-embeddings"
    dim = 256

    def __init__(self) -> None:
        self.calls = 0
        self.embedded = 0

    def _vector(self, text: str) -> list[float]:
        vec = [0.0] * self.dim
        chars = [c for c in text if not c.isspace()]
        for a, b in itertools.pairwise(chars):
            slot = int.from_bytes(hashlib.blake2b((a + b).encode(), digest_size=4).digest(), "big") % self.dim
            vec[slot] += 1.0
        norm = math.sqrt(sum(x * x for x in vec)) or 1.0
        return [x / norm for x in vec]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed documents."""
        self.calls += 1
        self.embedded += len(texts)
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        """Embed a query."""
        return self._vector(text)


class FailingEmbeddings(HashEmbeddings):
    """Raises on the n-th batch: an embedder that dies midway through indexing."""

    def __init__(self, fail_on_call: int) -> None:
        super().__init__()
        self.fail_on_call = fail_on_call

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed, or fail on the chosen call."""
        if self.calls + 1 >= self.fail_on_call:
            self.calls += 1
            raise RuntimeError("embedder crashed midway")
        return super().embed_documents(texts)


def make_task(number: int, title: str, *, text: str = "", due: date | None = None, leaders: tuple[str, ...] = ("张三",),
              lead_units: tuple[str, ...] = ("大气办",), units: tuple[str, ...] = ("各分局",)) -> Task:
    """A hand-made task."""
    deadlines = (TimeExpr("due", f"{due.year}年{due.month}月底前", due),) if due else ()
    return Task(number=number, title=title, text=text or f"{title}。完成相关工作。", section="（一）测试分组",
                chapter="二、重点任务", leaders=leaders, lead_units=lead_units, units=units, deadlines=deadlines)


def make_plan(year: int = 2030, title: str | None = None, tasks: tuple[Task, ...] | None = None) -> Plan:
    """A small hand-made plan (three tasks and a safeguards paragraph unless told otherwise)."""
    if tasks is None:
        tasks = (
            make_task(1, "燃气锅炉低氮改造", text="燃气锅炉低氮改造。氮氧化物控制在30毫克/立方米。",
                      due=date(year, 10, 31)),
            make_task(2, "施工工地扬尘治理", text="施工工地扬尘治理。落实六个百分百。", due=date(year, 6, 30)),
            make_task(3, "重型柴油货车监管", text="重型柴油货车监管。开展路检路查。", leaders=("李四",)),
        )
    return Plan(title=title or f"{year}年空气质量改善行动方案", year=year, tasks=tasks,
                paragraphs=(Paragraph("safeguard", "（一）加强组织领导", "成立工作专班，定期调度。", "safeguard-1"),))


def plan_text(plan: Plan) -> str:
    """A document text standing in for the plan's source (only its fingerprint matters to the ledger)."""
    return plan.title + "\n" + "\n".join(f"{t.number}.{t.text}" for t in plan.tasks)


@pytest.fixture(scope="session")
def bundled_plan() -> Plan:
    """The bundled plan, parsed."""
    from knowledge.parser import parse_plan

    return parse_plan(BUNDLED_PLAN.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def indexed_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir with the bundled plan indexed (SQLite ledger + Chroma with the default model), built once."""
    from indexer.pipeline import index_document
    from indexer.vectorstore import release_client

    data = tmp_path_factory.mktemp("ledger-template") / "data"
    settings = Settings(data_dir=data)
    db = Database(settings.database_url)
    try:
        index_document(settings, db, BUNDLED_PLAN)
    finally:
        db.dispose()
        release_client(settings)  # flush and close Chroma so the folder can be copied
    return data


@pytest.fixture
def indexed_settings(indexed_template: Path, tmp_path: Path) -> Iterator[Settings]:
    """Settings on a fresh copy of the indexed template (admins {1001}, allowed_users {2001})."""
    from indexer.vectorstore import release_client

    data = tmp_path / "indexed-data"
    # The model's start-up cache (~80 MB, only ever read once built) is shared with the template, not copied.
    shutil.copytree(indexed_template, data, ignore=shutil.ignore_patterns("models"))
    if (indexed_template / "models").is_dir():
        (data / "models").symlink_to(indexed_template / "models", target_is_directory=True)
    settings = Settings(data_dir=data, admins=frozenset({ADMIN_ID}), allowed_users=frozenset({USER_ID}))
    yield settings
    release_client(settings)


@pytest.fixture
def ledger_db(indexed_settings: Settings) -> Iterator[Database]:
    """The ledger database of `indexed_settings`."""
    db = Database(indexed_settings.database_url)
    yield db
    db.dispose()


@pytest.fixture
def hash_embeddings() -> HashEmbeddings:
    """Fast deterministic embeddings for index tests that do not need the real model."""
    return HashEmbeddings()

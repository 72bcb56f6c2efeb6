"""Wiring the Q&A engine for a process: the ledger's plan, lazy dense retrieval from Chroma, optional LLM."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from knowledge.qa.engine import QAEngine
from planbot.db import Database
from planbot.errors import PlanbotError
from planbot.settings import Settings

log = logging.getLogger(__name__)


class LazyDense:
    """Dense search that opens the vector index (and loads the embedding model) only on its first use."""

    def __init__(self, settings: Settings, db: Database, selector: str | None = None) -> None:
        self.settings = settings
        self.db = db
        self.selector = selector
        self._index: object | None = None
        self._failed = False
        self._lock = threading.Lock()
        self.calls = 0

    @property
    def loaded(self) -> bool:
        """Whether the index (and its model) has been opened."""
        return self._index is not None

    def __call__(self, query: str, k: int) -> Sequence[tuple[str, float]]:
        """(doc key, similarity) best first; empty when no vector index is available."""
        self.calls += 1
        with self._lock:
            if self._index is None and not self._failed:
                from indexer.vectorstore import open_index_for_plan

                try:
                    self._index = open_index_for_plan(self.settings, self.db, self.selector)
                except PlanbotError as exc:  # no index yet: answers still come from the ledger and BM25
                    log.warning("dense retrieval off: %s", exc)
                    self._failed = True
        if self._index is None:
            return []
        return self._index.search(query, k)  # type: ignore[attr-defined]


def load_engine(settings: Settings, db: Database, selector: str | None = None, *, dense: bool = True) -> QAEngine:
    """The engine for the selected plan (newest by default); heavy models load only when a question needs them."""
    from indexer.ledger import load_plan
    from knowledge.qa.llm import build_rephraser

    plan = load_plan(db, selector)
    return QAEngine(
        plan,
        dense=LazyDense(settings, db, selector) if dense else None,
        llm=build_rephraser(settings),
        jieba_cache=settings.jieba_cache,
        timezone=settings.timezone,
    )

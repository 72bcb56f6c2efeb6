"""Wiring the Q&A engine for a process: the ledger's plan, lazy dense scores from the plan's vectors, optional LLM."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from indexer import texts as msg
from indexer.dense import DocVectors, SentenceIndex, snapshot_path
from knowledge.qa.engine import QAEngine
from planbot.db import Database
from planbot.errors import EmbeddingModelError, PlanbotError, VectorIndexMissing
from planbot.settings import Settings
from planbot.storage import writable

log = logging.getLogger(__name__)


class LazyDense:
    """Dense scores for the selected plan's documents; the vectors and the embedding model load on first use.

    `scores(q)` gives every document's cosine by key, `dense_scores(q)` every task's by task number, and
    calling it as `dense(q, k)` gives the k best (key, cosine) — the engine's `Dense` protocol. The vectors come from
    the collection's numpy copy (indexer.dense), so a question costs one query embedding and a 40×512 product.
    """

    def __init__(self, settings: Settings, db: Database, selector: str | None = None) -> None:
        self.settings = settings
        self.db = db
        self.selector = selector
        self._vectors: DocVectors | None = None
        self._sentences: SentenceIndex | None = None
        self._failed = False
        self._lock = threading.Lock()
        self.calls = 0
        # The engine may score the same question several times (variants of one ask); embedding is the cost.
        self._query_vector = lru_cache(maxsize=256)(self._embed)

    @property
    def loaded(self) -> bool:
        """Whether the plan's vectors have been opened."""
        return self._vectors is not None

    def _open(self) -> DocVectors | None:
        with self._lock:
            if self._vectors is None and not self._failed:
                from indexer.dense import doc_vectors
                from indexer.ledger import select_plan

                try:
                    record = select_plan(self.db, self.selector)
                    model = record.embedding_model or self.settings.embedding_model
                    if not record.collection or not self._stored(record.collection):
                        raise VectorIndexMissing(
                            msg.VECTOR_INDEX_MISSING.plain(title=record.title, year=record.year))
                    self._vectors = doc_vectors(self.settings, record.collection, model)
                    self._sentences = self._open_sentences(record.collection, model)
                except PlanbotError as exc:  # no index yet: answers still come from the ledger and BM25
                    log.warning("dense retrieval off: %s", exc)
                    self._failed = True
        return self._vectors

    def _open_sentences(self, collection: str, model: str) -> SentenceIndex | None:
        """The sentence vectors written at index time (None for an index built before them: doc scores only)."""
        from indexer.dense import SENTENCES, load_snapshot

        found = load_snapshot(self.settings, collection, model, SENTENCES)
        return SentenceIndex.of(found) if found is not None and found.keys else None

    def _stored(self, collection: str) -> bool:
        """Whether the collection's vectors exist (its numpy copy, else Chroma: opened only then)."""
        if snapshot_path(self.settings, collection).is_file():
            return True
        from indexer.vectorstore import collection_exists

        return collection_exists(self.settings, collection)

    def _embed(self, query: str) -> np.ndarray:
        from indexer.embeddings import encoder

        assert self._vectors is not None
        return encoder(self._vectors.model, self.settings.models_dir)([query])[0]

    def scores(self, query: str) -> dict[str, float]:
        """Cosine of `query` to every document of the plan, by key ("task:12", "para:…"); {} without an index."""
        self.calls += 1
        vectors = self._open()
        if vectors is None or not query.strip():
            return {}
        try:
            return vectors.cosines(self._query_vector(query))
        except EmbeddingModelError as exc:  # the model cannot load here: the same as having no index
            log.warning("dense retrieval off: %s", exc)
            self._failed, self._vectors = True, None
            return {}

    def sentence_scores(self, query: str) -> dict[str, float]:
        """Each document's best sentence cosine to `query`, by doc key; {} without sentence vectors."""
        self.scores(query)  # opens the vectors (and counts the call) once
        if self._sentences is None or self._vectors is None or not query.strip():
            return {}
        try:
            return self._sentences.best(self._query_vector(query))
        except EmbeddingModelError as exc:
            log.warning("dense retrieval off: %s", exc)
            self._failed, self._vectors, self._sentences = True, None, None
            return {}

    def dense_scores(self, question: str) -> dict[int, float]:
        """Cosine of `question` to every task's document, by task number; {} without an index."""
        return {int(key.removeprefix("task:")): score for key, score in self.scores(question).items()
                if key.startswith("task:") and key.removeprefix("task:").isdigit()}

    def __call__(self, query: str, k: int) -> Sequence[tuple[str, float]]:
        """The k best (doc key, cosine), best first; empty when no vector index is available."""
        ranked = sorted(self.scores(query).items(), key=lambda item: -item[1])
        return ranked[:max(k, 0)]


def load_engine(settings: Settings, db: Database, selector: str | None = None, *, dense: bool = True) -> QAEngine:
    """The engine for the selected plan (newest by default); heavy models load only when a question needs them."""
    from indexer import learning
    from indexer.ledger import load_plan, plan_key
    from knowledge.qa.llm import build_rephraser

    plan = load_plan(db, selector)
    key = plan_key(plan)
    aliases, mappings = db.run(lambda s: (learning.aliases(s), learning.mappings(s, key)))
    # jieba writes its cache beside the path it is given: on a read-only data dir without one, its temp dir.
    cache = settings.jieba_cache
    jieba_cache = cache if cache.is_file() or writable(cache.parent) else None
    return QAEngine(
        plan,
        lexicon=aliases,
        mappings=mappings,
        dense=LazyDense(settings, db, selector) if dense else None,
        llm=build_rephraser(settings),
        jieba_cache=jieba_cache,
        timezone=settings.timezone,
    )

"""The Chroma vector index (through langchain-chroma): one collection per indexed plan version.

A persistent folder in the data dir by default; a Chroma server when CHROMA_HOST is set (same code).
Telemetry is off. Used by the Q&A engine through `open_index_for_plan(...).search(query, k)`.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
import uuid
from collections.abc import Callable, Sequence
from contextlib import closing
from typing import TYPE_CHECKING, Any

from langchain_core.embeddings import Embeddings

from indexer import texts as msg
from indexer.documents import IndexDoc
from planbot.db import Database
from planbot.errors import VectorIndexMissing
from planbot.settings import Settings

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from langchain_chroma import Chroma

log = logging.getLogger(__name__)
_clients: dict[str, ClientAPI] = {}
_clients_lock = threading.Lock()
# Cosine distance: similarity = 1 - distance, comparable across queries.
COLLECTION_CONFIGURATION: dict[str, Any] = {"hnsw": {"space": "cosine"}}


def _client_id(settings: Settings) -> str:
    if settings.chroma_host:
        return f"http://{settings.chroma_host}:{settings.chroma_port}"
    return str(settings.chroma_dir.resolve())


def chroma_client(settings: Settings) -> ClientAPI:
    """The Chroma client for these settings (HTTP when chroma_host is set, else the data-dir folder), shared."""
    ident = _client_id(settings)
    with _clients_lock:
        client = _clients.get(ident)
        if client is None:
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            chroma_settings = ChromaSettings(anonymized_telemetry=False)
            if settings.chroma_host:
                client = chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port,
                                             settings=chroma_settings)
            else:
                settings.chroma_dir.mkdir(parents=True, exist_ok=True)
                client = chromadb.PersistentClient(path=ident, settings=chroma_settings)
            _clients[ident] = client
        return client


def release_client(settings: Settings) -> None:
    """Close the shared client for these settings (frees SQLite handles; tests call it on teardown)."""
    with _clients_lock:
        client = _clients.pop(_client_id(settings), None)
    if client is not None:
        client.close()  # type: ignore[attr-defined]  # Client has close(); the protocol type does not


def new_collection_name(plan_key: str, year: int) -> str:
    """A fresh collection name for a plan version (Chroma allows [a-zA-Z0-9._-] only, hence the hash)."""
    return f"plan-{year}-{hashlib.sha256(plan_key.encode()).hexdigest()[:10]}-{uuid.uuid4().hex[:8]}"


def collection_exists(settings: Settings, name: str) -> bool:
    """Is there a collection of this name?"""
    try:
        chroma_client(settings).get_collection(name)
    except Exception as exc:
        if _is_not_found(exc):
            return False
        raise
    return True


def stored_count(settings: Settings, name: str) -> int | None:
    """How many vectors the local Chroma folder holds for `name`, read from its SQLite file without chromadb.

    0 when the folder or the collection is gone; None when this cannot be told cheaply (a Chroma server, or a
    Chroma version whose tables differ): then ask Chroma itself.
    """
    if settings.chroma_host:
        return None
    path = settings.chroma_dir / "chroma.sqlite3"
    if not path.is_file():
        return 0
    try:
        with closing(sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)) as conn:
            row = conn.execute(
                "SELECT count(e.id) FROM collections c JOIN segments s ON s.collection = c.id"
                " JOIN embeddings e ON e.segment_id = s.id WHERE c.name = ?", (name,)).fetchone()
    except sqlite3.Error as exc:
        log.info("cannot count %s in %s without Chroma: %s", name, path, exc)
        return None
    return int(row[0]) if row else 0


def drop_collection(settings: Settings, name: str) -> bool:
    """Delete a collection and its numpy copy; False when the collection did not exist."""
    from indexer.dense import drop_snapshot

    drop_snapshot(settings, name)
    try:
        chroma_client(settings).delete_collection(name)
    except Exception as exc:  # chromadb raises NotFoundError / ValueError depending on the backend
        log.info("collection %s not dropped: %s", name, exc)
        return False
    return True


Resolver = Callable[[], tuple[str | None, str | None]]  # -> (current collection, its embedding model)


class VectorIndex:
    """One Chroma collection of plan documents, searched by meaning.

    With a `resolver` (open_index_for_plan gives one), a search that finds its collection gone (re-indexed by
    another process, which drops the old collection) asks the ledger for the current one and retries once.
    """

    def __init__(self, settings: Settings, collection: str, *, embeddings: Embeddings | None = None,
                 model_name: str | None = None, resolver: Resolver | None = None) -> None:
        self.settings = settings
        self.collection = collection
        self._embeddings = embeddings
        self._model_name = model_name or settings.embedding_model
        self._resolver = resolver
        self._store: Chroma | None = None

    @property
    def embeddings(self) -> Embeddings:
        """The embedding function (loaded lazily, shared per model)."""
        if self._embeddings is None:
            from indexer.embeddings import embeddings_for

            self._embeddings = embeddings_for(self._model_name, self.settings.models_dir)
        return self._embeddings

    def _chroma(self, *, create: bool = False) -> Chroma:
        if self._store is None:
            from langchain_chroma import Chroma

            self._store = Chroma(
                collection_name=self.collection, embedding_function=self.embeddings,
                client=chroma_client(self.settings), collection_configuration=COLLECTION_CONFIGURATION,  # type: ignore[arg-type]
                create_collection_if_not_exists=create,
            )
        return self._store

    def add(self, docs: Sequence[IndexDoc], *, batch_size: int = 128) -> int:
        """Embed and store documents in batches (creating the collection); returns how many were added."""
        store = self._chroma(create=True)
        for start in range(0, len(docs), batch_size):
            batch = docs[start:start + batch_size]
            store.add_texts([d.text for d in batch], metadatas=[dict(d.metadata) for d in batch],
                            ids=[d.id for d in batch])
        return len(docs)

    def count(self) -> int:
        """How many documents the collection holds."""
        return int(self._chroma()._collection.count())

    def search(self, query: str, k: int = 5) -> list[tuple[str, float]]:
        """The k documents nearest to `query`: (doc key such as "task:12", cosine similarity), best first."""
        if not query.strip() or k <= 0:
            return []
        try:
            return self._search(query, k)
        except Exception as exc:
            if not _is_not_found(exc) or not self._follow_reindex():
                raise
            return self._search(query, k)

    def _follow_reindex(self) -> bool:
        """Switch to the ledger's current collection; False when there is no other one."""
        if self._resolver is None:
            raise VectorIndexMissing(msg.VECTOR_INDEX_GONE)
        name, model = self._resolver()
        if not name or name == self.collection:
            raise VectorIndexMissing(msg.VECTOR_INDEX_GONE)
        log.info("collection %s was replaced by %s; following the re-index", self.collection, name)
        if (model or self.settings.embedding_model) != self._model_name:
            self._embeddings = None
            self._model_name = model or self.settings.embedding_model
        self.collection, self._store = name, None
        return True

    def _search(self, query: str, k: int) -> list[tuple[str, float]]:
        store = self._chroma()
        k = min(k, int(store._collection.count()))
        if k == 0:
            return []
        hits = store.similarity_search_with_score(query, k=k)
        return [(str(doc.id), 1.0 - float(distance)) for doc, distance in hits]

    def get(self, ids: Sequence[str]) -> dict[str, tuple[str, dict[str, Any]]]:
        """Stored text and metadata by id (ids not stored are left out)."""
        got = self._chroma()._collection.get(ids=list(ids), include=["documents", "metadatas"])
        docs, metas = got.get("documents") or [], got.get("metadatas") or []
        return {i: (d or "", dict(m or {})) for i, d, m in zip(got["ids"], docs, metas, strict=False)}


def _is_not_found(exc: Exception) -> bool:
    """Chroma's 'collection does not exist' (NotFoundError; older backends raise ValueError/InvalidCollection)."""
    return type(exc).__name__ in {"NotFoundError", "InvalidCollectionException"} or "does not exist" in str(exc)


def open_index_for_plan(settings: Settings, db: Database, selector: str | None = None, *,
                        embeddings: Embeddings | None = None) -> VectorIndex:
    """The vector index of the plan that `selector` names (newest when None), with the model it was built with."""
    from indexer.ledger import select_plan

    record = select_plan(db, selector)
    if not record.collection or not collection_exists(settings, record.collection):
        raise VectorIndexMissing(msg.VECTOR_INDEX_MISSING.plain(title=record.title, year=record.year))
    key = record.key

    def resolve() -> tuple[str | None, str | None]:
        current = select_plan(db, key)
        return current.collection, current.embedding_model

    return VectorIndex(settings, record.collection, embeddings=embeddings, model_name=record.embedding_model,
                       resolver=resolve)

"""Dense scores for every document of a plan: cosine of the question to each vector of the plan's Chroma collection.

A plan has a few dozen documents, so the exact cosine against all of them costs one small matrix product; what
costs is opening Chroma (about a second of imports in a fresh process). Each collection's vectors are therefore
also kept as a numpy file (`vectors/<collection>.npz` in the data dir), written when the collection is built and,
for a collection built before that file existed or on another machine, read once from Chroma on first use.
A collection is never changed after it is built (a re-index makes a new one), so its file never goes stale;
it is deleted with the collection.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from planbot.settings import Settings

log = logging.getLogger(__name__)

Embed = Callable[[list[str]], Sequence[Sequence[float]]]
SENTENCES = "sentences"  # the part holding one vector per sentence, title and responsibility block of each document


@dataclass(frozen=True)
class DocVectors:
    """The stored vectors of one collection: document keys ("task:12", "para:…") and their unit vectors."""

    collection: str
    model: str
    keys: tuple[str, ...]
    matrix: np.ndarray  # (len(keys), dim) float32, rows L2-normalised

    def cosines(self, query: np.ndarray) -> dict[str, float]:
        """Cosine of a unit query vector to every document, by key."""
        if not self.keys:
            return {}
        sims = self.matrix @ np.asarray(query, dtype=np.float32).reshape(-1)
        return {key: float(s) for key, s in zip(self.keys, sims.tolist(), strict=True)}


def snapshot_path(settings: Settings, collection: str, part: str = "") -> Path:
    """Where the numpy copy of a collection's vectors lives (`part="sentences"`: its sentence-level vectors)."""
    return settings.vectors_dir / (f"{collection}.{part}.npz" if part else f"{collection}.npz")


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    if matrix.ndim != 2:
        matrix = matrix.reshape(len(matrix), -1)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)


def save_snapshot(settings: Settings, vectors: DocVectors, part: str = "") -> Path:
    """Write the copy atomically (a reader never sees half a file)."""
    path = snapshot_path(settings, vectors.collection, part)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".npz")
    try:
        with os.fdopen(fd, "wb") as out:
            np.savez(out, keys=np.array(vectors.keys, dtype=str), matrix=vectors.matrix,
                     model=np.array(vectors.model))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def load_snapshot(settings: Settings, collection: str, model: str, part: str = "") -> DocVectors | None:
    """The copy of this collection built with this model; None when missing or unreadable."""
    path = snapshot_path(settings, collection, part)
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as z:
            stored_model = str(z["model"])
            keys = tuple(str(k) for k in z["keys"].tolist())
            matrix = np.asarray(z["matrix"], dtype=np.float32)
    except (OSError, ValueError, KeyError) as exc:  # a damaged file is only a cache miss
        log.warning("ignoring unreadable vector file %s: %s", path, exc)
        return None
    if stored_model != model or matrix.ndim != 2 or matrix.shape[0] != len(keys):
        return None
    return DocVectors(collection, model, keys, matrix)


def snapshot_keys(settings: Settings, collection: str, part: str = "") -> int | None:
    """How many vectors the collection's numpy copy holds: None without a copy, -1 when it cannot be read."""
    path = snapshot_path(settings, collection, part)
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as z:
            return int(z["keys"].shape[0])
    except (OSError, ValueError, KeyError):
        return -1


def drop_snapshot(settings: Settings, collection: str) -> None:
    """Delete the copies of a dropped collection."""
    snapshot_path(settings, collection).unlink(missing_ok=True)
    snapshot_path(settings, collection, SENTENCES).unlink(missing_ok=True)


def read_from_chroma(settings: Settings, collection: str, model: str) -> DocVectors:
    """Every vector of a Chroma collection, as stored."""
    from indexer.vectorstore import chroma_client

    got = chroma_client(settings).get_collection(collection).get(include=["embeddings"])
    embeddings = got.get("embeddings")
    keys = tuple(str(i) for i in got["ids"])
    matrix = _unit_rows(np.asarray(embeddings if embeddings is not None else [], dtype=np.float32))
    if not keys:
        matrix = np.zeros((0, 0), dtype=np.float32)
    return DocVectors(collection, model, keys, matrix)


def doc_vectors(settings: Settings, collection: str, model: str) -> DocVectors:
    """The collection's vectors: the numpy copy, or Chroma once (then the copy is written for next time)."""
    found = load_snapshot(settings, collection, model)
    if found is not None:
        return found
    vectors = read_from_chroma(settings, collection, model)
    try:
        save_snapshot(settings, vectors)
    except OSError as exc:  # a read-only data dir only costs the next process a Chroma read
        log.warning("vector file not written for %s: %s", collection, exc)
    return vectors


def sentence_vectors(collection: str, model: str, units: list[tuple[str, str]], embed: Embed) -> DocVectors:
    """One unit vector per sentence unit ("task:12#3"), embedded at index time."""
    keys = tuple(k for k, _ in units)
    if not keys:
        return DocVectors(collection, model, keys, np.zeros((0, 0), dtype=np.float32))
    return DocVectors(collection, model, keys, _unit_rows(np.asarray(embed([t for _, t in units]), dtype=np.float32)))


@dataclass(frozen=True)
class SentenceIndex:
    """Sentence vectors grouped by document: a question's best sentence per document in one product."""

    vectors: DocVectors
    docs: tuple[str, ...]
    group: np.ndarray  # for each row, the index of its document in `docs`

    @classmethod
    def of(cls, vectors: DocVectors) -> SentenceIndex:
        """Group the rows by the document key before "#"."""
        owners = [k.rsplit("#", 1)[0] for k in vectors.keys]
        docs = tuple(dict.fromkeys(owners))
        index = {d: i for i, d in enumerate(docs)}
        return cls(vectors, docs, np.array([index[o] for o in owners], dtype=np.int64))

    def best(self, query: np.ndarray) -> dict[str, float]:
        """Each document's best sentence cosine to a unit query vector."""
        if not self.docs:
            return {}
        sims = self.vectors.matrix @ np.asarray(query, dtype=np.float32).reshape(-1)
        out = np.full(len(self.docs), -1.0, dtype=np.float32)
        np.maximum.at(out, self.group, sims)
        return {d: float(s) for d, s in zip(self.docs, out.tolist(), strict=True)}

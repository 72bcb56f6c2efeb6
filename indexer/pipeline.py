"""Index a plan document: parse (pure) → embed into a NEW collection → one SQL transaction → drop the old collection.

Any failure before the commit drops the new collection, so the ledger and the old collection stay as they were.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from langchain_core.embeddings import Embeddings

from indexer import ledger
from indexer import texts as msg
from knowledge.model import Plan
from planbot.db import Database
from planbot.errors import DocumentError, UsageError
from planbot.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IndexReport:
    """What an index run found and did."""

    key: str
    title: str
    year: int
    version: int
    tasks: int
    inherited_blocks: int
    warnings: tuple[str, ...]
    documents: int  # documents in the vector index
    collection: str | None
    source: str
    unchanged: bool = False  # nothing was written
    replaced: bool = False  # a changed document replaced an earlier version's tasks
    rebuilt: bool = False  # same content, vector index rebuilt (missing, or another embedding model)
    previous_version: int | None = None
    shape: str = ""  # block / inline / mixed: how the plan writes its responsibilities


def _report(plan: Plan, record: ledger.PlanRecord, documents: int, **flags: object) -> IndexReport:
    return IndexReport(
        key=record.key, title=record.title, year=record.year, version=record.version, tasks=len(plan.tasks),
        inherited_blocks=plan.inherited_blocks, warnings=tuple(plan.warnings), documents=documents,
        collection=record.collection, source=record.source, shape=plan.meta.get("shape", ""), **flags,  # type: ignore[arg-type]
    )


def index_plan(
    settings: Settings,
    db: Database,
    plan: Plan,
    *,
    text: str,
    source: str,
    if_changed: bool = False,
    selector: str | None = None,
    embeddings: Embeddings | None = None,
    batch_size: int = 128,
) -> IndexReport:
    """Store and embed a parsed plan atomically; a no-op when the same content is already indexed.

    An unchanged plan whose collection (or its numpy copy) is missing or incomplete gets its index rebuilt.
    `if_changed` (the fast start-up check) counts the collection in Chroma's SQLite file without opening Chroma.
    """
    if not plan.tasks:
        raise DocumentError(msg.INDEX_NO_TASKS)
    if selector and not ledger.matches(selector, plan.year, plan.title, ledger.plan_key(plan)):
        raise UsageError(msg.INDEX_PLAN_MISMATCH.plain(title=plan.title, year=plan.year, selector=selector))
    from indexer.documents import plan_documents

    key = ledger.plan_key(plan)
    digest = ledger.text_sha256(text)
    model_name = str(getattr(embeddings, "model_name", None) or settings.embedding_model)
    docs = plan_documents(plan, key)
    existing = ledger.get_record(db, key)
    same_content = (existing is not None and existing.sha256 == digest
                    and ledger.stored_plan_json(db, key) == ledger.plan_json(plan))
    if (existing is not None and same_content and existing.collection and existing.embedding_model == model_name
            and _index_complete(settings, existing.collection, len(docs), cheap=if_changed)):
        return _report(plan, existing, len(docs), unchanged=True)

    from indexer.dense import SENTENCES, read_from_chroma, save_snapshot, sentence_vectors
    from indexer.vectorstore import VectorIndex, drop_collection, new_collection_name
    from knowledge.qa.corpus import build_docs, sentence_units

    name = new_collection_name(key, plan.year)
    try:
        index = VectorIndex(settings, name, embeddings=embeddings, model_name=model_name)
        index.add(docs, batch_size=batch_size)
        # The numpy copy of what Chroma stored: questions score against it without opening Chroma.
        save_snapshot(settings, read_from_chroma(settings, name, model_name))
        # A question usually matches one sentence of a task, not its whole text: one vector per sentence too.
        units = sentence_units(build_docs(plan))
        save_snapshot(settings, sentence_vectors(name, model_name, units, index.embeddings.embed_documents),
                      SENTENCES)
        record = ledger.save_plan(db, plan, source, sha256=digest, collection=name, embedding_model=model_name)
    except BaseException:
        # Nothing was committed: the ledger still points at the old collection, which we never touched.
        drop_collection(settings, name)
        raise
    if existing is not None and existing.collection and existing.collection != name:
        drop_collection(settings, existing.collection)
    return _report(plan, record, len(docs), replaced=existing is not None and not same_content,
                   rebuilt=same_content, previous_version=existing.version if existing else None)


def _collection_complete(settings: Settings, name: str, expected: int) -> bool:
    from indexer.vectorstore import VectorIndex, collection_exists

    return collection_exists(settings, name) and VectorIndex(settings, name).count() == expected


def _index_complete(settings: Settings, name: str, expected: int, *, cheap: bool) -> bool:
    """Chroma holds all `expected` vectors of `name`, its numpy copy (when there is one) holds them too, and its
    sentence vectors (written only at index time) are there."""
    from indexer.dense import SENTENCES, snapshot_keys
    from indexer.vectorstore import stored_count

    keys = snapshot_keys(settings, name)
    if keys is not None and keys != expected:
        return False
    sentences = snapshot_keys(settings, name, SENTENCES)
    if sentences is None or sentences <= 0:
        return False
    count = stored_count(settings, name) if cheap else None
    if count is not None:
        return count == expected
    return _collection_complete(settings, name, expected)


def index_document(
    settings: Settings,
    db: Database,
    path: Path | str,
    *,
    if_changed: bool = False,
    selector: str | None = None,
    embeddings: Embeddings | None = None,
) -> IndexReport:
    """Read, parse, store and embed the plan document at `path` (DocumentError: nothing changed)."""
    from indexer.loader import check_task_count, read_document
    from knowledge.parser import parse_plan

    path = Path(path)
    text = read_document(path, max_mb=settings.max_document_mb)
    check_task_count(path, text, settings.max_tasks)
    plan = parse_plan(text)
    return index_plan(settings, db, plan, text=text, source=str(path.resolve()), if_changed=if_changed,
                      selector=selector, embeddings=embeddings)

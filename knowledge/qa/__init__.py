"""Grounded question answering over a parsed plan. OWNER: qa helper.

Contract used by the bot and the CLI:
- knowledge.qa.engine.QAEngine(plan, *, dense=None, llm=None).ask(question: str, now: datetime) -> Answer
  Answer: text (plain Chinese text, newlines allowed, NOT HTML-escaped), tasks (cited numbers, in order),
  refused (bool), sources (list of dicts). `dense` is an optional callable (query, k) -> [(doc_key, score)].
- indexer.runtime.load_engine(settings, db, selector=None) -> QAEngine  (the adapter that wires ledger, Chroma,
  embeddings and optional LLM; loads heavy models lazily, only when a question needs dense retrieval)
  `llm` is a LangChain chat model or a callable (question, answer, passages) -> str | None.

Modules: question (intent + entities), periods (relative dates), tokenize (jieba + the plan's names), bm25,
corpus (documents and sentences), retrieval (BM25 + gated dense), coverage (refusal evidence), compose / answer /
lists (wording), grounding (the number/date check), llm (optional phrasing), engine (QAEngine).
"""

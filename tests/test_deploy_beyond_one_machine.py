"""Beyond one machine: the same code on PostgreSQL (DATABASE_URL) and on a Chroma server (CHROMA_HOST)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text

from indexer.ledger import current_plan_key, load_plan
from indexer.pipeline import index_document
from indexer.vectorstore import VectorIndex, release_client
from planbot import people
from planbot.cli import main
from planbot.db import Database
from planbot.settings import BUNDLED_PLAN, Settings
from supervision import store

pytestmark = pytest.mark.slow  # subprocesses / real servers: `make test-fast` skips this module

NOW = datetime(2023, 10, 30, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def stack_url(postgres_url: str) -> Iterator[str]:
    """A fresh database on the throwaway PostgreSQL server (other tests keep theirs)."""
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS planbot_stack"))
        conn.execute(text("CREATE DATABASE planbot_stack"))
    yield postgres_url.replace("/postgres?", "/planbot_stack?")
    admin.dispose()


def test_ledger_people_and_replies_on_postgresql(stack_url: str, tmp_path: Path, hash_embeddings: Any,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    settings = Settings(data_dir=tmp_path / "data", database_url_override=stack_url)
    db = Database(settings.database_url)  # every feature's migrations, on PostgreSQL
    first = index_document(settings, db, BUNDLED_PLAN, embeddings=hash_embeddings)
    again = index_document(settings, db, BUNDLED_PLAN, embeddings=hash_embeddings)
    assert hash_embeddings.calls > 0 and again is not None and first is not None
    plan = load_plan(db)
    assert len(plan.tasks) == 37 and plan.task(35) is not None and plan.task(35).leaders == ("薛扬", "马芳林")  # type: ignore[union-attr]

    key = current_plan_key(db)
    with db.session() as s:
        assert people.bind(s, 424242, "大气办")
        store.add_reply(s, plan_key=key, round_key="2023-W44", task=3, unit="大气办", role="lead", status="已完成",
                        telegram_id=424242, now=NOW, note="已完成升级")
    with db.session() as s:
        assert people.ids_of(s, "大气办") == [424242]
        assert store.completed_tasks(s, key, plan, {}) == {3}
        # The note prompts' frozen DDL works on PostgreSQL too.
        store.open_prompt(s, chat_id=424242, message_id=7, telegram_id=424242, reply_ids=[1], step="note", now=NOW)
    with db.session() as s:
        prompt = store.find_prompt(s, 424242, 7)
        assert prompt is not None and prompt.reply_ids == (1,)

    # The command line reads DATABASE_URL like every other setting.
    monkeypatch.setenv("DATABASE_URL", stack_url)
    monkeypatch.setenv("PLANBOT_DATA_DIR", str(tmp_path / "data"))
    assert main(["tasks", "--json"]) == 0
    tasks = json.loads(capsys.readouterr().out)
    assert [t["number"] for t in tasks] == list(range(1, 38))
    db.dispose()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def chroma_port(tmp_path: Path) -> Iterator[int]:
    """A Chroma server (the `chroma run` binary that chromadb ships) on a free loopback port."""
    exe = Path(sys.executable).parent / "chroma"
    if not exe.exists():
        pytest.skip("the chroma server binary is not installed")
    port = _free_port()
    log = (tmp_path / "chroma.log").open("wb")
    proc = subprocess.Popen([str(exe), "run", "--path", str(tmp_path / "chroma-server"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"chroma server did not start: {(tmp_path / 'chroma.log').read_text()[-500:]}")
                time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def test_index_and_search_through_a_chroma_server(chroma_port: int, tmp_path: Path, hash_embeddings: Any) -> None:
    settings = Settings(data_dir=tmp_path / "data", chroma_host="127.0.0.1", chroma_port=chroma_port)
    db = Database(settings.database_url)
    try:
        index_document(settings, db, BUNDLED_PLAN, embeddings=hash_embeddings)
        with db.session() as s:
            collection = s.execute(text("SELECT collection FROM plans")).scalar_one()
        hits = VectorIndex(settings, collection, embeddings=hash_embeddings).search("推进禁燃区划定", 3)
        assert hits[0][0] == "task:20"
        assert not settings.chroma_dir.exists()  # nothing was written to the local folder
    finally:
        release_client(settings)
        db.dispose()

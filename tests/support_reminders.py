"""Reminder fixtures: a SQLite ledger with the bundled plan, a recording bot, a throwaway PostgreSQL server.

- `reminder_settings` / `reminder_db`: fresh data dir, the bundled plan saved in the ledger (no embeddings);
- `RecordingBot`: an in-process stand-in for telegram.Bot.send_message that records what was sent and can
  crash (a BaseException, like the process dying) before or after the n-th send;
- `postgres_url` (session): starts PostgreSQL from Debian's `postgresql` package as the `postgres` user on a
  unix socket in a temp dir; skips only when the binaries are not installed or cannot run.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from knowledge.model import Plan
from planbot.db import Database
from planbot.settings import BUNDLED_PLAN, Settings

ADMIN_ID = 1001


class Crash(BaseException):
    """The dispatcher's process dying (not an Exception, so nothing may catch it)."""


@dataclass
class SentMessage:
    """What RecordingBot returns, like telegram.Message (only what the dispatcher reads)."""

    message_id: int
    chat_id: int
    text: str
    reply_markup: Any = None


@dataclass
class RecordingBot:
    """Records send_message calls; `crash_before`/`crash_after` = the n-th call (1-based) dies."""

    crash_before: int | None = None
    crash_after: int | None = None
    sent: list[SentMessage] = field(default_factory=list)
    calls: int = 0

    async def send_message(self, chat_id: int, text: str, **kwargs: Any) -> SentMessage:
        """Send (record) one message."""
        self.calls += 1
        if self.crash_before is not None and self.calls == self.crash_before:
            raise Crash
        message = SentMessage(len(self.sent) + 1, chat_id, text, kwargs.get("reply_markup"))
        self.sent.append(message)
        if self.crash_after is not None and self.calls == self.crash_after:
            raise Crash
        return message

    def per_chat_day(self) -> dict[int, int]:
        """How many messages each chat got."""
        out: dict[int, int] = {}
        for m in self.sent:
            out[m.chat_id] = out.get(m.chat_id, 0) + 1
        return out


@pytest.fixture
def reminder_settings(tmp_path: Path) -> Settings:
    """Fresh settings (admins {1001}) with group aliases for the bundled plan's group names."""
    return Settings(data_dir=tmp_path / "data", admins=frozenset({ADMIN_ID}),
                    group_aliases={"各分局": ("秦都分局", "渭城分局", "兴平分局"), "各相关分局": ("秦都分局",)})


@pytest.fixture
def reminder_db(reminder_settings: Settings, bundled_plan: Plan) -> Iterator[Database]:
    """A SQLite database with the bundled plan in the ledger."""
    from indexer.ledger import save_plan

    db = Database(reminder_settings.database_url)
    save_plan(db, bundled_plan, str(BUNDLED_PLAN))
    yield db
    db.dispose()


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _as_postgres(args: list[str]) -> list[str]:
    # initdb refuses to run as root; Debian's package creates the `postgres` user.
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if runuser:
            return [runuser, "-u", "postgres", "--", *args]
        return ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(args)]
    return args


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL server on a unix socket; its SQLAlchemy URL."""
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    root = Path(tempfile.mkdtemp(prefix="planbot-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sock, "postgres")
    try:
        subprocess.run(_as_postgres([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                                     "--no-sync"]), check=True, capture_output=True, timeout=120)
        subprocess.run(_as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-w", "-l", str(root / "log"),
                                     "-o", f"-k {sock} -c listen_addresses='' -c fsync=off", "start"]),
                       check=True, capture_output=True, timeout=120)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError, KeyError, LookupError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        shutil.rmtree(root, ignore_errors=True)
        pytest.skip(f"cannot start PostgreSQL here: {exc} {detail[-300:]!r}")
    try:
        yield f"postgresql+psycopg://postgres@/postgres?host={sock}"
    finally:
        subprocess.run(_as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_db(postgres_url: str) -> Iterator[Database]:
    """A fresh database on the throwaway server, migrated."""
    name = f"planbot_{uuid.uuid4().hex[:10]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = postgres_url.replace("/postgres?", f"/{name}?")
    db = Database(url)
    yield db
    db.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()

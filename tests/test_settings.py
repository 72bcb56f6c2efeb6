"""Settings: every bad value is one Chinese line at start-up; .env.example and the README agree with the model."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from datetime import time
from pathlib import Path

import pytest
from dotenv import dotenv_values

from planbot.errors import SettingsError
from planbot.logging_setup import RedactSecrets
from planbot.settings import Settings, env_names, load_settings

ROOT = Path(__file__).resolve().parent.parent

BAD = [
    ("LLM_TIMEOUT", "abc"),
    ("LLM_TIMEOUT", "0"),
    ("LLM_TIMEOUT", "-3"),
    ("WEEKLY_DAY", "9"),
    ("CHASE_DAY", "-1"),
    ("DIGEST_DAY", "周五"),
    ("PLANBOT_TIMEZONE", "Mars/Base"),
    ("REMIND_RESPONSIBLE_UNITS", "flase"),
    ("REMINDER_TIME", "25:00"),
    ("WEEKLY_TIME", "9点"),
    ("MONTHLY_TIME", "09:60"),
    ("REMINDER_DAYS_BEFORE", "7,-1"),
    ("REMINDER_DAYS_BEFORE", "7,three"),
    ("CHROMA_PORT", "70000"),
    ("WEBHOOK_PORT", "0"),
    ("WEBHOOK_PORT", "https"),
    ("PLANBOT_ADMINS", "1001,bob"),
    ("PLANBOT_ALLOWED_USERS", "2001;2002"),
    ("LOG_LEVEL", "LOUD"),
    ("PLANBOT_GROUP_ALIASES", "各分局"),
]


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The test process's environment without any planbot setting, plus a fresh data dir and `extra`."""
    env = {k: v for k, v in os.environ.items() if k not in env_names()}
    return {**env, "PYTHONPATH": str(ROOT), "PLANBOT_DATA_DIR": str(tmp_path / "data"), **extra}


@pytest.mark.parametrize(("name", "value"), BAD)
def test_bad_value_is_one_clear_line(name: str, value: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings({name: value}, dotenv=False)
    line = str(caught.value)
    assert len(line.splitlines()) == 1
    assert line.startswith(f"{name}={value!r} 无效") and "例如" in line


@pytest.mark.slow
@pytest.mark.parametrize(("name", "value"), BAD)
def test_cli_reports_a_bad_value_in_one_line_without_a_traceback(tmp_path: Path, name: str, value: str) -> None:
    done = subprocess.run([sys.executable, "-m", "planbot", "tasks"], cwd=tmp_path,
                          env=clean_env(tmp_path, **{name: value}), capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and name in lines[0] and value in lines[0], done.stderr


def test_several_bad_values_give_one_line_each() -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings({"WEEKLY_DAY": "7", "LLM_TIMEOUT": "soon", "WEBHOOK_PORT": "8443"}, dotenv=False)
    lines = str(caught.value).splitlines()
    assert [line.split("=")[0] for line in lines] == ["LLM_TIMEOUT", "WEEKLY_DAY"]


@pytest.mark.parametrize(("word", "expected"), [
    ("true", True), ("TRUE", True), ("1", True), ("yes", True), ("on", True), ("是", True),
    ("false", False), ("False", False), ("0", False), ("no", False), ("off", False), ("否", False),
])
def test_booleans_accept_the_usual_words(word: str, expected: bool) -> None:
    assert load_settings({"REMIND_RESPONSIBLE_UNITS": word}, dotenv=False).remind_responsible_units is expected


@pytest.mark.parametrize(("env", "field", "expected"), [
    ({"REMINDER_DAYS_BEFORE": "1，3,7,3"}, "reminder_days_before", (7, 3, 1)),
    ({"REMINDER_DAYS_BEFORE": "0"}, "reminder_days_before", (0,)),
    ({"REMINDER_TIME": "8:30"}, "reminder_time", time(8, 30)),
    ({"PLANBOT_ADMINS": "1001, 1002，1003"}, "admins", frozenset({1001, 1002, 1003})),
    ({"PLANBOT_GROUP_ALIASES": "各分局=秦都分局|渭城分局;各相关分局=秦都分局"}, "group_aliases",
     {"各分局": ("秦都分局", "渭城分局"), "各相关分局": ("秦都分局",)}),
    ({"WEEKLY_DAY": "6", "CHASE_DAY": "0"}, "weekly_day", 6),
    ({"CHROMA_PORT": "65535"}, "chroma_port", 65535),
    ({"LLM_TIMEOUT": "0.5"}, "llm_timeout", 0.5),
    ({"LOG_LEVEL": "debug"}, "log_level", "DEBUG"),
    ({"PLANBOT_TIMEZONE": "Europe/Berlin"}, "timezone", "Europe/Berlin"),
    ({"CHROMA_HOST": "  "}, "chroma_host", None),  # empty means the default
])
def test_good_values_are_parsed(env: dict[str, str], field: str, expected: object) -> None:
    assert getattr(load_settings(env, dotenv=False), field) == expected


def test_environment_overrides_dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text("WEEKLY_DAY=3\nCHASE_DAY=5\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WEEKLY_DAY", "1")
    monkeypatch.delenv("CHASE_DAY", raising=False)
    settings = load_settings()
    assert (settings.weekly_day, settings.chase_day) == (1, 5)
    assert load_settings(dotenv=False).chase_day == 2


def test_with_validates_the_copy() -> None:
    base = Settings(admins=frozenset({1001}))
    assert base.with_(weekly_day=3).weekly_day == 3 and base.with_(weekly_day=3).admins == {1001}
    with pytest.raises(SettingsError, match="WEEKLY_DAY"):
        base.with_(weekly_day=7)


def test_secrets_stay_out_of_repr_str_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    settings = load_settings({"TELEGRAM_BOT_TOKEN": "123:tok-en", "WEBHOOK_SECRET": "hook-secret",
                              "LLM_API_KEY": "sk-key", "DATABASE_URL": "postgresql+psycopg://bot:pa55word@db/plan"},
                             dotenv=False)
    shown = repr(settings) + str(settings)
    for secret in ("123:tok-en", "hook-secret", "sk-key", "pa55word"):
        assert secret not in shown
    assert "postgresql+psycopg://bot:***@db/plan" in shown  # the address itself is still visible
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "url %s token %s",
                               (settings.database_url, settings.telegram_bot_token), None)
    RedactSecrets(settings.secrets).filter(record)
    assert record.getMessage() == "url postgresql+psycopg://bot:***@db/plan token ***"


def test_env_example_lists_every_setting_and_nothing_else() -> None:
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    listed = [line.split("=", 1)[0] for line in lines if re.match(r"^[A-Z][A-Z0-9_]*=", line)]
    assert sorted(listed) == sorted(env_names())


def test_env_example_values_are_the_defaults() -> None:
    example = {k: v or "" for k, v in dotenv_values(ROOT / ".env.example").items()}
    assert load_settings(example, dotenv=False) == Settings()


def test_readme_settings_table_names_every_variable() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Settings", 1)[1].split("\n## ", 1)[0]
    first_cells = [row.split("|")[1] for row in table.splitlines() if row.startswith("| `")]
    named = {name for cell in first_cells for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", cell)}
    assert named == set(env_names())


def test_readme_documents_every_chat_command_the_batch_format_and_invites() -> None:
    from bot.texts import COMMANDS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    chat = readme.split("## In the chat", 1)[1].split("\n## ", 1)[0]
    assert [c.name for c in COMMANDS if not re.search(rf"`/{c.name}\b", chat)] == []
    assert '"q"' in readme and '"now"' in readme  # ask --batch input
    assert all(f"`{field}`" in readme for field in ("answer", "tasks", "refused", "sources"))  # its output
    assert "?start=<token>" in readme and "/start <token>" in readme  # how an invite is used

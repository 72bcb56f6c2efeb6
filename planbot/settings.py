"""One frozen Settings object, read once at start-up from the environment (and `.env`)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo

from planbot import messages
from planbot.errors import SettingsError

BUNDLED_PLAN = Path(__file__).resolve().parent.parent / "knowledge" / "plans" / "xianyang-2023-air-quality-plan.txt"
DEFAULT_EMBEDDING_MODEL = "use-multilingual-v3"
TELEGRAM_API = "https://api.telegram.org/bot"
TELEGRAM_FILE_API = "https://api.telegram.org/file/bot"


def _ids(raw: str) -> frozenset[int]:
    """Parse a comma/space separated list of Telegram user ids."""
    out: set[int] = set()
    for part in raw.replace("，", ",").replace(" ", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.lstrip("-").isdigit():
            raise SettingsError(messages.SETTINGS_BAD_ID.format(value=part))
        out.add(int(part))
    return frozenset(out)


def _hhmm(raw: str, name: str) -> time:
    """Parse HH:MM."""
    try:
        hour, minute = raw.strip().split(":")
        return time(int(hour), int(minute))
    except ValueError as exc:
        raise SettingsError(messages.SETTINGS_BAD_TIME.format(name=name, value=raw)) from exc


def _days(raw: str, name: str) -> tuple[int, ...]:
    """Parse a list of day offsets such as '7,3,1'."""
    try:
        return tuple(sorted({int(x) for x in raw.replace("，", ",").split(",") if x.strip()}, reverse=True))
    except ValueError as exc:
        raise SettingsError(messages.SETTINGS_BAD_DAYS.format(name=name, value=raw)) from exc


def _bool(raw: str) -> bool:
    return raw.strip().lower() in {"1", "true", "yes", "on", "是"}


def _aliases(raw: str) -> dict[str, tuple[str, ...]]:
    """Parse group aliases: '各分局=秦都分局|渭城分局;各相关分局=秦都分局'."""
    out: dict[str, tuple[str, ...]] = {}
    for item in raw.split(";"):
        if "=" not in item:
            continue
        group, members = item.split("=", 1)
        out[group.strip()] = tuple(m.strip() for m in members.split("|") if m.strip())
    return out


@dataclass(frozen=True)
class Settings:
    """Every setting of planbot; secrets are kept out of repr."""

    data_dir: Path = Path("data")
    database_url_override: str | None = None
    chroma_host: str | None = None
    chroma_port: int = 8000
    embedding_model: str = DEFAULT_EMBEDDING_MODEL
    plan_path: Path = BUNDLED_PLAN
    plan_selector: str | None = None  # the plan `run`/`chat --plan` serve (year or title part); None: the newest
    timezone: str = "Asia/Shanghai"
    log_level: str = "INFO"
    # Telegram
    telegram_bot_token: str | None = field(default=None, repr=False)
    telegram_base_url: str = TELEGRAM_API
    telegram_base_file_url: str = TELEGRAM_FILE_API
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_secret: str | None = field(default=None, repr=False)
    admins: frozenset[int] = frozenset()
    allowed_users: frozenset[int] = frozenset()
    console_user_id: int = 1
    # Optional LLM phrasing
    llm_model: str | None = None
    llm_base_url: str | None = None
    llm_api_key: str | None = field(default=None, repr=False)
    llm_timeout: float = 8.0
    # Reminders
    reminder_days_before: tuple[int, ...] = (7, 3, 1)
    reminder_time: time = time(9, 0)
    remind_responsible_units: bool = True
    group_aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Weekly round (周调度)
    weekly_day: int = 0  # Monday
    weekly_time: time = time(9, 0)
    chase_day: int = 2  # Wednesday
    digest_day: int = 4  # Friday
    monthly_time: time = time(9, 0)

    @property
    def tz(self) -> ZoneInfo:
        """The bureau's time zone."""
        return ZoneInfo(self.timezone)

    @property
    def database_url(self) -> str:
        """DATABASE_URL if set, else a SQLite file in the data directory."""
        return self.database_url_override or f"sqlite:///{(self.data_dir / 'planbot.db').resolve()}"

    @property
    def chroma_dir(self) -> Path:
        """Persistent Chroma folder (used when no Chroma server is configured)."""
        return self.data_dir / "chroma"

    @property
    def vectors_dir(self) -> Path:
        """Numpy copies of each Chroma collection's vectors (dense scores without opening Chroma)."""
        return self.data_dir / "vectors"

    @property
    def models_dir(self) -> Path:
        """Start-up caches of the embedding model (derived from the installed package; safe to delete)."""
        return self.data_dir / "models"

    @property
    def exports_dir(self) -> Path:
        """Where generated reports and pictures are written."""
        return self.data_dir / "exports"

    @property
    def jieba_cache(self) -> Path:
        """jieba's dictionary cache (kept in the data dir, not /tmp)."""
        return self.data_dir / "jieba.cache"

    def with_(self, **changes: object) -> Settings:
        """A copy with some fields changed (tests and the console use this)."""
        return replace(self, **changes)  # type: ignore[arg-type]


def load_settings(env: Mapping[str, str] | None = None, *, dotenv: bool = True) -> Settings:
    """Read settings once from the environment (and `.env` in the working directory)."""
    if env is None:
        if dotenv:
            from dotenv import dotenv_values

            env = {**{k: v for k, v in dotenv_values(".env").items() if v is not None}, **os.environ}
        else:
            env = dict(os.environ)

    def get(name: str, default: str = "") -> str:
        return (env.get(name) or default).strip()

    def number(name: str, default: int) -> int:
        raw = get(name, str(default))
        if not raw.isdigit():
            raise SettingsError(messages.SETTINGS_BAD_INT.format(name=name, value=raw))
        return int(raw)

    data_dir = Path(get("PLANBOT_DATA_DIR", "data")).expanduser()
    plan = get("PLANBOT_PLAN")
    return Settings(
        data_dir=data_dir,
        database_url_override=get("DATABASE_URL") or None,
        chroma_host=get("CHROMA_HOST") or None,
        chroma_port=number("CHROMA_PORT", 8000),
        embedding_model=get("EMBEDDING_MODEL", DEFAULT_EMBEDDING_MODEL),
        plan_path=Path(plan) if plan else BUNDLED_PLAN,
        timezone=get("PLANBOT_TIMEZONE", "Asia/Shanghai"),
        log_level=get("LOG_LEVEL", "INFO").upper(),
        telegram_bot_token=get("TELEGRAM_BOT_TOKEN") or None,
        telegram_base_url=get("TELEGRAM_BASE_URL", TELEGRAM_API),
        telegram_base_file_url=get("TELEGRAM_BASE_FILE_URL", TELEGRAM_FILE_API),
        webhook_url=get("WEBHOOK_URL") or None,
        webhook_listen=get("WEBHOOK_LISTEN", "127.0.0.1"),
        webhook_port=number("WEBHOOK_PORT", 8443),
        webhook_secret=get("WEBHOOK_SECRET") or None,
        admins=_ids(get("PLANBOT_ADMINS")),
        allowed_users=_ids(get("PLANBOT_ALLOWED_USERS")),
        llm_model=get("LLM_MODEL") or None,
        llm_base_url=get("LLM_BASE_URL") or None,
        llm_api_key=get("LLM_API_KEY") or None,
        llm_timeout=float(get("LLM_TIMEOUT", "8")),
        reminder_days_before=_days(get("REMINDER_DAYS_BEFORE", "7,3,1"), "REMINDER_DAYS_BEFORE"),
        reminder_time=_hhmm(get("REMINDER_TIME", "09:00"), "REMINDER_TIME"),
        remind_responsible_units=_bool(get("REMIND_RESPONSIBLE_UNITS", "true")),
        group_aliases=_aliases(get("PLANBOT_GROUP_ALIASES")),
        weekly_day=number("WEEKLY_DAY", 0),
        weekly_time=_hhmm(get("WEEKLY_TIME", "09:00"), "WEEKLY_TIME"),
        chase_day=number("CHASE_DAY", 2),
        digest_day=number("DIGEST_DAY", 4),
        monthly_time=_hhmm(get("MONTHLY_TIME", "09:00"), "MONTHLY_TIME"),
    )

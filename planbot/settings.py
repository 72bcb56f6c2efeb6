"""One frozen, validated Settings object, read once at start-up from the environment (and `.env`).

How to add a setting: add one field to `Settings` with its default (the only place the default is written), its
environment variable as `alias`, a Chinese `description` of a good value and one `examples` entry; then add the
variable to .env.example and to the README settings table (tests/test_settings.py checks all three agree).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator, Mapping
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from planbot import texts as msg
from planbot.errors import SettingsError

BUNDLED_PLAN = Path(__file__).resolve().parent.parent / "knowledge" / "plans" / "xianyang-2023-air-quality-plan.txt"
DEFAULT_EMBEDDING_MODEL = "use-multilingual-v3"
TELEGRAM_API = "https://api.telegram.org/bot"
TELEGRAM_FILE_API = "https://api.telegram.org/file/bot"

# Why a value is bad, by pydantic's error type (value errors carry their own reason).
REASONS = {
    "int_parsing": msg.SETTINGS_NOT_INTEGER,
    "int_from_float": msg.SETTINGS_NOT_INTEGER,
    "float_parsing": msg.SETTINGS_NOT_NUMBER,
    "greater_than": msg.SETTINGS_OUT_OF_RANGE,
    "greater_than_equal": msg.SETTINGS_OUT_OF_RANGE,
    "less_than_equal": msg.SETTINGS_OUT_OF_RANGE,
    "less_than": msg.SETTINGS_OUT_OF_RANGE,
}
TRUE = frozenset({"true", "1", "yes", "on", "是"})
FALSE = frozenset({"false", "0", "no", "off", "否"})
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
SECRET_FIELDS = frozenset({"telegram_bot_token", "webhook_secret", "llm_api_key", "database_url_override",
                           "web_secret"})
_HHMM = re.compile(r"^(\d{1,2}):(\d{2})$")
_PASSWORD = re.compile(r"(://[^:/@]*:)([^@]*)(@)")

_DAY = str(msg.SETTINGS_DAY)
_PORT = str(msg.SETTINGS_PORT)
_HHMM_TEXT = str(msg.SETTINGS_HHMM)


class Settings(BaseSettings):
    """Every setting of planbot; secrets are kept out of repr, str and logs."""

    model_config = SettingsConfigDict(frozen=True, extra="forbid", validate_by_name=True, validate_by_alias=True,
                                      hide_input_in_errors=True)

    # Storage
    data_dir: Path = Field(Path("data"), alias="PLANBOT_DATA_DIR", description="数据目录路径", examples=["data"])
    database_url_override: str | None = Field(
        None, alias="DATABASE_URL", repr=False, description="SQLAlchemy 数据库地址",
        examples=["postgresql+psycopg://planbot:secret@db/planbot"])
    chroma_host: str | None = Field(None, alias="CHROMA_HOST", description="Chroma 服务器主机名", examples=["chroma"])
    chroma_port: int = Field(8000, alias="CHROMA_PORT", ge=1, le=65535, description=_PORT, examples=[8000])
    embedding_model: str = Field(DEFAULT_EMBEDDING_MODEL, alias="EMBEDDING_MODEL", description="嵌入模型名或本地目录",
                                 examples=[DEFAULT_EMBEDDING_MODEL])
    plan_path: Path = Field(BUNDLED_PLAN, alias="PLANBOT_PLAN", description="方案文件路径",
                            examples=["plans/2024.docx"])
    # A plan document is a few hundred kB with dozens of tasks; far more is a wrong file, refused before parsing.
    max_document_mb: float = Field(5.0, alias="PLANBOT_MAX_DOCUMENT_MB", gt=0,
                                   description="大于 0 的兆字节数（方案文件大小上限）", examples=[5])
    max_tasks: int = Field(2000, alias="PLANBOT_MAX_TASKS", ge=1, description="正整数（一份方案的编号任务数上限）",
                           examples=[2000])
    # Set by `run`/`chat --plan`, not the environment: the plan served (year or title part); None: the newest.
    plan_selector: str | None = None
    timezone: str = Field("Asia/Shanghai", alias="PLANBOT_TIMEZONE", description="IANA 时区名",
                          examples=["Asia/Shanghai"])
    log_level: str = Field("INFO", alias="LOG_LEVEL", description="/".join(LOG_LEVELS) + " 之一", examples=["INFO"])
    # Telegram
    telegram_bot_token: str | None = Field(None, alias="TELEGRAM_BOT_TOKEN", repr=False,
                                           description="@BotFather 给的令牌", examples=["123456:ABC-DEF"])
    telegram_base_url: str = Field(TELEGRAM_API, alias="TELEGRAM_BASE_URL", description="Bot API 地址",
                                   examples=[TELEGRAM_API])
    telegram_base_file_url: str = Field(TELEGRAM_FILE_API, alias="TELEGRAM_BASE_FILE_URL",
                                        description="Bot API 文件地址", examples=[TELEGRAM_FILE_API])
    # A send answered later than this is "uncertain" (it may have arrived): retried once, never blindly.
    telegram_read_timeout: float = Field(15.0, alias="TELEGRAM_READ_TIMEOUT", gt=0, description="大于 0 的秒数",
                                         examples=[15])
    webhook_url: str | None = Field(None, alias="WEBHOOK_URL", description="公网 HTTPS 地址",
                                    examples=["https://bot.example.org/tg"])
    webhook_listen: str = Field("127.0.0.1", alias="WEBHOOK_LISTEN", description="监听地址", examples=["127.0.0.1"])
    webhook_port: int = Field(8443, alias="WEBHOOK_PORT", ge=1, le=65535, description=_PORT, examples=[8443])
    webhook_secret: str | None = Field(None, alias="WEBHOOK_SECRET", repr=False,
                                       description="由 A-Z a-z 0-9 _ - 组成的密钥", examples=["s3cret_token"])
    admins: frozenset[int] = Field(frozenset(), alias="PLANBOT_ADMINS", description="逗号分隔的数字用户 ID",
                                   examples=["123456789,987654321"])
    allowed_users: frozenset[int] = Field(frozenset(), alias="PLANBOT_ALLOWED_USERS",
                                          description="逗号分隔的数字用户 ID", examples=["123456789"])
    # Web desk (督查台): the board, task pages and fill-in links, served with the webhook by one ASGI app
    web_port: int | None = Field(None, alias="WEB_PORT", ge=1, le=65535, description=_PORT, examples=[8080])
    web_listen: str = Field("127.0.0.1", alias="WEB_LISTEN", description="监听地址", examples=["127.0.0.1"])
    web_base_url: str | None = Field(None, alias="WEB_BASE_URL", description="网页的公网地址（链接以它开头）",
                                     examples=["https://desk.example.org"])
    web_secret: str | None = Field(None, alias="WEB_SECRET", repr=False,
                                   description="至少 16 个字符的签名密钥（留空则在数据目录生成一次）",
                                   examples=["a-long-random-secret"])
    web_link_hours: int = Field(24, alias="WEB_LINK_HOURS", ge=1, le=24 * 31, description="1 到 744 的小时数",
                                examples=[24])
    console_user_id: int = 1  # the console chat's user (made an admin by `chat`); not an environment setting
    # Optional LLM phrasing
    llm_model: str | None = Field(None, alias="LLM_MODEL", description="LangChain 模型标识",
                                  examples=["openai:qwen2.5-7b-instruct"])
    llm_base_url: str | None = Field(None, alias="LLM_BASE_URL", description="模型服务地址",
                                     examples=["http://127.0.0.1:8000/v1"])
    llm_api_key: str | None = Field(None, alias="LLM_API_KEY", repr=False, description="模型服务密钥",
                                    examples=["sk-..."])
    llm_timeout: float = Field(8.0, alias="LLM_TIMEOUT", gt=0, description="大于 0 的秒数", examples=[8])
    # Reminders
    reminder_days_before: tuple[int, ...] = Field((7, 3, 1), alias="REMINDER_DAYS_BEFORE",
                                                  description="逗号分隔的非负整数天数", examples=["7,3,1"])
    reminder_time: time = Field(time(9, 0), alias="REMINDER_TIME", description=_HHMM_TEXT, examples=["09:00"])
    remind_responsible_units: bool = Field(True, alias="REMIND_RESPONSIBLE_UNITS",
                                           description="true/false（也可 1/0、yes/no、on/off、是/否）",
                                           examples=["true"])
    group_aliases: Mapping[str, tuple[str, ...]] = Field(
        default_factory=dict, alias="PLANBOT_GROUP_ALIASES", description="“组名=单位|单位;组名=单位”",
        examples=["各分局=秦都分局|渭城分局;各相关分局=秦都分局"])
    # Weekly round (周调度)
    weekly_day: int = Field(0, alias="WEEKLY_DAY", ge=0, le=6, description=_DAY, examples=[0])  # Monday
    weekly_time: time = Field(time(9, 0), alias="WEEKLY_TIME", description=_HHMM_TEXT, examples=["09:00"])
    chase_day: int = Field(2, alias="CHASE_DAY", ge=0, le=6, description=_DAY, examples=[2])  # Wednesday
    digest_day: int = Field(4, alias="DIGEST_DAY", ge=0, le=6, description=_DAY, examples=[4])  # Friday
    monthly_time: time = Field(time(9, 0), alias="MONTHLY_TIME", description=_HHMM_TEXT, examples=["09:00"])

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource,
                                   dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource,
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Only what is passed in: `load_settings` reads the environment once, so `Settings(...)` stays hermetic."""
        return (init_settings,)

    @field_validator("data_dir", "plan_path", mode="after")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return value.expanduser()

    @field_validator("timezone", mode="after")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(msg.SETTINGS_NO_ZONE) from exc
        return value

    @field_validator("log_level", mode="after")
    @classmethod
    def _level(cls, value: str) -> str:
        if value.upper() not in LOG_LEVELS:
            raise ValueError(msg.SETTINGS_UNKNOWN_LEVEL)
        return value.upper()

    @field_validator("admins", "allowed_users", mode="before")
    @classmethod
    def _ids(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        parts = [p for p in re.split(r"[,，\s]+", value) if p]
        if any(not p.lstrip("-").isdigit() for p in parts):
            raise ValueError(msg.SETTINGS_IDS_NOT_NUMBERS)
        return frozenset(int(p) for p in parts)

    @field_validator("reminder_days_before", mode="before")
    @classmethod
    def _days(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        parts = [p.strip() for p in re.split(r"[,，]", value) if p.strip()]
        if any(not p.isdigit() for p in parts):
            raise ValueError(msg.SETTINGS_BAD_DAYS)
        return tuple(int(p) for p in parts)

    @field_validator("reminder_days_before", mode="after")
    @classmethod
    def _days_order(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if any(day < 0 for day in value):
            raise ValueError(msg.SETTINGS_BAD_DAYS)
        return tuple(sorted(set(value), reverse=True))

    @field_validator("reminder_time", "weekly_time", "monthly_time", mode="before")
    @classmethod
    def _hhmm(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        match = _HHMM.match(value.strip())
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            raise ValueError(msg.SETTINGS_BAD_TIME)
        return time(int(match[1]), int(match[2]))

    @field_validator("remind_responsible_units", mode="before")
    @classmethod
    def _bool(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        word = value.strip().lower()
        if word not in TRUE | FALSE:
            raise ValueError(msg.SETTINGS_NOT_BOOLEAN)
        return word in TRUE

    @field_validator("group_aliases", mode="before")
    @classmethod
    def _aliases(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        out: dict[str, tuple[str, ...]] = {}
        for item in value.split(";"):
            if not item.strip():
                continue
            if "=" not in item:
                raise ValueError(msg.SETTINGS_ALIAS_NO_EQUALS.plain(item=item.strip()))
            group, members = item.split("=", 1)
            out[group.strip()] = tuple(m.strip() for m in members.split("|") if m.strip())
        return out

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        yield from super().__repr_args__()
        if self.database_url_override:  # shown, but never with its password
            yield "database_url", _PASSWORD.sub(r"\1***\3", self.database_url_override)

    @field_validator("web_secret", mode="after")
    @classmethod
    def _web_secret(cls, value: str | None) -> str | None:
        if value is not None and len(value) < 16:
            raise ValueError(msg.SETTINGS_TOO_SHORT)
        return value

    @field_validator("web_base_url", mode="after")
    @classmethod
    def _web_base(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^/\s]+", value):
            raise ValueError(msg.SETTINGS_NOT_HTTP)
        return value.rstrip("/") if value else value

    @property
    def web_public_url(self) -> str | None:
        """Where links point: WEB_BASE_URL, else the local address when WEB_PORT is set; None without the desk."""
        if self.web_port is None:
            return None
        return self.web_base_url or f"http://{self.web_listen}:{self.web_port}"

    @property
    def web_secret_file(self) -> Path:
        """The signing secret generated once when WEB_SECRET is not set."""
        return self.data_dir / "web-secret"

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

    @property
    def secrets(self) -> list[str]:
        """Every configured secret (token, webhook secret, LLM key, database password), for log redaction."""
        found = [self.telegram_bot_token, self.webhook_secret, self.llm_api_key, self.web_secret]
        match = _PASSWORD.search(self.database_url_override or "")
        if match and match[2]:
            found.append(match[2])
        return [s for s in found if s]

    def with_(self, **changes: object) -> Settings:
        """A validated copy with some fields changed (tests and the console use this)."""
        return _validated({**{name: getattr(self, name) for name in type(self).model_fields}, **changes})


def env_names() -> dict[str, str]:
    """Environment variable → field name, for every setting read from the environment."""
    return {info.alias: name for name, info in Settings.model_fields.items() if info.alias}


def _line(error: Mapping[str, Any]) -> str:
    """One Chinese line naming the variable, its bad value and a good example."""
    key = str(error["loc"][0]) if error["loc"] else "?"
    by_alias = {info.alias: name for name, info in Settings.model_fields.items() if info.alias}
    name = by_alias.get(key, key)
    info = Settings.model_fields.get(name)
    env = (info.alias if info else None) or key
    value = "***" if name in SECRET_FIELDS else error.get("input")
    if error["type"] == "value_error":
        reason = str(error.get("ctx", {}).get("error", error["msg"]))
    else:
        reason = REASONS.get(error["type"], error["msg"])
    expected = (info.description if info else None) or msg.SETTINGS_ANY_VALID
    example = info.examples[0] if info and info.examples else ""
    return msg.SETTINGS_BAD_VALUE.plain(name=env, value=value, reason=reason, expected=expected, example=example)


def _validated(values: Mapping[str, Any]) -> Settings:
    """Settings from field names or variable names; every bad value becomes one line of one SettingsError."""
    try:
        return Settings(**values)
    except ValidationError as exc:
        raise SettingsError("\n".join(_line(e) for e in exc.errors())) from None


def load_settings(env: Mapping[str, str] | None = None, *, dotenv: bool = True) -> Settings:
    """Read settings once from the environment (over `.env` in the working directory); empty means the default."""
    if env is None:
        env = dict(os.environ)
        if dotenv:
            from dotenv import dotenv_values

            env = {**{k: v for k, v in dotenv_values(".env").items() if v is not None}, **env}
    known = env_names()
    values = {name: raw.strip() for name, raw in env.items() if name in known and raw and raw.strip()}
    settings = _validated(values)
    logging.getLogger(__name__).debug("settings: %r", settings)
    return settings

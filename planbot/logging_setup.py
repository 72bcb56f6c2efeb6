"""Logging that never shows secrets (the bot token appears in Bot API URLs)."""

from __future__ import annotations

import logging

from planbot.settings import Settings


class RedactSecrets(logging.Filter):
    """Replace every configured secret in a log record's text with '***'."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            text = record.getMessage()
            if any(s in text for s in self.secrets):
                for s in self.secrets:
                    text = text.replace(s, "***")
                record.msg, record.args = text, ()
        return True


def configure_logging(settings: Settings) -> None:
    """Root logging at the configured level, noisy libraries quieter, secrets redacted."""
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    redact = RedactSecrets(settings.secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)
    for noisy in ("httpx", "httpcore", "chromadb", "jieba", "apscheduler.executors.default"):
        logging.getLogger(noisy).setLevel(logging.WARNING)

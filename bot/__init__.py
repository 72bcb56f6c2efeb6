"""The Telegram bot and the console chat (python-telegram-bot adapters)."""

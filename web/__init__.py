"""The web desk (督查台): board, task pages, fill-in links and the Telegram webhook, one Starlette app."""

"""The desk's ASGI app (Starlette): board, task page, downloads, fill-in form, /healthz and the Telegram webhook.

The webhook follows python-telegram-bot's custom-webhook-server example (examples/customwebhookbot/starlettebot.py):
the route checks the secret-token header and puts the Update on `application.update_queue`; the Application runs
in the same event loop.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.templating import Jinja2Templates

from bot.services import Services
from planbot.errors import PlanbotError
from planbot.render import Html
from planbot.settings import Settings
from web import auth, links, pages, texts

log = logging.getLogger(__name__)
TEMPLATES = Path(__file__).resolve().parent / "templates"
Handler = Callable[[Request], Awaitable[Response]]


def templates(root: str = "") -> Jinja2Templates:
    """Jinja2 with autoescape on for every template: every field a page fills is escaped.

    `root`: the path of WEB_BASE_URL (a desk behind a proxy at https://host/desk links to /desk/board).
    """
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals["root"] = root
    return Jinja2Templates(env=env)


def root_path(settings: Settings) -> str:
    """The path part of the public base, without the trailing slash ("" at a host's root)."""
    return urlparse(settings.web_public_url or "").path.rstrip("/")


def create_app(services: Services, application: Any = None) -> Starlette:
    """The desk over `services`; with `application` and WEBHOOK_URL set, also Telegram's webhook."""
    settings, db = services.settings, services.db
    keys = auth.Keys(links.load_secret(settings))
    root = root_path(settings)
    views = templates(root)

    def denied(request: Request) -> Response:
        return views.TemplateResponse(request, "denied.html", {"texts": texts}, status_code=403)

    def error(request: Request, status: int, title: Html, message: Html | str) -> Response:
        return views.TemplateResponse(request, "error.html", {"texts": texts, "title": title, "message": message},
                                      status_code=status)

    async def http_error(request: Request, exc: Exception) -> Response:
        """404, 405 and the rest of Starlette's HTTP errors as Chinese pages."""
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        if status == 404:
            return error(request, 404, texts.NOT_FOUND_TITLE.render(), texts.NOT_FOUND.render(path=request.url.path))
        if status == 405:
            return error(request, 405, texts.METHOD_TITLE.render(),
                         texts.METHOD.render(path=request.url.path, method=request.method))
        return error(request, status, texts.BAD_REQUEST_TITLE.render(), texts.HTTP_ERROR.render(status=status))

    async def server_error(request: Request, exc: Exception) -> Response:
        """A crash in a page: a Chinese page without the traceback (Starlette logs it and re-raises after)."""
        return error(request, 500, texts.SERVER_ERROR_TITLE.render(), texts.SERVER_ERROR.render())

    def as_admin(view: Callable[[Request], Awaitable[Response]]) -> Handler:
        async def wrapped(request: Request) -> Response:
            grant = await auth.session(request, db, keys, services.clock())
            if grant is None or grant.role != links.ADMIN:
                return denied(request)
            try:
                return await view(request)
            except PlanbotError as err:
                return error(request, 400, texts.BAD_REQUEST_TITLE.render(), str(err))  # autoescaped by the template
        return wrapped

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok")

    async def open_link(request: Request, role: str, page: str) -> Response:
        """A signed link of `role` opens a session and goes to `page`; any other link is refused."""
        now = services.clock()
        grant = await auth.link(request.path_params["token"], db, keys, now)
        if grant is None or grant.role != role:
            return denied(request)
        response = RedirectResponse(f"{root}/{page}", status_code=303)
        auth.open_session(response, settings, keys, grant, now)
        return response

    async def login(request: Request) -> Response:
        return await open_link(request, links.ADMIN, "board")

    async def fill_link(request: Request) -> Response:
        return await open_link(request, links.UNIT, "fill")

    async def board(request: Request) -> Response:
        ctx = await pages.board_context(services, dict(request.query_params))
        return views.TemplateResponse(request, "board.html", ctx)

    async def task_page(request: Request) -> Response:
        ctx = await pages.task_context(services, int(request.path_params["number"]))
        if ctx is None:
            return error(request, 404, texts.NOT_FOUND_TITLE.render(),
                         texts.NO_TASK.render(number=request.path_params["number"]))
        return views.TemplateResponse(request, "task.html", ctx)

    async def unanswered(request: Request) -> Response:
        return views.TemplateResponse(request, "unanswered.html", await pages.unanswered_context(services))

    async def export(request: Request) -> Response:
        data, name = await pages.export(services, request.path_params["kind"], request.query_params.get("period"))
        return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    async def timeline(request: Request) -> Response:
        return Response(await pages.timeline(services), media_type="image/png")

    async def fill(request: Request) -> Response:
        now = services.clock()
        grant = await auth.session(request, db, keys, now)
        if grant is None or grant.role != links.UNIT:
            return denied(request)
        message, ok = "", True
        if request.method == "POST":
            form = {k: v[-1] for k, v in parse_qs((await request.body()).decode("utf-8", "replace")).items()}
            if not hmac.compare_digest(form.get("csrf", ""), links.csrf_token(keys.secret, grant)):
                return HTMLResponse(texts.BAD_FORM.render(), status_code=403)
            message, ok = await pages.save_form(services, grant, form)
        ctx = await pages.fill_context(services, grant)
        if ctx is None:
            return denied(request)
        ctx.update(csrf=links.csrf_token(keys.secret, grant), message=message, ok=ok)
        return views.TemplateResponse(request, "fill.html", ctx, status_code=200 if ok else 400)

    async def home(request: Request) -> Response:
        return RedirectResponse(f"{root}/board", status_code=303)

    routes: list[BaseRoute] = [
        Route("/healthz", healthz),
        Route("/", home),
        Route("/login/{token}", login),
        Route("/fill/{token}", fill_link),
        Route("/fill", fill, methods=["GET", "POST"]),
        Route("/board", as_admin(board)),
        Route("/task/{number:int}", as_admin(task_page)),
        Route("/unanswered", as_admin(unanswered)),
        Route("/export/{kind}.xlsx", as_admin(export)),
        Route("/timeline.png", as_admin(timeline)),
    ]
    if root:  # a proxy that keeps the prefix reaches the same pages
        routes.append(Mount(root, routes=list(routes)))
    if application is not None and settings.webhook_url:
        routes.insert(0, Route(webhook_path(settings), _webhook(application, settings.webhook_secret),
                               methods=["POST"]))
    return Starlette(routes=routes, exception_handlers={HTTPException: http_error, Exception: server_error})


def webhook_path(settings: Any) -> str:
    """The path of WEBHOOK_URL, where Telegram posts."""
    return "/" + urlparse(settings.webhook_url).path.lstrip("/")


def _webhook(application: Any, secret: str | None) -> Handler:
    from telegram import Update  # the bot's library; imported with the route that needs it

    async def telegram(request: Request) -> Response:
        """Queue an update from Telegram (403 without the secret token, as PTB's own webhook server answers)."""
        if secret is not None and not hmac.compare_digest(
                request.headers.get("X-Telegram-Bot-Api-Secret-Token", ""), secret):
            return Response(status_code=403)
        try:
            update = Update.de_json(await request.json(), application.bot)
        except Exception:  # malformed: Telegram never sends one; nothing to queue
            log.warning("webhook: malformed update refused")
            return Response(status_code=400)
        await application.update_queue.put(update)
        return Response()

    return telegram


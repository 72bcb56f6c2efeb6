"""The desk over HTTP (Starlette's TestClient, the real app and database): who gets in, and what a form stores."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from openpyxl import load_workbook
from starlette.testclient import TestClient

from bot.app import build_application
from indexer.ledger import load_plan
from planbot.clock import FrozenClock
from planbot.db import Database
from planbot.settings import Settings
from supervision import service
from supervision.render import report_text
from supervision.rounds import round_for
from web import links, store
from web.app import create_app

BASE = "http://testserver"
SECRET = "test-secret-of-the-desk-0123456789"


@pytest.fixture
def desk(sv_settings: Settings, sv_db: Database, sv_clock: FrozenClock) -> Iterator[dict[str, Any]]:
    """The desk app over a built (not started) bot's services, and a way to sign links."""
    settings = sv_settings.with_(web_port=8080, web_base_url=BASE, web_secret=SECRET,
                                 telegram_bot_token="123:desk-test")
    application = build_application(settings, db=sv_db, clock=sv_clock, preload_qa=False, rate_limiter=None)
    services = application.bot_data["services"]
    with TestClient(create_app(services), base_url=BASE, follow_redirects=False) as client:
        yield {"client": client, "settings": settings, "db": sv_db, "clock": sv_clock}


def admin_link(desk: dict[str, Any]) -> str:
    gen = desk["db"].run(store.generation)
    return links.admin_link(desk["settings"], SECRET.encode(), desk["clock"](), gen)[0]


def fill_link(desk: dict[str, Any], unit: str, weeks_ago: int = 0) -> str:
    settings, now = desk["settings"], desk["clock"]() - timedelta(weeks=weeks_ago)
    gen = desk["db"].run(store.generation)
    return links.fill_link(settings, SECRET.encode(), unit, round_for(now, settings.tz), gen)


def path(url: str) -> str:
    assert url.startswith(BASE + "/")
    return url[len(BASE):]


def test_healthz_answers(desk: dict[str, Any]) -> None:
    assert desk["client"].get("/healthz").text == "ok"


@pytest.mark.parametrize("url", ["/", "/board", "/task/2", "/export/weekly.xlsx", "/timeline.png", "/fill"])
def test_without_a_link_nothing_opens(desk: dict[str, Any], url: str) -> None:
    response = desk["client"].get(url, follow_redirects=True)
    assert response.status_code == 403
    assert "/web" in response.text and "大气办" not in response.text


def test_the_admin_link_opens_the_board_and_sets_a_session(desk: dict[str, Any]) -> None:
    client = desk["client"]
    first = client.get(path(admin_link(desk)))
    assert first.status_code == 303 and first.headers["location"] == "/board"
    cookie = first.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    board = client.get("/board")  # the cookie, not the link, from now on
    assert board.status_code == 200
    assert "大气办" in board.text and "环评科" in board.text and "未报送" in board.text
    assert client.get("/task/2").status_code == 200


def _forged(url: str) -> str:
    body, mac = url.rsplit("/", 1)[1].split(".")
    return url.rsplit("/", 1)[0] + "/" + body + "." + ("A" if mac[0] != "A" else "B") + mac[1:]


@pytest.mark.parametrize("case", ["expired", "forged", "revoked", "unit-link-as-admin", "payload-edited"])
def test_bad_admin_links_are_refused(desk: dict[str, Any], case: str) -> None:
    url = admin_link(desk)
    if case == "expired":
        desk["clock"].advance(timedelta(hours=desk["settings"].web_link_hours, seconds=1))
    elif case == "forged":
        url = _forged(url)
    elif case == "revoked":
        desk["db"].run(lambda s: store.revoke(s, 1001, desk["clock"]()))
    elif case == "unit-link-as-admin":
        url = url.rsplit("/", 1)[0] + "/" + fill_link(desk, "大气办").rsplit("/", 1)[1]
    elif case == "payload-edited":  # a unit's payload with an admin's role, the old signature kept
        token = fill_link(desk, "大气办").rsplit("/", 1)[1]
        body, mac = token.split(".")
        data = links._unb64(body).replace(b'"r":"unit"', b'"r":"admin"')
        url = url.rsplit("/", 1)[0] + "/" + links._b64(data) + "." + mac
    response = desk["client"].get(path(url))
    assert response.status_code == 403
    assert desk["client"].get("/board").status_code == 403


def test_revoking_ends_open_sessions_too(desk: dict[str, Any]) -> None:
    client = desk["client"]
    client.get(path(admin_link(desk)))
    assert client.get("/board").status_code == 200
    desk["db"].run(lambda s: store.revoke(s, 1001, desk["clock"]()))
    assert client.get("/board").status_code == 403
    client.get(path(admin_link(desk)))  # a new link works again
    assert client.get("/board").status_code == 200


def test_a_unit_link_opens_only_its_form(desk: dict[str, Any]) -> None:
    client = desk["client"]
    first = client.get(path(fill_link(desk, "大气办")))
    assert first.status_code == 303 and first.headers["location"] == "/fill"
    form = client.get("/fill")
    assert form.status_code == 200 and "大气办" in form.text and "加快橡胶行业绩效升级" in form.text
    assert client.get("/board").status_code == 403  # a unit's link is not the office's desk


@pytest.mark.parametrize("weeks_ago", [1])
def test_last_rounds_unit_link_is_refused(desk: dict[str, Any], weeks_ago: int) -> None:
    client = desk["client"]
    assert client.get(path(fill_link(desk, "大气办", weeks_ago))).status_code == 403
    assert client.get("/fill").status_code == 403


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_the_form_stores_like_a_button_press(desk: dict[str, Any]) -> None:
    client, db, settings, clock = desk["client"], desk["db"], desk["settings"], desk["clock"]
    client.get(path(fill_link(desk, "大气办")))
    token = _csrf(client.get("/fill").text)
    saved = client.post("/fill", data={"csrf": token, "status-2": "late", "note-2": "审批系统<升级>中"})
    assert saved.status_code == 200 and "已保存 1 项" in saved.text and "审批系统&lt;升级&gt;中" in saved.text
    plan = load_plan(db)
    report = db.run(lambda s: service.make_report(s, plan, settings, clock()))
    row = next(r for r in report.rows if r.task == 2 and r.unit == "大气办")
    assert (row.status, row.note, row.role) == ("滞后", "审批系统<升级>中", "lead")
    assert "滞后" in report_text(report)
    _, data, _ = service.build_export(db, settings, plan, report.period, clock())
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    cells = [str(c.value) for line in sheet.iter_rows() for c in line if c.value is not None]
    assert "审批系统<升级>中" in cells and "滞后" in cells
    # The same answer sent again is not a second report; the history holds one row.
    client.post("/fill", data={"csrf": token, "status-2": "late", "note-2": "审批系统<升级>中"})
    replies = db.run(lambda s: [r for r in service.store.replies(s, service.plan_key_of(plan)) if r.task == 2])
    assert len(replies) == 1
    client.get(path(admin_link(desk)))
    page = client.get("/task/2").text
    assert "审批系统&lt;升级&gt;中" in page and "网页填报" in page


@pytest.mark.parametrize("form", [
    {"status-2": "late"},  # no CSRF token
    {"csrf": "not-the-token", "status-2": "late"},
])
def test_the_form_needs_its_csrf_token(desk: dict[str, Any], form: dict[str, str]) -> None:
    client = desk["client"]
    client.get(path(fill_link(desk, "大气办")))
    assert client.post("/fill", data=form).status_code == 403
    assert desk["db"].run(lambda s: service.store.replies(s, service.plan_key_of(load_plan(desk["db"])))) == []


def test_a_unit_cannot_report_another_units_task(desk: dict[str, Any]) -> None:
    client = desk["client"]
    client.get(path(fill_link(desk, "环评科")))  # 环评科 leads task 1, not task 2
    token = _csrf(client.get("/fill").text)
    refused = client.post("/fill", data={"csrf": token, "status-1": "ok", "status-2": "done"})
    assert refused.status_code == 400 and "不能报送" in refused.text
    assert desk["db"].run(lambda s: service.store.replies(s, service.plan_key_of(load_plan(desk["db"])))) == []


def test_board_filters_and_downloads(desk: dict[str, Any]) -> None:
    client = desk["client"]
    client.get(path(admin_link(desk)))
    only = client.get("/board", params={"unit": "环评科"}).text
    assert "环评科" in only and "加快橡胶行业绩效升级" not in only
    xlsx = client.get("/export/monthly.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    png = client.get("/timeline.png")
    assert png.status_code == 200 and png.content[:4] == b"\x89PNG"
    assert client.get("/export/yearly.xlsx").status_code == 400


def test_the_secret_is_generated_once_and_kept_private(sv_settings: Settings) -> None:
    first = links.load_secret(sv_settings)
    assert len(first) >= 32 and links.load_secret(sv_settings) == first
    assert sv_settings.web_secret_file.stat().st_mode & 0o077 == 0
    assert links.load_secret(sv_settings.with_(web_secret=SECRET)) == SECRET.encode()


@pytest.mark.parametrize(("env", "says"), [
    ({"WEB_SECRET": "short"}, "WEB_SECRET"),
    ({"WEB_BASE_URL": "desk.example.org"}, "WEB_BASE_URL"),
    ({"WEB_PORT": "0"}, "WEB_PORT"),
])
def test_bad_desk_settings_are_one_clear_line(env: dict[str, str], says: str) -> None:
    from planbot.errors import SettingsError
    from planbot.settings import load_settings

    with pytest.raises(SettingsError) as err:
        load_settings(env, dotenv=False)
    assert says in str(err.value) and "short" not in str(err.value)  # a secret's value is never echoed


def test_links_point_under_the_public_base(sv_settings: Settings) -> None:
    assert sv_settings.web_public_url is None  # no WEB_PORT: no desk, no links
    local = sv_settings.with_(web_port=8080)
    assert local.web_public_url == "http://127.0.0.1:8080"
    public = sv_settings.with_(web_port=8080, web_base_url="https://desk.example.org/")
    assert public.web_public_url == "https://desk.example.org"


def test_a_desk_under_a_path_prefix_links_and_redirects_under_it(sv_settings: Settings, sv_db: Database,
                                                                  sv_clock: FrozenClock) -> None:
    settings = sv_settings.with_(web_port=8080, web_base_url=f"{BASE}/desk", web_secret=SECRET,
                                 telegram_bot_token="123:desk-test")
    application = build_application(settings, db=sv_db, clock=sv_clock, preload_qa=False, rate_limiter=None)
    url, _ = links.admin_link(settings, SECRET.encode(), sv_clock(), 0)
    assert url.startswith(f"{BASE}/desk/login/")
    with TestClient(create_app(application.bot_data["services"]), base_url=BASE, follow_redirects=False) as client:
        first = client.get(url[len(BASE):])  # a proxy that keeps the prefix
        assert first.headers["location"] == "/desk/board"
        board = client.get("/desk/board")
        assert board.status_code == 200 and 'href="/desk/task/2"' in board.text

"""The desk in a real browser: Debian's chromium driven by Selenium through Debian's chromium-driver.

Selenium is given the driver's path, so Selenium Manager never tries to download one. Screenshots are saved in
the test's temporary directory. Skips (saying why) where chromium or its driver is not installed.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from planbot.settings import Settings
from tests.fake_bot_api import FakeBotAPI
from tests.support_supervision import ADMIN
from tests.support_web import AIR, desk_settings, link_in

pytestmark = pytest.mark.slow

DRIVER = "/usr/bin/chromedriver"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def browser() -> Iterator[Any]:
    """A headless chromium, phone-ish width so the board's narrow layout is exercised too."""
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install selenium)")
    if not Path(DRIVER).exists() or not Path(CHROMIUM).exists():
        pytest.skip("chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1600"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


async def test_admin_board_and_a_units_form_in_chromium(desk_bot: Any, sv_settings: Settings, fake_api: FakeBotAPI,
                                                        browser: Any, tmp_path: Path) -> None:
    import asyncio

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    settings = await desk_bot(desk_settings(sv_settings))
    base = settings.web_public_url
    assert base is not None

    def run(work: Any) -> Any:
        # Every browser call in a thread: a call may wait for a page load, which needs this event loop's desk.
        return asyncio.to_thread(work)

    async def text(by: str, what: str) -> str:
        return str(await run(lambda: browser.find_element(by, what).text))

    await run(lambda: browser.get(f"{base}/board"))
    assert "/web" in await text(By.TAG_NAME, "body")  # no link: the 403 page says how to get one

    fake_api.push_message(ADMIN, "/web")
    admin_url = link_in((await fake_api.wait_for_message(ADMIN, contains="督查台链接"))["text"], base)
    await run(lambda: browser.get(admin_url))
    assert await run(lambda: browser.current_url) == f"{base}/board"
    row = await text(By.XPATH, "//table[@class='board']//tr[td[1]='2']")
    assert "大气办" in row and "未报送" in row
    await run(lambda: browser.save_screenshot(str(tmp_path / "board.png")))
    await run(lambda: browser.get(f"{base}/task/2"))
    await run(lambda: browser.save_screenshot(str(tmp_path / "task.png")))

    fake_api.push_message(ADMIN, "/weekly")
    fill_url = link_in((await fake_api.wait_for_message(AIR, contains="周调度"))["text"], base)
    await run(lambda: browser.get(fill_url))
    assert await run(lambda: browser.current_url) == f"{base}/fill"
    await run(lambda: browser.find_element(By.CSS_SELECTOR, "input[name='status-2'][value='late']").click())
    await run(lambda: browser.find_element(By.NAME, "note-2").send_keys("橡胶企业改造设备未到货"))
    await run(lambda: browser.find_element(By.CSS_SELECTOR, "form button[type='submit']").click())
    # The POST navigates: wait for the answer page (a lookup during the navigation would find the old page).
    await run(lambda: WebDriverWait(browser, 60).until(
        expected_conditions.text_to_be_present_in_element((By.CSS_SELECTOR, "p.ok-msg"), "已保存 1 项")))
    await run(lambda: browser.save_screenshot(str(tmp_path / "fill.png")))

    await run(lambda: browser.get(admin_url))  # the unit's link replaced the admin's session in this browser
    row = await text(By.XPATH, "//table[@class='board']//tr[td[1]='2']")
    assert "滞后" in row and "橡胶企业改造设备未到货" in row
    await run(lambda: browser.save_screenshot(str(tmp_path / "board-after.png")))
    await run(lambda: browser.get(f"{base}/task/2"))
    assert "橡胶企业改造设备未到货" in await text(By.TAG_NAME, "body")
    await run(lambda: browser.save_screenshot(str(tmp_path / "task-after.png")))
    await run(lambda: browser.set_window_size(390, 844))  # a phone: the board's rows become cards
    await run(lambda: browser.get(f"{base}/board?status=滞后"))
    assert "滞后 1" in await text(By.CLASS_NAME, "counts")
    await run(lambda: browser.save_screenshot(str(tmp_path / "board-phone.png")))
    assert all((tmp_path / n).stat().st_size > 10_000 for n in ("board.png", "task.png", "fill.png"))

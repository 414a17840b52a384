"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

# Serve on 127.0.0.1 so "every request stayed on this machine" is one host to check.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


# Module scope: Playwright's sync API keeps an asyncio loop running in the test thread
# while it is open, which breaks later tests that use async_to_sync or Playwright
# themselves (tests/telephony) when they run in the same process.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        pytest.skip(f"{CHROMIUM} is missing: `make test` installs Debian's chromium as root")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield launched
        launched.close()


class Session:
    """One person's browser context: their cookie, the requests their pages made."""

    def __init__(self, browser: Any, base_url: str, viewport: dict[str, int]) -> None:
        self.base_url = base_url
        self.context = browser.new_context(locale="ru-RU", viewport=viewport)
        self.requests: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)

    def sign_in_as(self, user: Any) -> Session:
        """Skip the form: put a session cookie of `user` in the browser."""
        from django.test import Client

        client = Client()
        client.force_login(user)
        cookie = client.cookies["sessionid"]
        host = urlparse(self.base_url).hostname
        self.context.add_cookies(
            [{"name": "sessionid", "value": cookie.value, "domain": host, "path": "/"}]
        )
        return self

    def open(self, path: str) -> Any:
        self.page.goto(self.base_url + path)
        return self.page

    def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))

    def assert_stayed_local(self) -> None:
        foreign = [url for url in self.requests if urlparse(url).hostname != "127.0.0.1"]
        assert self.requests, "the pages made no requests at all"
        assert foreign == [], f"requests left the machine: {foreign}"


@pytest.fixture
def sessions(browser: Any, live_server: Any) -> Iterator[Any]:
    opened: list[Session] = []

    def open_session(viewport: dict[str, int] = DESKTOP) -> Session:
        session = Session(browser, live_server.url, viewport)
        opened.append(session)
        return session

    yield open_session
    for session in opened:
        session.context.close()


@pytest.fixture
def demo(transactional_db: Any) -> dict[str, Any]:
    """The demo desk (three chains, the team, 40 tickets), for realistic screenshots."""
    from servicedesk.accounts.models import User
    from servicedesk.core.demo import load_demo
    from servicedesk.core.setup import load_plastek_configuration

    load_plastek_configuration()
    load_demo(ticket_count=40)
    return {user.username: user for user in User.objects.all()}

"""The caller card pops up in a real browser (Debian's chromium through Playwright).

The page is telephony's own minimal layout, which includes the same polling slot
(`telephony/popup_slot.html`) the workspace layout includes.
"""

from __future__ import annotations

import shutil

import pytest
from django.db import connections

CHROMIUM = shutil.which("chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium)"
    ),
]


def test_an_incoming_call_pops_up_the_caller_card_and_can_be_closed(
    world, l1, send, live_server, client
) -> None:
    from playwright.sync_api import expect, sync_playwright

    client.force_login(l1["sd"])
    session = client.cookies["sessionid"].value
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-first-run",
                    "--disable-background-networking",
                ],
            )
            context = browser.new_context(locale="ru-RU")
            context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
            page = context.new_page()
            page.goto(f"{live_server.url}/telephony/callbacks/")
            expect(page.get_by_role("heading", name="Очередь перезвона")).to_be_visible()
            assert page.locator(".call-popup").count() == 0

            response = send(
                callId="browser-1", event="newCall", **{"from": "+79161234567"}, extension="106"
            )
            assert response.status_code == 200

            card = page.locator(".call-popup")
            expect(card).to_be_visible(timeout=10_000)
            expect(card).to_contain_text("Входящий звонок: +79161234567")
            expect(card).to_contain_text(str(world["mega_guest"]))
            link = card.get_by_role("link", name="Открыть карточку звонка")
            assert link.get_attribute("href") == "/calls/new/?phone=%2B79161234567&call=browser-1"
            card.get_by_role("button", name="Закрыть").click()
            expect(page.locator(".call-popup")).to_have_count(0)
            page.wait_for_timeout(3500)  # the next poll must not bring a dismissed card back
            expect(page.locator(".call-popup")).to_have_count(0)
            browser.close()
        finally:
            # Playwright runs this block in its own context, which gets its own database
            # connection; close it here or it outlives the test and blocks the DB teardown.
            connections.close_all()

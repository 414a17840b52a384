"""Script-bearing input and the checks that it is never rendered executable.

Extend `HTML_PAGES` with the workspace's pages (URL templates filled from the context
built in test_xss.py: ticket_number, ticket_pk, contact_pk, client_pk, payload…); each
page is rendered for every payload as every user in `HTML_VIEWERS`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">ссылка</a>',
    "javascript:alert(1)",
    '"><svg onload=alert(1)>',
)

# Markup that would run if a payload came out unescaped.
_EXECUTABLE = (
    "<script>alert(1)",
    "<img src=x onerror",
    "<svg onload",
    'href="javascript:',
    "href='javascript:",
    "href=javascript:",
)

# Pages that show user text. Add the workspace's pages here.
HTML_PAGES: list[str] = [
    "/admin/tickets/ticket/",
    "/admin/tickets/ticket/?q={payload_q}",
    "/admin/tickets/ticket/{ticket_pk}/change/",
    "/admin/accounts/contact/",
    "/admin/accounts/contact/{contact_pk}/change/",
    "/admin/accounts/client/",
    "/admin/accounts/client/{client_pk}/change/",
    "/admin/accounts/apitoken/",
    "/admin/accounts/outlet/",
    "/admin/privacy/personaldataaccess/",
    "/account/2fa/verify/?next={payload_q}",
    "/account/2fa/setup/?next={payload_q}",
    # The staff workspace
    "/",
    "/tickets/",
    "/tickets/?q={payload_q}",
    "/tickets/{ticket_number}/",
    "/calls/new/?phone=%2B79160000001",
    "/calls/lookup/?phone=%2B79160000001",
]


def page_urls(context: dict[str, Any]) -> list[str]:
    context = context | {"payload_q": quote(context["payload"])}
    return [template.format(**context) for template in HTML_PAGES]


def assert_not_executable(html: str, where: str) -> None:
    """Fail if any payload appears as live markup in `html`."""
    lowered = html.lower()
    for fragment in _EXECUTABLE:
        assert fragment not in lowered, f"{where}: исполняемая разметка «{fragment}»"


def assert_json_text(response: Any, payload: str, where: str) -> None:
    """The API answers JSON (never HTML) and keeps the text exactly as typed."""
    assert response["Content-Type"].startswith("application/json"), where
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert any(payload in text for text in _strings(response.json())), where


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    return []

"""Russian first, English second: the user menu switches the workspace's language."""

from __future__ import annotations

import pytest

from tests.web.helpers import text_of

pytestmark = pytest.mark.django_db


def test_the_workspace_speaks_russian_by_default_and_english_on_request(client, world) -> None:
    client.force_login(world["agent"])
    assert "Очередь моей роли" in text_of(client.get("/", HTTP_ACCEPT_LANGUAGE="ru"))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = text_of(client.get("/"))
    assert "Overview" in page and "My role&#x27;s queue" in page
    assert "Open by status" in page


def test_the_portal_has_english_too(client, world) -> None:
    client.force_login(world["mega_user"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/portal/"})
    page = text_of(client.get("/portal/new/"))
    assert "I don't know — let support decide" in page

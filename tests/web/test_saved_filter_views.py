"""Saving a queue view in the sidebar and removing it."""

from __future__ import annotations

import pytest

from servicedesk.web.models import SavedFilter
from tests.web.helpers import text_of

pytestmark = pytest.mark.django_db


def test_an_agent_saves_a_filter_and_finds_it_in_the_sidebar(client, world) -> None:
    client.force_login(world["agent"])
    response = client.post(
        "/filters/", {"name": "Инциденты Меги", "querystring": "queue=all&service=incident&page=4"}
    )
    assert response["Location"] == "/tickets/?queue=all&service=incident"
    page = text_of(client.get(response["Location"]))
    assert "Инциденты Меги" in page
    assert "Фильтр «Инциденты Меги» сохранён" in page


def test_a_nameless_filter_is_refused_with_a_message(client, world) -> None:
    client.force_login(world["agent"])
    response = client.post("/filters/", {"name": "", "querystring": "queue=all"}, follow=True)
    assert "Назовите фильтр" in text_of(response)
    assert not SavedFilter.objects.exists()


def test_removing_a_filter_returns_to_the_page(client, world) -> None:
    client.force_login(world["agent"])
    client.post("/filters/", {"name": "Мои", "querystring": "queue=mine"})
    saved = SavedFilter.objects.get()
    response = client.post(f"/filters/{saved.pk}/delete/", {"next": "/tickets/?queue=mine"})
    assert response["Location"] == "/tickets/?queue=mine"
    assert not SavedFilter.objects.exists()
    evil = client.post(f"/filters/{saved.pk}/delete/", {"next": "https://evil.example/"})
    assert evil["Location"] == "/tickets/"

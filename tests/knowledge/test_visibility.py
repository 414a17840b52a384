"""Who reads which article: staff, client users, guests — in selectors, pages and the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from servicedesk.core.errors import NotFound
from servicedesk.knowledge.models import Visibility
from servicedesk.knowledge.selectors import access_article, search_articles, visible_articles

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(kb, write) -> dict[str, Any]:
    """One article of every audience, common and per client, plus a draft."""
    return {
        "internal": write("Регламент коррекции баланса", visibility=Visibility.INTERNAL),
        "client_common": write("Статусы карты", visibility=Visibility.CLIENT),
        "client_mega": write(
            "Акция Меги: двойные баллы", visibility=Visibility.CLIENT, client=kb["mega"]
        ),
        "client_apteka": write(
            "Аптека: баллы за рецепты", visibility=Visibility.CLIENT, client=kb["apteka"]
        ),
        "public": write("Как активировать карту", visibility=Visibility.PUBLIC),
        "public_mega": write(
            "Мега: правила программы", visibility=Visibility.PUBLIC, client=kb["mega"]
        ),
        "draft_public": write("Черновик: баллы", visibility=Visibility.PUBLIC, is_published=False),
    }


def titles(reader: Any) -> set[str]:
    return set(visible_articles(reader).values_list("title", flat=True))


def test_staff_see_every_article_including_internal_other_clients_and_drafts(kb, shelf) -> None:
    assert titles(kb["agent"]) == {a.title for a in shelf.values()}


def test_a_client_user_sees_client_and_public_articles_common_or_of_their_own_client(
    kb, shelf
) -> None:
    assert titles(kb["mega_user"]) == {
        "Статусы карты",
        "Акция Меги: двойные баллы",
        "Как активировать карту",
        "Мега: правила программы",
    }


def test_a_client_user_never_sees_internal_articles_or_another_clients(kb, shelf) -> None:
    for key in ("internal", "client_apteka", "draft_public", "public_mega"):
        with pytest.raises(NotFound):
            access_article(
                kb["apteka_user"] if key == "public_mega" else kb["mega_user"], shelf[key].pk
            )


def test_guests_see_published_public_articles_only(kb, shelf) -> None:
    expected = {"Как активировать карту", "Мега: правила программы"}
    assert titles(None) == expected
    assert titles(AnonymousUser()) == expected


def test_a_disabled_client_user_is_treated_as_a_guest(kb, shelf) -> None:
    user = kb["mega_user"]
    user.is_active = False
    assert titles(user) == {"Как активировать карту", "Мега: правила программы"}


def test_search_applies_the_same_audience_rules(kb, shelf) -> None:
    found = {hit.article.title for hit in search_articles(kb["mega_user"], "баллы")}
    assert found == {"Акция Меги: двойные баллы"}
    assert {hit.article.title for hit in search_articles(None, "баллы")} == set()
    assert len(search_articles(kb["agent"], "баллы")) == 3


def test_the_public_page_opens_without_login_and_hides_everything_else(client, shelf) -> None:
    page = client.get(f"/kb/public/{shelf['public'].slug}/")
    assert page.status_code == 200
    assert "Как активировать карту" in page.content.decode()
    for key in ("internal", "client_common", "draft_public"):
        assert client.get(f"/kb/public/{shelf[key].slug}/").status_code == 404


def test_the_portal_list_shows_a_client_user_their_articles(client, kb, shelf) -> None:
    client.force_login(kb["mega_user"])
    page = client.get("/kb/").content.decode()
    assert "Акция Меги: двойные баллы" in page
    assert "Статусы карты" in page
    assert "Регламент коррекции баланса" not in page
    assert "Аптека: баллы за рецепты" not in page
    assert "Новая статья" not in page


def test_a_client_user_gets_404_for_an_internal_article_page(client, kb, shelf) -> None:
    client.force_login(kb["mega_user"])
    assert client.get(f"/kb/{shelf['internal'].pk}/").status_code == 404
    assert client.get(f"/kb/{shelf['client_mega'].pk}/").status_code == 200


def test_guests_browsing_the_kb_see_public_articles_only(client, shelf) -> None:
    page = client.get("/kb/").content.decode()
    assert "Как активировать карту" in page
    assert "Статусы карты" not in page


def test_the_api_answers_404_for_another_clients_article(api_as, kb, shelf) -> None:
    api = api_as(kb["apteka_user"])
    assert api.get(f"/kb/articles/{shelf['client_mega'].pk}").status_code == 404
    assert api.get(f"/kb/articles/{shelf['client_apteka'].pk}").status_code == 200
    assert api.get(f"/kb/articles/{shelf['internal'].pk}").json()["code"] == "not_found"


def test_staff_pages_are_closed_to_client_users_and_guests(client, kb, shelf) -> None:
    assert client.get("/kb/new/").status_code == 302  # to the login page
    client.force_login(kb["mega_user"])
    assert client.get("/kb/new/").status_code == 404
    assert client.get(f"/kb/{shelf['client_mega'].pk}/history/").status_code == 404

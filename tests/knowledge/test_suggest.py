"""Suggestions while a ticket is written: text relevance raised by client and service."""

from __future__ import annotations

import pytest

from servicedesk.knowledge.models import Visibility
from servicedesk.knowledge.selectors import suggest_articles

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(kb, write) -> dict[str, object]:
    """A small fixed corpus about points, cards and tills."""
    return {
        "common": write(
            "Баллы не начислились после покупки",
            "Начисление баллов приходит в течение суток. Проверьте, что карта была предъявлена.",
        ),
        "mega": write(
            "Мега: начисление баллов по акции",
            "В Меге баллы за акционные товары начисляются отдельно.",
            client=kb["mega"],
        ),
        "till": write(
            "Касса не видит карту",
            "Кассир вводит номер карты вручную; баллы начислим по заявке.",
            services=("pos_integration",),
        ),
        "apteka": write(
            "Аптека: начисление баллов за рецептурные препараты",
            "Баллы за рецептурные препараты не начисляются.",
            client=kb["apteka"],
        ),
        "activate": write("Как активировать карту", "Активация на сайте."),
    }


def titles(hits) -> list[str]:
    return [hit.article.title for hit in hits]


def test_text_relevance_orders_suggestions_without_context(kb, corpus) -> None:
    hits = suggest_articles(kb["agent"], None, None, "не начислились баллы за покупку")
    assert titles(hits)[0] == "Баллы не начислились после покупки"
    assert "Как активировать карту" not in titles(hits)


def test_the_clients_own_article_is_raised_and_other_clients_are_left_out(kb, corpus) -> None:
    hits = titles(suggest_articles(kb["agent"], kb["mega"].code, None, "начисление баллов"))
    assert hits[0] == "Мега: начисление баллов по акции"
    assert "Аптека: начисление баллов за рецептурные препараты" not in hits
    assert "Баллы не начислились после покупки" in hits


def test_the_tickets_service_raises_related_articles(kb, corpus) -> None:
    text = "баллы карта"
    without = titles(suggest_articles(kb["agent"], kb["mega"].code, None, text))
    with_service = titles(suggest_articles(kb["agent"], kb["mega"].code, "pos_integration", text))
    assert without[0] != "Касса не видит карту"
    assert with_service[0] == "Касса не видит карту"


def test_with_no_text_yet_the_clients_and_services_articles_are_offered(kb, corpus) -> None:
    hits = titles(suggest_articles(kb["agent"], kb["mega"].code, "pos_integration", ""))
    assert set(hits) == {"Касса не видит карту", "Мега: начисление баллов по акции"}
    assert suggest_articles(kb["agent"], None, None, "") == []


def test_limit_and_scores_are_respected(kb, corpus) -> None:
    hits = suggest_articles(kb["agent"], None, None, "баллы карта начисление", limit=2)
    assert len(hits) == 2
    assert hits[0].score >= hits[1].score


def test_a_client_user_is_only_offered_what_they_may_read(kb, corpus, write) -> None:
    write("Баллы: ответы для магазинов", "Начисление баллов.", visibility=Visibility.CLIENT)
    write(
        "Мега: баллы для магазинов",
        "Начисление баллов.",
        visibility=Visibility.CLIENT,
        client=kb["mega"],
    )
    write(
        "Аптека: баллы для аптек",
        "Начисление баллов.",
        visibility=Visibility.CLIENT,
        client=kb["apteka"],
    )
    hits = titles(suggest_articles(kb["mega_user"], kb["apteka"].code, None, "начисление баллов"))
    assert hits == ["Баллы: ответы для магазинов"]  # the corpus above is internal
    hits = titles(suggest_articles(kb["mega_user"], kb["mega"].code, None, "начисление баллов"))
    assert hits == ["Мега: баллы для магазинов", "Баллы: ответы для магазинов"]


def test_the_suggest_partial_offers_link_and_text_buttons(client, kb, corpus) -> None:
    client.force_login(kb["agent"])
    page = client.get(
        "/kb/suggest/", {"client": kb["mega"].code, "service": "", "q": "баллы не начислились"}
    ).content.decode()
    assert 'data-kb-insert="link"' in page
    assert 'data-kb-insert="text"' in page
    assert "Мега: начисление баллов по акции" in page
    assert "<mark>" in page
    assert "Аптека" not in page


def test_the_suggest_partial_accepts_numeric_ids_from_a_select(client, kb, corpus) -> None:
    client.force_login(kb["agent"])
    page = client.get("/kb/suggest/", {"client": str(kb["mega"].pk), "q": "начисление"}).content
    assert "Мега: начисление баллов по акции" in page.decode()


def test_the_widget_include_renders_with_the_host_selectors(rf, kb) -> None:
    from django.template.loader import render_to_string

    html = render_to_string(
        "knowledge/widget.html",
        {
            "kb_client": "#id_client",
            "kb_text": "#id_subject, #id_description",
            "kb_ticket": "SD-000001",
        },
    )
    assert 'data-kb-client="#id_client"' in html
    assert 'data-kb-ticket="SD-000001"' in html
    assert 'hx-get="/kb/suggest/"' in html


def test_the_api_suggests_too(api_as, kb, corpus) -> None:
    rows = api_as(kb["agent"]).get(f"/kb/suggest?q=начисление&client={kb['mega'].code}").json()
    assert rows[0]["title"] == "Мега: начисление баллов по акции"
    assert rows[0]["title_html"].startswith("Мега: <mark>начисление</mark>")

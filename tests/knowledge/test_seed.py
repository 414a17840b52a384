"""The starter knowledge base: loaded once by load_plastek, never over the head's work."""

from __future__ import annotations

import pytest

from servicedesk.core.setup import load_plastek_configuration
from servicedesk.knowledge.models import Article, Macro
from servicedesk.knowledge.selectors import search_articles, visible_articles

pytestmark = pytest.mark.django_db


def test_load_plastek_fills_an_empty_knowledge_base_once(plastek, world) -> None:
    count = Article.objects.count()
    assert count >= 8
    assert Macro.objects.count() >= 3
    Article.objects.filter(pk=Article.objects.first().pk).update(title="Правка руководителя")
    load_plastek_configuration()
    assert Article.objects.count() == count
    assert Article.objects.filter(title="Правка руководителя").exists()


def test_the_starter_articles_answer_the_typical_l1_questions(plastek, world) -> None:
    def first(query: str) -> str:
        return search_articles(world["agent"], query)[0].article.title

    assert first("баллы не начислились") == "Баллы не начислились после покупки: что проверить"
    assert first("как активировать карту") == "Как активировать карту"
    assert first("карта заблокирована") == "Статусы карты: что они означают"
    assert first("не приходит смс") == "Не приходит SMS-код для входа в личный кабинет"
    assert first("касса не считывает карту") == "Касса не видит карту: порядок действий кассира"


def test_guests_see_the_public_starter_articles_only(plastek, world) -> None:
    public = set(visible_articles(None).values_list("visibility", flat=True))
    assert public == {"public"}

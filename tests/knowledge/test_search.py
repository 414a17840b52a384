"""Russian search: inflected and derived forms, ranking, highlighting — on either database.

The whole suite runs on SQLite and on PostgreSQL, so each test here checks both
backends; the two backend tests at the end assert which one actually answered.
"""

from __future__ import annotations

import pytest
from django.db import connection

from servicedesk.knowledge import search
from servicedesk.knowledge.models import Article
from servicedesk.knowledge.selectors import search_articles

pytestmark = pytest.mark.django_db


def found(kb, query: str, **kwargs) -> list[str]:
    return [hit.article.title for hit in search_articles(kb["agent"], query, **kwargs)]


def test_the_issue_example_finds_the_article_about_crediting_points(kb, write) -> None:
    write("Начисление баллов за покупки", "Как работает начисление баллов и когда оно приходит.")
    write("Как активировать карту", "Активация на сайте или в приложении.")
    assert found(kb, "баллы не начислились") == ["Начисление баллов за покупки"]


def test_the_reverse_direction_works_too(kb, write) -> None:
    write("Баллы не начислились", "Если после покупки баллы не начислились, проверьте чек.")
    assert found(kb, "начисление баллов") == ["Баллы не начислились"]


def test_a_verb_finds_its_noun(kb, write) -> None:
    write("Активация карты", "Карту можно активировать на сайте.")
    write("Блокировка карты", "Заблокированную карту нельзя использовать.")
    assert found(kb, "как активировать") == ["Активация карты"]


def test_keywords_find_an_article_whose_text_does_not_have_the_words(kb, write) -> None:
    write("Начисление за покупку", "Процент от суммы чека.", keywords="бонусы не пришли")
    assert found(kb, "не пришли бонусы") == ["Начисление за покупку"]


def test_every_word_must_match_when_some_article_has_them_all(kb, write) -> None:
    write("Баланс карты", "Как узнать баланс баллов.")
    write("Статусы карты", "Активна, заблокирована.")
    assert found(kb, "баланс карты") == ["Баланс карты"]


def test_with_no_article_having_every_word_any_word_is_enough(kb, write) -> None:
    write("Баланс карты", "Как узнать баланс.")
    assert found(kb, "баланс телепортация") == ["Баланс карты"]


def test_a_title_match_ranks_above_a_mention_in_the_text(kb, write) -> None:
    write("Возврат покупки", "При возврате товара баллы списываются; смотрите также блокировку.")
    write("Блокировка карты", "Карта блокируется при утере.")
    assert found(kb, "блокировка")[0] == "Блокировка карты"


def test_results_are_highlighted_and_escaped(kb, write) -> None:
    write(
        "Баллы <b>за</b> покупку",
        "Начисление баллов <script>alert(1)</script> происходит за сутки.",
    )
    hit = search_articles(kb["agent"], "баллы начислились")[0]
    assert hit.title_html == "<mark>Баллы</mark> &lt;b&gt;за&lt;/b&gt; покупку"
    assert "<mark>Начисление</mark> <mark>баллов</mark>" in hit.snippet_html
    assert "<script>" not in hit.snippet_html


def test_client_narrows_to_that_clients_and_common_articles(kb, write) -> None:
    write("Баллы: общие правила")
    write("Баллы в Меге", client=kb["mega"])
    write("Баллы в Аптеке", client=kb["apteka"])
    assert sorted(found(kb, "баллы", client=kb["mega"].code)) == [
        "Баллы в Меге",
        "Баллы: общие правила",
    ]


def test_service_narrows_to_related_articles(kb, write) -> None:
    write("Баллы и касса", services=("pos_integration",))
    write("Баллы и акции", services=("promotion",))
    assert found(kb, "баллы", service="pos_integration") == ["Баллы и касса"]


def test_an_empty_or_stop_word_query_finds_nothing(kb, write) -> None:
    write("Баллы")
    assert found(kb, "") == []
    assert found(kb, "и в не") == []


def test_a_new_version_replaces_the_old_text_in_the_index(kb, write) -> None:
    from servicedesk.knowledge.services import ArticleData, article_update

    article = write("Подарочные сертификаты", "Про сертификаты.")
    article_update(
        actor=kb["head"],
        article_id=article.pk,
        data=ArticleData(title="Возврат товара", body="Про возврат.", section_id=kb["section"].pk),
    )
    assert found(kb, "сертификаты") == []
    assert found(kb, "возврат") == ["Возврат товара"]


def test_the_index_can_be_rebuilt_from_scratch(kb, write) -> None:
    write("Начисление баллов")
    assert search.index_articles() == 1
    assert found(kb, "баллы не начислились") == ["Начисление баллов"]


def test_the_index_lives_where_the_database_keeps_it(kb, write) -> None:
    """PostgreSQL: a stored tsvector (russian configuration) under a GIN index.
    SQLite: an FTS5 row of lemmas and roots."""
    article = write("Баллы не начислились")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            vector = Article.objects.values_list("search_vector", flat=True).get(pk=article.pk)
            assert vector.startswith("'балл':1A 'начисл':3A")
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'kb_article_search_gin'"
            )
            assert "gin (search_vector)" in cursor.fetchone()[0]
        else:
            cursor.execute("SELECT title FROM knowledge_article_fts WHERE rowid = %s", [article.pk])
            assert cursor.fetchone()[0] == "балл начислиться начисл"

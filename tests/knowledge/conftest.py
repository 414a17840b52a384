"""Fixtures of the knowledge base tests: an empty knowledge base and article helpers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def kb(world: dict[str, Any]) -> dict[str, Any]:
    """The world without the starter articles, plus one section to write into."""
    from servicedesk.knowledge.models import Article, ArticleVersion, Macro, Section

    ArticleVersion.objects.all().delete()
    Article.objects.all().delete()
    Macro.objects.all().delete()
    Section.objects.all().delete()
    from servicedesk.knowledge import search

    search.index_articles()  # empties the SQLite index too
    return world | {"section": Section.objects.create(name="Баллы и баланс")}


@pytest.fixture
def write(kb: dict[str, Any]) -> Callable[..., Any]:
    """Return a function that writes an article as the head (through the service)."""
    from servicedesk.knowledge.services import ArticleData, article_create

    def make(title: str, body: str = "Текст статьи.", **fields: Any) -> Any:
        client = fields.pop("client", None)
        data = ArticleData(
            title=title,
            body=body,
            section_id=kb["section"].pk,
            client=client.code if client is not None else None,
            **fields,
        )
        return article_create(actor=kb["head"], data=data)

    return make

"""`manage.py kb_reindex` rebuilds the search index."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from servicedesk.knowledge.selectors import search_articles

pytestmark = pytest.mark.django_db


def test_kb_reindex_rebuilds_the_index(kb, write) -> None:
    write("Начисление баллов")
    out = StringIO()
    call_command("kb_reindex", stdout=out)
    assert out.getvalue().strip() == "Проиндексировано статей: 1"
    assert [h.article.title for h in search_articles(kb["agent"], "баллы начислились")] == [
        "Начисление баллов"
    ]

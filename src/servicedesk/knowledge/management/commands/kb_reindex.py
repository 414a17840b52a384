"""Rebuild the knowledge base search index (after a restore or a change of search rules)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from servicedesk.knowledge.search import index_articles


class Command(BaseCommand):
    help = "Перестроить поисковый индекс базы знаний"

    def handle(self, *args: Any, **options: Any) -> None:
        count = index_articles()
        self.stdout.write(f"Проиндексировано статей: {count}")

"""Writes of the knowledge base: articles (with versions and the search index), macros."""

from servicedesk.knowledge.services.articles import (
    ArticleData,
    article_attach,
    article_create,
    article_update,
)
from servicedesk.knowledge.services.macros import (
    MacroResult,
    macro_apply,
    macro_preview,
    macro_validate,
    ticket_due_times,
)
from servicedesk.knowledge.services.usage import kb_record_usage

__all__ = [
    "ArticleData",
    "MacroResult",
    "article_attach",
    "article_create",
    "article_update",
    "kb_record_usage",
    "macro_apply",
    "macro_preview",
    "macro_validate",
    "ticket_due_times",
]

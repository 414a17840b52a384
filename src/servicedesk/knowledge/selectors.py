"""Reads of the knowledge base, always through the reader's audience."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils.safestring import SafeString, mark_safe

from servicedesk.accounts.models import User
from servicedesk.core.errors import NotFound
from servicedesk.knowledge import search
from servicedesk.knowledge.domain.ranking import Candidate, order_suggestions, suggestion_score
from servicedesk.knowledge.domain.text import Term, query_terms
from servicedesk.knowledge.models import (
    Article,
    ArticleAttachment,
    ArticleVersion,
    Macro,
    Section,
    Visibility,
)

Reader = User | AnonymousUser | None


def _staff(reader: Reader) -> bool:
    return isinstance(reader, User) and reader.is_support_staff


def visible_articles(reader: Reader) -> QuerySet[Article]:
    """Return the articles `reader` may read (the one place the audience rules live).

    Staff read everything, drafts included. A client user reads published articles for
    clients or the public that are common or their own client's, never internal ones
    and never another client's. Anyone else (guests, anonymous) reads published public
    articles only.
    """
    articles = Article.objects.all()
    if _staff(reader):
        return articles
    published = articles.filter(is_published=True)
    if isinstance(reader, User) and reader.is_active and reader.client_id is not None:
        return published.filter(
            Q(client__isnull=True) | Q(client_id=reader.client_id),
            visibility__in=[Visibility.CLIENT, Visibility.PUBLIC],
        )
    return published.filter(visibility=Visibility.PUBLIC)


def access_article(reader: Reader, article_id: int) -> Article:
    """Return one article the reader may read, or NotFound (never a hint that it exists)."""
    article = (
        visible_articles(reader)
        .select_related("section", "client", "updated_by")
        .prefetch_related("services", "attachments")
        .filter(pk=article_id)
        .first()
    )
    if article is None:
        raise NotFound("Статья не найдена")
    return article


def public_article(slug: str) -> Article:
    """Return a published public article by its address (for guests, no login)."""
    article = (
        visible_articles(None)
        .select_related("section")
        .prefetch_related("attachments")
        .filter(slug=slug)
        .first()
    )
    if article is None:
        raise NotFound("Статья не найдена")
    return article


def article_list(
    reader: Reader, *, section: int | None = None, client: str | None = None
) -> QuerySet[Article]:
    """Return the reader's articles for browsing, with what a list row shows joined."""
    articles = visible_articles(reader).select_related("section", "client")
    if section is not None:
        articles = articles.filter(section_id=section)
    if client:
        articles = articles.filter(Q(client__isnull=True) | Q(client__code=client))
    return articles.order_by("section__order", "section__name", "title")


def sections_in_use(reader: Reader) -> QuerySet[Section]:
    ids = visible_articles(reader).values("section_id")
    return Section.objects.filter(pk__in=ids)


def article_versions(reader: Reader, article_id: int) -> QuerySet[ArticleVersion]:
    """Return the history of an article (staff only: versions may hold internal text)."""
    if not _staff(reader):
        raise NotFound("Статья не найдена")
    access_article(reader, article_id)
    return ArticleVersion.objects.filter(article_id=article_id).order_by("-number")


def article_version(reader: Reader, article_id: int, number: int) -> ArticleVersion:
    version = article_versions(reader, article_id).filter(number=number).first()
    if version is None:
        raise NotFound(f"Версия {number} не найдена")
    return version


def access_article_file(reader: Reader, file_id: int) -> ArticleAttachment:
    """Return a file of an article the reader may read, or NotFound."""
    attachment = (
        ArticleAttachment.objects.filter(pk=file_id, article__in=visible_articles(reader))
        .select_related("article")
        .first()
    )
    if attachment is None:
        raise NotFound("Файл не найден")
    return attachment


def visible_macros(actor: User) -> QuerySet[Macro]:
    """Return the active reply templates `actor` may use: own, their roles', everyone's."""
    if not actor.is_support_staff:
        return Macro.objects.none()
    roles = [role.value for role in actor.roles]
    return (
        Macro.objects.filter(is_active=True)
        .filter(
            Q(owner=actor) | Q(owner__isnull=True, role="") | Q(owner__isnull=True, role__in=roles)
        )
        .select_related("set_service", "owner")
        .order_by("order", "name")
    )


def access_macro(actor: User, macro_id: int) -> Macro:
    macro = visible_macros(actor).filter(pk=macro_id).first()
    if macro is None:
        raise NotFound("Шаблон ответа не найден")
    return macro


@dataclass(frozen=True)
class Hit:
    """A found article with its score and highlighted title and fragment (safe HTML)."""

    article: Article
    score: float
    title_html: SafeString
    snippet_html: SafeString


SEARCH_MAX = 100
_QUERY_MAX = 500


def _scoped(
    articles: QuerySet[Article], client: str | None, service: str | None
) -> QuerySet[Article]:
    if client:
        articles = articles.filter(Q(client__isnull=True) | Q(client__code=client))
    if service:
        articles = articles.filter(services__code=service)
    return articles


def _hits(ranked: list[tuple[int, float]], terms: list[Term]) -> list[Hit]:
    ids = [pk for pk, _ in ranked]
    articles = Article.objects.select_related("section", "client").prefetch_related("services")
    by_id = articles.in_bulk(ids)
    quoted = search.quotes(ids, terms)
    return [
        Hit(
            article=by_id[pk],
            score=score,
            title_html=mark_safe(quoted[pk].title_html),
            snippet_html=mark_safe(quoted[pk].snippet_html),
        )
        for pk, score in ranked
        if pk in by_id
    ]


def search_articles(
    reader: Reader,
    query: str,
    client: str | None = None,
    service: str | None = None,
    limit: int = 20,
) -> list[Hit]:
    """Return the reader's articles matching every word of `query` in any form, best first.

    When no article has every word, articles with any of them are returned. `client`
    narrows to that client's and common articles, `service` to articles related to it.
    """
    terms = query_terms(query[:_QUERY_MAX])
    if not terms:
        return []
    limit = max(1, min(limit, SEARCH_MAX))
    articles = _scoped(visible_articles(reader), client, service)
    ranked = search.rank_by_text(articles, terms, match_all=True, limit=limit)
    if not ranked and len(terms) > 1:
        ranked = search.rank_by_text(articles, terms, match_all=False, limit=limit)
    return _hits(ranked, terms)


SUGGEST_POOL = 100


def suggest_articles(
    reader: Reader, client: str | None, service: str | None, text: str, limit: int = 5
) -> list[Hit]:
    """Return articles to offer while a ticket is being written, best first.

    Candidates are the reader's articles for this client (or common) that share any
    word with `text`, ranked by text relevance and raised for articles written for this
    client and related to this service (domain.ranking). With no words yet, the
    client's and service's articles come first.
    """
    limit = max(1, min(limit, 20))
    terms = query_terms(text[:_QUERY_MAX])
    articles = _scoped(visible_articles(reader), client, None)
    if terms:
        ranked = search.rank_by_text(articles, terms, match_all=False, limit=SUGGEST_POOL)
    elif client or service:
        in_context = Q(client__code=client) if client else Q(pk__in=[])
        if service:
            in_context |= Q(services__code=service)
        in_order = articles.filter(in_context).order_by("-updated_at").values_list("pk", flat=True)
        ranked = [(pk, 1.0) for pk in list(dict.fromkeys(in_order))[:SUGGEST_POOL]]
    else:
        return []
    ids = [pk for pk, _ in ranked]
    for_client = set(
        Article.objects.filter(pk__in=ids, client__code=client).values_list("pk", flat=True)
        if client
        else []
    )
    for_service = set(
        Article.objects.filter(pk__in=ids, services__code=service).values_list("pk", flat=True)
        if service
        else []
    )
    candidates = [Candidate(pk, score, pk in for_client, pk in for_service) for pk, score in ranked]
    ordered = order_suggestions(candidates, limit)
    best = max((c.relevance for c in candidates), default=0.0)
    return _hits([(c.article_id, suggestion_score(c, best)) for c in ordered], terms)

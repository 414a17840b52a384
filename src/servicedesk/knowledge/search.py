"""Full-text search of articles in Russian on PostgreSQL and on SQLite, behind one API.

PostgreSQL: a stored tsvector (`russian` configuration: title A, keywords B, text C)
with a GIN index, queried with the words' roots as prefixes, ranked by ts_rank_cd
(cover density: the words close together and in the title count most) and quoted by
ts_headline. SQLite: an FTS5 table of lemmas and roots (see domain.text), ranked by
bm25 with the same column weights, quoted by domain.highlight.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.expressions import CombinedExpression

from servicedesk.knowledge.domain.highlight import MARK_END, MARK_START, highlight, markers_to_html
from servicedesk.knowledge.domain.text import Term, fts5_match, index_text, tsquery
from servicedesk.knowledge.models import Article

FTS_TABLE = "knowledge_article_fts"
WEIGHTS = (10.0, 5.0, 1.0)  # title, keywords, text (bm25); PostgreSQL: A, B, C
SNIPPET_WORDS = 35


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _vector() -> CombinedExpression:
    return (
        SearchVector("title", weight="A", config="russian")
        + SearchVector("keywords", weight="B", config="russian")
        + SearchVector("body_text", weight="C", config="russian")
    )


def index_articles(article_ids: Iterable[int] | None = None) -> int:
    """Bring the search index up to date for these articles (all when None); return the count."""
    articles = Article.objects.all()
    if article_ids is not None:
        articles = articles.filter(pk__in=list(article_ids))
    if _postgres():
        return articles.update(search_vector=_vector())
    rows = [
        (pk, index_text(title), index_text(keywords), index_text(body))
        for pk, title, keywords, body in articles.values_list(
            "pk", "title", "keywords", "body_text"
        ).iterator()
    ]
    with connection.cursor() as cursor:
        if article_ids is None:
            cursor.execute("DELETE FROM knowledge_article_fts")
        else:
            cursor.executemany(
                "DELETE FROM knowledge_article_fts WHERE rowid = %s", [(r[0],) for r in rows]
            )
        cursor.executemany(
            "INSERT INTO knowledge_article_fts (rowid, title, keywords, body)"
            " VALUES (%s, %s, %s, %s)",
            rows,
        )
    return len(rows)


def _pg_query(terms: list[Term], match_all: bool) -> SearchQuery:
    return SearchQuery(tsquery(terms, match_all=match_all), search_type="raw", config="simple")


def rank_by_text(
    articles: QuerySet[Article], terms: list[Term], *, match_all: bool, limit: int
) -> list[tuple[int, float]]:
    """Return (article id, relevance) of the best matches among `articles`, best first."""
    if not terms:
        return []
    if _postgres():
        query = _pg_query(terms, match_all)
        rows = (
            articles.filter(search_vector=query)
            .annotate(relevance=SearchRank(F("search_vector"), query, cover_density=True))
            .order_by("-relevance", "pk")
            .values_list("pk", "relevance")[:limit]
        )
        return [(pk, float(relevance)) for pk, relevance in rows]
    inner, params = articles.order_by().values("pk").query.sql_with_params()
    title, keywords, body = WEIGHTS
    # `inner` is SQL compiled by Django with its own placeholders; the weights are constants.
    # The CTE is materialised on purpose: with `rowid IN (…)` next to MATCH, SQLite probes
    # the full-text index once per visible row (seconds on 1,000 articles).
    sql = (
        f"WITH hits AS MATERIALIZED (SELECT rowid AS id, "  # noqa: S608
        f"bm25({FTS_TABLE}, {title}, {keywords}, {body}) AS score "
        f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s) "
        f"SELECT id, score FROM hits WHERE id IN ({inner}) ORDER BY score, id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [fts5_match(terms, match_all=match_all), *params, limit])
        return [(int(pk), -float(score)) for pk, score in cursor.fetchall()]


@dataclass(frozen=True)
class Quote:
    title_html: str
    snippet_html: str


def quotes(article_ids: list[int], terms: list[Term]) -> dict[int, Quote]:
    """Return highlighted titles and text fragments (escaped HTML with <mark>)."""
    articles = Article.objects.filter(pk__in=article_ids)
    if _postgres() and terms:
        rows = articles.annotate(
            headline=SearchHeadline(
                "body_text",
                _pg_query(terms, match_all=False),
                config="russian",
                start_sel=MARK_START,
                stop_sel=MARK_END,
                max_words=SNIPPET_WORDS,
                min_words=15,
            )
        ).values_list("pk", "title", "headline")
        return {
            pk: Quote(highlight(title, terms, max_words=None), markers_to_html(headline))
            for pk, title, headline in rows
        }
    return {
        pk: Quote(
            highlight(title, terms, max_words=None),
            highlight(body, terms, max_words=SNIPPET_WORDS),
        )
        for pk, title, body in articles.values_list("pk", "title", "body_text")
    }

"""Knowledge base and reply template endpoints: thin handlers over selectors and services."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from servicedesk.api.auth import current_user
from servicedesk.api.schemas import ERRORS, Ref, StrictIn
from servicedesk.knowledge import selectors, services
from servicedesk.knowledge.models import Article, Macro, UsageMode, Visibility
from servicedesk.knowledge.rendering import render_markdown
from servicedesk.tickets.api import present
from servicedesk.tickets.api.schemas import CommentOut, TicketOut
from servicedesk.tickets.models import Channel

router = Router(tags=["База знаний"])


class HitOut(Schema):
    id: int
    title: str
    title_html: str = Field(
        description="Заголовок, найденные слова в <mark>, остальное экранировано"
    )
    snippet_html: str = Field(description="Фрагмент текста, найденные слова в <mark>")
    score: float
    section: str
    client: Ref | None
    visibility: str
    url: str
    public_url: str | None


class FileOut(Schema):
    id: int
    filename: str
    size: int
    content_type: str
    url: str


class ArticleOut(Schema):
    id: int
    title: str
    slug: str
    section: str
    client: Ref | None
    visibility: str
    services: list[Ref]
    keywords: str
    is_published: bool
    body: str = Field(description="Markdown")
    html: str = Field(description="Безопасный HTML")
    text: str = Field(description="Текст без разметки (для вставки в ответ)")
    version: int
    updated_at: datetime
    updated_by: str
    files: list[FileOut]
    url: str
    public_url: str | None


class ArticleIn(StrictIn):
    title: str = Field(min_length=1, max_length=250)
    body: str = Field(min_length=1)
    section_id: int
    visibility: Visibility = Visibility.INTERNAL
    client: str | None = Field(None, description="Код клиента; пусто — общая статья")
    services: list[str] = Field(default_factory=list, description="Коды услуг")
    keywords: str = Field("", max_length=500)
    is_published: bool = True


class ArticleUpdateIn(ArticleIn):
    version: int = Field(ge=0, description="Версия, которую вы прочитали (иначе 409)")


class SearchQuery(Schema):
    q: str = Field(min_length=1, max_length=500)
    client: str | None = None
    service: str | None = None
    limit: int = Field(20, ge=1, le=100)


class SuggestQuery(Schema):
    q: str = Field("", max_length=2000)
    client: str | None = None
    service: str | None = None
    limit: int = Field(5, ge=1, le=20)


class UsageIn(StrictIn):
    ticket: str = Field(min_length=1, description="Номер обращения")
    article: int
    mode: UsageMode


class UsageOut(Schema):
    ticket: str
    article: int
    mode: str
    created_at: datetime


class MacroOut(Schema):
    id: int
    name: str
    body: str
    scope: str
    role: str
    is_public: bool
    set_status: str
    set_service: Ref | None


class MacroApplyIn(StrictIn):
    """The body may be `{}`; with `version`, a ticket changed since you read it answers 409."""

    version: int | None = Field(None, description="Версия обращения, которую вы видите")


class MacroApplyOut(Schema):
    ticket: TicketOut
    comment: CommentOut


def _ref(obj: Any) -> dict[str, str] | None:
    return {"code": obj.code, "name": obj.name} if obj is not None else None


def _public_url(article: Article) -> str | None:
    if article.visibility != Visibility.PUBLIC or not article.is_published:
        return None
    return reverse("knowledge:public", args=[article.slug])


def _hit(hit: selectors.Hit) -> dict[str, Any]:
    article = hit.article
    return {
        "id": article.pk,
        "title": article.title,
        "title_html": str(hit.title_html),
        "snippet_html": str(hit.snippet_html),
        "score": round(hit.score, 6),
        "section": article.section.name,
        "client": _ref(article.client),
        "visibility": article.visibility,
        "url": reverse("knowledge:detail", args=[article.pk]),
        "public_url": _public_url(article),
    }


def _article(article: Article) -> dict[str, Any]:
    return {
        "id": article.pk,
        "title": article.title,
        "slug": article.slug,
        "section": article.section.name,
        "client": _ref(article.client),
        "visibility": article.visibility,
        "services": [_ref(s) for s in article.services.all()],
        "keywords": article.keywords,
        "is_published": article.is_published,
        "body": article.body,
        "html": str(render_markdown(article.body)),
        "text": article.body_text,
        "version": article.version,
        "updated_at": article.updated_at,
        "updated_by": str(article.updated_by) if article.updated_by else "Система",
        "files": [
            {
                "id": f.pk,
                "filename": f.filename,
                "size": f.size,
                "content_type": f.content_type,
                "url": reverse("knowledge:file", args=[f.pk]),
            }
            for f in article.attachments.all()
        ],
        "url": reverse("knowledge:detail", args=[article.pk]),
        "public_url": _public_url(article),
    }


def _macro(macro: Macro) -> dict[str, Any]:
    return {
        "id": macro.pk,
        "name": macro.name,
        "body": macro.body,
        "scope": macro.scope_label,
        "role": macro.role,
        "is_public": macro.is_public,
        "set_status": macro.set_status,
        "set_service": _ref(macro.set_service),
    }


def _data(payload: ArticleIn) -> services.ArticleData:
    return services.ArticleData(
        title=payload.title,
        body=payload.body,
        section_id=payload.section_id,
        visibility=payload.visibility.value,
        client=payload.client or None,
        services=tuple(payload.services),
        keywords=payload.keywords,
        is_published=payload.is_published,
    )


@router.get("/kb/search", response={200: list[HitOut], **ERRORS}, summary="Поиск статей")
def search(request: HttpRequest, query: Query[SearchQuery]) -> Any:
    hits = selectors.search_articles(
        current_user(request),
        query.q,
        client=query.client,
        service=query.service,
        limit=query.limit,
    )
    return [_hit(hit) for hit in hits]


@router.get("/kb/suggest", response={200: list[HitOut], **ERRORS}, summary="Подсказки к обращению")
def suggest(request: HttpRequest, query: Query[SuggestQuery]) -> Any:
    hits = selectors.suggest_articles(
        current_user(request), query.client, query.service, query.q, limit=query.limit
    )
    return [_hit(hit) for hit in hits]


@router.get("/kb/articles/{article_id}", response={200: ArticleOut, **ERRORS}, summary="Статья")
def get_article(request: HttpRequest, article_id: int) -> Any:
    return _article(selectors.access_article(current_user(request), article_id))


@router.post("/kb/articles", response={201: ArticleOut, **ERRORS}, summary="Написать статью")
def create_article(request: HttpRequest, payload: ArticleIn) -> Any:
    actor = current_user(request)
    article = services.article_create(actor=actor, data=_data(payload))
    return Status(201, _article(selectors.access_article(actor, article.pk)))


@router.put(
    "/kb/articles/{article_id}", response={200: ArticleOut, **ERRORS}, summary="Новая версия"
)
def update_article(request: HttpRequest, article_id: int, payload: ArticleUpdateIn) -> Any:
    actor = current_user(request)
    article = services.article_update(
        actor=actor, article_id=article_id, data=_data(payload), expected_version=payload.version
    )
    return _article(selectors.access_article(actor, article.pk))


@router.post("/kb/usage", response={201: UsageOut, **ERRORS}, summary="Статья использована")
def record_usage(request: HttpRequest, payload: UsageIn) -> Any:
    event = services.kb_record_usage(
        ticket=payload.ticket,
        article=payload.article,
        actor=current_user(request),
        mode=payload.mode.value,
    )
    return Status(
        201,
        {
            "ticket": event.ticket.display_number,
            "article": payload.article,
            "mode": payload.mode.value,
            "created_at": event.created_at,
        },
    )


@router.get("/macros", response={200: list[MacroOut], **ERRORS}, summary="Шаблоны ответов")
def list_macros(request: HttpRequest) -> Any:
    return [_macro(macro) for macro in selectors.visible_macros(current_user(request))]


@router.post(
    "/tickets/{number}/macros/{macro_id}/apply",
    response={200: MacroApplyOut, **ERRORS},
    summary="Применить шаблон ответа",
    tags=["Обращения"],
)
def apply_macro(request: HttpRequest, number: str, macro_id: int, payload: MacroApplyIn) -> Any:
    actor = current_user(request)
    result = services.macro_apply(
        actor=actor,
        ticket_number=number,
        macro_id=macro_id,
        expected_version=payload.version,
        channel=Channel.API,
    )
    return {
        "ticket": present.ticket_card(actor, result.ticket.number),
        "comment": present.comment_out(result.comment, include_internal_files=True),
    }

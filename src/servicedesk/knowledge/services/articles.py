"""Writing articles: every save is a new immutable version and a fresh search entry."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import IO

from django.core.files.base import File
from django.db import transaction

from servicedesk.accounts.models import Client, User
from servicedesk.catalog.models import Service
from servicedesk.core import clock
from servicedesk.core.errors import Forbidden, NotFound, StaleVersion, ValidationFailed
from servicedesk.core.options import desk_options
from servicedesk.knowledge import search
from servicedesk.knowledge.domain.highlight import strip_markers
from servicedesk.knowledge.domain.slugs import slugify_ru
from servicedesk.knowledge.models import (
    Article,
    ArticleAttachment,
    ArticleVersion,
    Section,
    Visibility,
)
from servicedesk.knowledge.rendering import plain_text

TITLE_MAX = 250
BODY_MAX = 200_000
KEYWORDS_MAX = 500
FILENAME_MAX = 255


@dataclass(frozen=True)
class ArticleData:
    """What an author fills in; codes and ids as a form or the API sends them."""

    title: str
    body: str
    section_id: int
    visibility: str = Visibility.INTERNAL
    client: str | None = None  # client code; None = common to all clients
    services: tuple[str, ...] = field(default_factory=tuple)  # catalogue codes
    keywords: str = ""
    is_published: bool = True


def require_author(actor: User | None) -> None:
    """Only support staff write the knowledge base (None: system loaders)."""
    if actor is not None and not actor.is_support_staff:
        raise Forbidden("Статьи базы знаний пишут сотрудники поддержки")


def _text(value: str, *, field: str, label: str, maximum: int, required: bool) -> str:
    text = strip_markers(value).strip()
    if required and not text:
        raise ValidationFailed(f"Заполните поле «{label}»", field=field)
    if len(text) > maximum:
        raise ValidationFailed(f"Поле «{label}» длиннее {maximum} символов", field=field)
    return text


@dataclass(frozen=True)
class _Clean:
    title: str
    body: str
    keywords: str
    section: Section
    client: Client | None
    visibility: str
    services: list[Service]
    is_published: bool


def _clean(data: ArticleData) -> _Clean:
    title = _text(data.title, field="title", label="Заголовок", maximum=TITLE_MAX, required=True)
    body = _text(data.body, field="body", label="Текст", maximum=BODY_MAX, required=True)
    keywords = _text(
        data.keywords,
        field="keywords",
        label="Ключевые слова",
        maximum=KEYWORDS_MAX,
        required=False,
    )
    section = Section.objects.filter(pk=data.section_id).first()
    if section is None:
        raise ValidationFailed("Раздел не найден", field="section")
    if data.visibility not in Visibility.values:
        raise ValidationFailed(
            f"Видимость: одно из {', '.join(Visibility.values)}", field="visibility"
        )
    client = None
    if data.client:
        client = Client.objects.filter(code=data.client).first()
        if client is None:
            raise ValidationFailed(f"Клиент «{data.client}» не найден", field="client")
    codes = list(dict.fromkeys(data.services))
    services = list(Service.objects.filter(code__in=codes))
    missing = sorted(set(codes) - {service.code for service in services})
    if missing:
        raise ValidationFailed(
            f"Услуги не найдены в каталоге: {', '.join(missing)}", field="services"
        )
    return _Clean(
        title, body, keywords, section, client, data.visibility, services, data.is_published
    )


def _unique_slug(title: str, article_id: int | None) -> str:
    base = slugify_ru(title) or "statya"
    slug, n = base, 1
    taken = Article.objects.exclude(pk=article_id) if article_id else Article.objects.all()
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base[:90]}-{n}"
    return slug


def _store(article: Article, clean: _Clean, actor: User | None) -> Article:
    """Write the fields, a new version and the search entry of `article`."""
    now = clock.now()
    article.title = clean.title
    article.body = clean.body
    article.body_text = strip_markers(plain_text(clean.body))
    article.keywords = clean.keywords
    article.section = clean.section
    article.client = clean.client
    article.visibility = clean.visibility
    article.is_published = clean.is_published
    article.version += 1
    article.updated_at = now
    article.updated_by = actor
    if article.pk is None:
        article.created_at = now
        article.slug = _unique_slug(clean.title, None)
    article.save()
    article.services.set(clean.services)
    ArticleVersion.objects.create(
        article=article,
        number=article.version,
        title=article.title,
        body=article.body,
        keywords=article.keywords,
        section_name=clean.section.name,
        client_code=clean.client.code if clean.client else "",
        visibility=article.visibility,
        services=sorted(service.code for service in clean.services),
        is_published=article.is_published,
        author=actor,
        author_label=str(actor) if actor is not None else "Система",
        created_at=now,
    )
    search.index_articles([article.pk])
    return article


@transaction.atomic
def article_create(*, actor: User | None, data: ArticleData) -> Article:
    """Write a new article (version 1) and index it."""
    require_author(actor)
    return _store(Article(), _clean(data), actor)


@transaction.atomic
def article_update(
    *, actor: User | None, article_id: int, data: ArticleData, expected_version: int | None = None
) -> Article:
    """Save a new version of an article; a stale `expected_version` is refused (409)."""
    require_author(actor)
    article = Article.objects.select_for_update().filter(pk=article_id).first()
    if article is None:
        raise NotFound("Статья не найдена")
    if expected_version is not None and expected_version != article.version:
        raise StaleVersion(
            "Статью уже изменил кто-то другой: откройте её заново и повторите.",
            field="version",
            current_version=article.version,
        )
    return _store(article, _clean(data), actor)


def _upload_name(filename: str, size: int) -> str:
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name:
        raise ValidationFailed("У файла нет имени", field="file")
    if len(name) > FILENAME_MAX:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[: FILENAME_MAX - len(suffix) - 1] + dot + suffix) if dot else name[:255]
    limit = desk_options().attachment_max_bytes
    if size > limit:
        raise ValidationFailed(
            f"Файл «{name}» больше допустимых {limit // (1024 * 1024)} МБ", field="file"
        )
    if size == 0:
        raise ValidationFailed(f"Файл «{name}» пустой", field="file")
    return name


@transaction.atomic
def article_attach(
    *,
    actor: User,
    article_id: int,
    content: IO[bytes],
    filename: str,
    content_type: str,
    size: int,
) -> ArticleAttachment:
    """Keep a file with an article, outside the web root (served through a permission check)."""
    require_author(actor)
    name = _upload_name(filename, size)
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        raise NotFound("Статья не найдена")
    digest = hashlib.sha256()
    for chunk in iter(lambda: content.read(1024 * 1024), b""):
        digest.update(chunk)
    content.seek(0)
    attachment = ArticleAttachment(
        article=article,
        filename=name,
        content_type=(content_type or "application/octet-stream")[:150],
        size=size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
        created_at=clock.now(),
    )
    attachment.file.save(name, File(content), save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment

"""Knowledge base articles with their versions and files, and reply templates (macros)."""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q

from servicedesk.accounts.roles import Role


class Visibility(models.TextChoices):
    """Who may read an article."""

    INTERNAL = "internal", "Сотрудники поддержки"
    CLIENT = "client", "Пользователи клиента"
    PUBLIC = "public", "Все (публичная)"


class Section(models.Model):
    """A heading of the knowledge base (programme rules, cards, tills …)."""

    name = models.CharField("название", max_length=150, unique=True)
    description = models.TextField("описание", blank=True)
    order = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        verbose_name = "раздел"
        verbose_name_plural = "разделы"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    """An answer the first line gives again and again, written once in Markdown.

    An article belongs to one client or (client empty) to all; `visibility` says who
    reads it. The fields hold the current text; every save also writes an immutable
    ArticleVersion. `body_text` is the rendered text without markup, which search
    indexes and highlights; the knowledge services keep it and the search index current.
    """

    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="articles", verbose_name="раздел"
    )
    title = models.CharField("заголовок", max_length=250)
    slug = models.SlugField("адрес", max_length=100, unique=True)
    body = models.TextField("текст (Markdown)")
    body_text = models.TextField("текст без разметки", blank=True, editable=False)
    keywords = models.CharField(
        "ключевые слова",
        max_length=500,
        blank=True,
        help_text="Слова, которыми об этом спрашивают, если их нет в тексте.",
    )
    client = models.ForeignKey(
        "accounts.Client",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kb_articles",
        verbose_name="клиент",
        help_text="Пусто — статья общая для всех клиентов.",
    )
    visibility = models.CharField(
        "видимость", max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    services = models.ManyToManyField(
        "catalog.Service", blank=True, related_name="kb_articles", verbose_name="услуги"
    )
    is_published = models.BooleanField(
        "опубликована", default=True, help_text="Черновики видят только сотрудники."
    )
    version = models.PositiveIntegerField("версия", default=0, editable=False)
    created_at = models.DateTimeField("создана", editable=False)
    updated_at = models.DateTimeField("изменена", editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="изменил",
        editable=False,
    )
    # PostgreSQL only (russian configuration, GIN index); SQLite uses an FTS5 table.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = "статья"
        verbose_name_plural = "статьи"
        ordering = ["section__order", "title"]
        indexes = [
            models.Index(fields=["visibility", "client"], name="kb_article_audience_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class ArticleVersion(models.Model):
    """One saved state of an article, never changed afterwards: who saved what, when."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("версия")
    title = models.CharField("заголовок", max_length=250)
    body = models.TextField("текст (Markdown)")
    keywords = models.CharField("ключевые слова", max_length=500, blank=True)
    section_name = models.CharField("раздел", max_length=150)
    client_code = models.CharField("клиент", max_length=40, blank=True)
    visibility = models.CharField("видимость", max_length=10, choices=Visibility.choices)
    services = models.JSONField("услуги", default=list)
    is_published = models.BooleanField("опубликована")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    author_label = models.CharField("автор", max_length=200)
    created_at = models.DateTimeField("сохранена")

    class Meta:
        verbose_name = "версия статьи"
        verbose_name_plural = "версии статей"
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="kb_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableVersionError("Версия статьи не изменяется")
        super().save(*args, **kwargs)


class ImmutableVersionError(RuntimeError):
    """Raised on any attempt to change a saved article version."""


def article_file_path(instance: ArticleAttachment, filename: str) -> str:
    # A random name on disk: user file names never become paths.
    suffix = PurePath(filename).suffix[:16]
    return f"knowledge/{instance.created_at:%Y/%m}/{uuid.uuid4().hex}{suffix}"


class ArticleAttachment(models.Model):
    """A file of an article (a form, an instruction), outside the web root.

    It is served only to those who may read the article.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=article_file_path, max_length=300)
    filename = models.CharField("имя файла", max_length=255)
    content_type = models.CharField("тип", max_length=150)
    size = models.PositiveBigIntegerField("размер, байт")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField("загружен")

    class Meta:
        verbose_name = "файл статьи"
        verbose_name_plural = "файлы статей"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.filename


class UsageMode(models.TextChoices):
    LINK = "link", "Ссылка"
    TEXT = "text", "Текст"


class ArticleUsage(models.Model):
    """An article an agent put into a reply on a ticket (also an event in its history)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="usages")
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    mode = models.CharField("как", max_length=10, choices=UsageMode.choices)
    created_at = models.DateTimeField("когда")

    class Meta:
        verbose_name = "использование статьи"
        verbose_name_plural = "использования статей"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["article", "created_at"], name="kb_usage_article_idx")]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.ticket_id} ({self.mode})"


class Macro(models.Model):
    """A saved reply with placeholders that may also set a status and a service.

    Personal when it has an owner; otherwise for the holders of `role`, or for every
    staff member when the role is empty.
    """

    name = models.CharField("название", max_length=150)
    body = models.TextField(
        "текст",
        help_text=(
            "Подстановки: {{ requester_name }}, {{ ticket_number }}, {{ reaction_due }}, "
            "{{ resolution_due }}, {{ client }}, {{ service }}, {{ agent_name }}."
        ),
    )
    is_public = models.BooleanField(
        "ответ заявителю", default=True, help_text="Иначе — внутренняя заметка."
    )
    set_status = models.CharField(
        "сменить статус",
        max_length=40,
        blank=True,
        help_text="Код статуса или категории (resolved, pending_requester …); пусто — не менять.",
    )
    set_service = models.ForeignKey(
        "catalog.Service",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="сменить услугу",
    )
    role = models.CharField(
        "для роли",
        max_length=30,
        blank=True,
        choices=[(role.value, role.label) for role in Role],
        help_text="Пусто — для всех сотрудников (если шаблон не личный).",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="kb_macros",
        verbose_name="личный шаблон сотрудника",
    )
    is_active = models.BooleanField("действует", default=True)
    order = models.PositiveSmallIntegerField("порядок", default=0)
    created_at = models.DateTimeField("создан", auto_now_add=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    class Meta:
        verbose_name = "шаблон ответа"
        verbose_name_plural = "шаблоны ответов"
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=True) | Q(role=""), name="kb_macro_personal_or_role"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_label(self) -> str:
        if self.owner_id is not None:
            return "личный"
        return Role(self.role).label if self.role else "для всех"

"""Tickets, their statuses, comments, attachments and the immutable event timeline."""

from __future__ import annotations

import secrets
import uuid
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import models

from servicedesk.accounts.models import SupportLine
from servicedesk.core.options import desk_options
from servicedesk.tickets.domain.statuses import StatusCategory


class Channel(models.TextChoices):
    PHONE = "phone", "Телефон"
    EMAIL = "email", "E-mail"
    PORTAL = "portal", "Портал"
    API = "api", "API"


class TicketStatus(models.Model):
    """A named status the head may add or rename; logic keys on its fixed category."""

    code = models.SlugField("код", max_length=40, unique=True)
    name = models.CharField("название", max_length=100)
    category = models.CharField(
        "категория", max_length=30, choices=[(c.value, c.label) for c in StatusCategory]
    )
    is_default = models.BooleanField(
        "по умолчанию для категории",
        default=False,
        help_text="Этот статус ставится, когда действие указывает только категорию.",
    )
    order = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        verbose_name = "статус"
        verbose_name_plural = "статусы"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def status_category(self) -> StatusCategory:
        return StatusCategory(self.category)


def _new_public_token() -> str:
    return secrets.token_urlsafe(24)


class Ticket(models.Model):
    """One request to the support group, from any channel, with its SLA and routing state.

    `status_category` repeats the status's category so queues and SLA sweeps filter on
    an indexed column; the ticket services are the only writers of both.
    """

    number = models.PositiveBigIntegerField("номер", unique=True, editable=False)
    subject = models.CharField("тема", max_length=300)
    description = models.TextField("описание", blank=True)
    # No index of their own for client, service and assignee: the composite indexes in
    # Meta lead with them, and every extra index is written on each of a million inserts.
    client = models.ForeignKey(
        "accounts.Client",
        on_delete=models.PROTECT,
        related_name="tickets",
        verbose_name="клиент",
        db_index=False,
    )
    outlet = models.ForeignKey(
        "accounts.Outlet",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name="торговая точка",
    )
    requester = models.ForeignKey(
        "accounts.Contact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name="заявитель",
    )
    requester_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requested_tickets",
        verbose_name="заявитель (пользователь портала)",
    )
    channel = models.CharField("канал", max_length=10, choices=Channel.choices)
    service = models.ForeignKey(
        "catalog.Service",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name="услуга",
        db_index=False,
    )
    line = models.CharField("линия", max_length=2, choices=SupportLine.choices)
    line_not_in_contract = models.BooleanField(
        "линия не куплена клиентом",
        default=False,
        help_text="Обращение принято и зарегистрировано, но линия не входит в договор.",
    )
    sla_level = models.ForeignKey(
        "catalog.SlaLevel",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name="уровень SLA",
    )
    priority_raised = models.BooleanField("приоритет повышен", default=False)
    # The classifier's top suggestions for a request that came without a service, as
    # [{"service": code, "probability": p}, ...]; shown to the first line, kept for labels.
    suggested_services = models.JSONField(
        "подсказки классификатора", default=list, blank=True, editable=False
    )
    status = models.ForeignKey(
        TicketStatus, on_delete=models.PROTECT, related_name="tickets", verbose_name="статус"
    )
    status_category = models.CharField(
        "категория статуса",
        max_length=30,
        choices=[(c.value, c.label) for c in StatusCategory],
        editable=False,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        verbose_name="исполнитель",
        db_index=False,
    )
    role_queue = models.CharField("очередь роли", max_length=30, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="created_tickets",
        verbose_name="зарегистрировал",
    )
    created_at = models.DateTimeField("создано", db_index=True)
    updated_at = models.DateTimeField("изменено")
    first_reaction_at = models.DateTimeField("первая реакция", null=True, blank=True)
    resolved_at = models.DateTimeField("решено", null=True, blank=True)
    closed_at = models.DateTimeField("закрыто", null=True, blank=True)
    version = models.PositiveIntegerField("версия", default=1)
    public_token = models.CharField(max_length=40, unique=True, default=_new_public_token)

    class Meta:
        verbose_name = "обращение"
        verbose_name_plural = "обращения"
        ordering = ["-number"]
        indexes = [
            models.Index(fields=["status_category", "-number"], name="ticket_category_idx"),
            models.Index(fields=["client", "-number"], name="ticket_client_idx"),
            models.Index(fields=["assignee", "status_category"], name="ticket_assignee_idx"),
            models.Index(fields=["role_queue", "status_category"], name="ticket_queue_idx"),
            models.Index(fields=["service", "-number"], name="ticket_service_idx"),
            # A page's keys for the usual filters from the index alone (PostgreSQL only):
            # "new,open" cannot walk ticket_category_idx in number order across two values.
            models.Index(
                fields=["-number"],
                include=["status_category", "client", "service", "assignee"],
                name="ticket_number_cover_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_number} {self.subject}"

    @property
    def display_number(self) -> str:
        return format_ticket_number(self.number)


def format_ticket_number(number: int) -> str:
    """Return the human form of a ticket number, e.g. `SD-000123`."""
    return f"{desk_options().ticket_number_prefix}-{number:06d}"


class TicketNumberCounter(models.Model):
    """The next ticket number on SQLite; PostgreSQL uses a sequence instead."""

    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.value)


class Comment(models.Model):
    """A public reply or an internal note on a ticket."""

    # indexed by comment_ticket_idx (ticket, created_at)
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="comments", db_index=False
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ticket_comments",
    )
    author_contact = models.ForeignKey(
        "accounts.Contact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ticket_comments",
    )
    body = models.TextField("текст")
    is_public = models.BooleanField("виден заявителю", default=True)
    channel = models.CharField("канал", max_length=10, choices=Channel.choices)
    created_at = models.DateTimeField("создан")

    class Meta:
        verbose_name = "комментарий"
        verbose_name_plural = "комментарии"
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="comment_ticket_idx")]

    def __str__(self) -> str:
        return f"{'Ответ' if self.is_public else 'Заметка'} к {self.ticket_id}"

    @property
    def author_label(self) -> str:
        if self.author is not None:
            return str(self.author)
        if self.author_contact is not None:
            return str(self.author_contact)
        return "Система"


def attachment_path(instance: Attachment, filename: str) -> str:
    # A random name on disk: user file names never become paths.
    suffix = PurePath(filename).suffix[:16]
    return f"attachments/{instance.created_at:%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """A file attached to a ticket (optionally to one comment), kept outside the web root."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    comment = models.ForeignKey(
        Comment, on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=300)
    filename = models.CharField("имя файла", max_length=255)
    content_type = models.CharField("тип", max_length=150)
    size = models.PositiveBigIntegerField("размер, байт")
    sha256 = models.CharField(max_length=64)
    is_public = models.BooleanField("виден заявителю", default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("загружен")

    class Meta:
        verbose_name = "вложение"
        verbose_name_plural = "вложения"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.filename


class ImmutableEventError(RuntimeError):
    """Raised on any attempt to change or delete a history event."""


class TicketEvent(models.Model):
    """One immutable entry of a ticket's history: who did what, when, old → new.

    The table is both the audit log and the timeline the ticket page shows.
    """

    # indexed by event_ticket_idx (ticket, created_at)
    ticket = models.ForeignKey(
        Ticket, on_delete=models.PROTECT, related_name="events", db_index=False
    )
    type = models.CharField("событие", max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField("кто", max_length=200)
    created_at = models.DateTimeField("когда")
    data = models.JSONField("что", default=dict)
    comment = models.ForeignKey(
        Comment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "событие"
        verbose_name_plural = "история"
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="event_ticket_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%d.%m.%Y %H:%M} {self.type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableEventError("История обращения не изменяется")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableEventError("История обращения не удаляется")

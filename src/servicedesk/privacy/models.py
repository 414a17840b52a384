"""What the desk records about its handling of personal data (152-FZ)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class ImmutableRecordError(RuntimeError):
    """Raised on any attempt to change or delete an append-only record."""


class AppendOnly(models.Model):
    """A row that is written once; PostgreSQL also refuses UPDATE/DELETE by trigger."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ImmutableRecordError("Журнал не изменяется")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableRecordError("Журнал не удаляется")


class DataField(models.TextChoices):
    PHONE = "phone", "Телефон"
    CARD = "card", "Номер карты"
    EMAIL = "email", "E-mail"


class AccessPurpose(models.TextChoices):
    CONTACT_CARD = "contact_card", "Карточка контакта"
    LOOKUP = "lookup", "Поиск звонящего"
    ADMIN = "admin", "Администрирование"
    EXPORT = "export", "Выгрузка по запросу субъекта"
    CALL = "call", "Карточка входящего звонка и перезвон"


class PersonalDataAccess(AppendOnly):
    """One showing of a full (unmasked) value of a contact's data: who, when, whose, which.

    Append-only: the log answers "who looked at this guest's phone" years later. It holds
    no personal data itself (the contact by id, never the value), so it survives the
    contact's anonymisation.
    """

    at = models.DateTimeField("когда", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="кто",
    )
    actor_label = models.CharField("кто (подпись)", max_length=200)
    contact = models.ForeignKey(
        "accounts.Contact",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name="контакт",
    )
    field = models.CharField("поле", max_length=10, choices=DataField.choices)
    purpose = models.CharField("где", max_length=20, choices=AccessPurpose.choices)
    request_id = models.CharField("id запроса", max_length=128, blank=True)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)

    class Meta:
        verbose_name = "просмотр персональных данных"
        verbose_name_plural = "журнал просмотров персональных данных"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["contact", "at"], name="pd_access_contact_idx")]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.actor_label}: {self.get_field_display()}"


class AnonymisationRun(AppendOnly):
    """One run of the retention job: when, by whom, the cut-off and what it changed."""

    started_at = models.DateTimeField("начало")
    finished_at = models.DateTimeField("конец")
    actor_label = models.CharField("кто запустил", max_length=200)
    months = models.PositiveIntegerField("срок хранения, мес.")
    cutoff = models.DateTimeField("закрыты до")
    tickets = models.PositiveIntegerField("обращений", default=0)
    comments = models.PositiveIntegerField("комментариев", default=0)
    events = models.PositiveIntegerField("событий", default=0)
    attachments = models.PositiveIntegerField("удалено файлов", default=0)
    contacts = models.PositiveIntegerField("контактов", default=0)

    class Meta:
        verbose_name = "обезличивание"
        verbose_name_plural = "журнал обезличивания"
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.started_at:%d.%m.%Y %H:%M}: {self.tickets} обращ., {self.contacts} конт."


class AnonymisedTicket(models.Model):
    """Marks a ticket whose guest data was anonymised, so a run never repeats the work."""

    ticket = models.OneToOneField(
        "tickets.Ticket", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    at = models.DateTimeField("обезличено")

    class Meta:
        verbose_name = "обезличенное обращение"
        verbose_name_plural = "обезличенные обращения"

    def __str__(self) -> str:
        return f"{self.ticket_id} @ {self.at:%d.%m.%Y}"

"""Routing rules and work schedules, stored as data the head edits in the admin."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from servicedesk.accounts.models import SupportLine
from servicedesk.accounts.roles import ROLE_LABELS
from servicedesk.routing.domain.rules import WORKING_TIME_LABELS, WorkingTime


def valid_hours(start: int, end: int) -> bool:
    return 0 <= start <= 23 and 1 <= end <= 24 and start != end


ROLE_CHOICES = [(role.value, label) for role, label in ROLE_LABELS.items()]


class RoutingRule(models.Model):
    """One row of the routing table; rows are read in `position` order."""

    position = models.PositiveIntegerField("порядок", default=100, db_index=True)
    name = models.CharField("название", max_length=200)
    is_active = models.BooleanField("действует", default=True)
    # conditions: an empty condition matches any request
    services = models.ManyToManyField(
        "catalog.Service", blank=True, related_name="+", verbose_name="услуги"
    )
    without_service = models.BooleanField(
        "только без услуги",
        default=False,
        help_text="Обращение пришло без услуги (не классифицировано).",
    )
    clients = models.ManyToManyField(
        "accounts.Client", blank=True, related_name="+", verbose_name="клиенты"
    )
    outlets = models.ManyToManyField(
        "accounts.Outlet", blank=True, related_name="+", verbose_name="торговые точки"
    )
    channels = models.JSONField("каналы", default=list, blank=True)
    lines = models.JSONField("линии", default=list, blank=True)
    words = models.TextField(
        "слова в теме или тексте",
        blank=True,
        help_text="По одному на строке; достаточно любого. Часть слова тоже подходит: «выгруз».",
    )
    working_time = models.CharField(
        "время",
        max_length=10,
        choices=[(w.value, WORKING_TIME_LABELS[w]) for w in WorkingTime],
        default=WorkingTime.ANY,
        help_text="Рабочее время — по календарю SLA клиента.",
    )
    hours_from = models.PositiveSmallIntegerField("с часа (МСК)", null=True, blank=True)
    hours_to = models.PositiveSmallIntegerField("до часа (МСК)", null=True, blank=True)
    # actions: an empty action leaves the field to the rules below
    set_line = models.CharField(
        "назначить линию", max_length=2, choices=SupportLine.choices, blank=True
    )
    set_role = models.CharField("очередь роли", max_length=30, choices=ROLE_CHOICES, blank=True)
    set_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"client__isnull": True, "is_active": True},
        verbose_name="исполнитель",
    )
    set_sla_level = models.ForeignKey(
        "catalog.SlaLevel",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="уровень SLA",
    )
    stop = models.BooleanField(
        "остановить", default=False, help_text="Правила ниже этого не применяются."
    )
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        verbose_name = "правило маршрутизации"
        verbose_name_plural = "правила маршрутизации"
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"

    def clean(self) -> None:
        if (self.hours_from is None) != (self.hours_to is None):
            raise ValidationError("Укажите оба часа — «с» и «до» — или ни одного")
        start, end = self.hours_from, self.hours_to
        if start is not None and end is not None and not valid_hours(start, end):
            raise ValidationError("Часы: «с» от 0 до 23, «до» от 1 до 24, и они различны")
        acts = (self.set_line, self.set_role, self.set_assignee_id, self.set_sla_level_id)
        if not any(acts) and not self.stop:
            raise ValidationError("Правило ничего не делает: выберите хотя бы одно действие")


class WorkSchedule(models.Model):
    """A person's usual schedule; without a row a person follows the team calendar."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="work_schedule",
        verbose_name="сотрудник",
        limit_choices_to={"client__isnull": True},
    )
    calendar = models.ForeignKey(
        "calendars.Calendar",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="календарь",
        help_text="Пусто — календарь команды (5/2 МСК из настроек SLA).",
    )
    follows_calendar = models.BooleanField(
        "работает по календарю",
        default=True,
        help_text="Снимите, если сотрудник работает только по отдельным сменам (например, 2/2).",
    )
    note = models.CharField("примечание", max_length=200, blank=True)

    class Meta:
        verbose_name = "график"
        verbose_name_plural = "графики"

    def __str__(self) -> str:
        return f"График: {self.user}"


class Shift(models.Model):
    """A shift beyond the usual calendar: weekend duty, evening cover."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="shifts",
        verbose_name="сотрудник",
        limit_choices_to={"client__isnull": True},
    )
    starts_at = models.DateTimeField("начало")
    ends_at = models.DateTimeField("конец")
    note = models.CharField("примечание", max_length=200, blank=True)

    class Meta:
        verbose_name = "смена"
        verbose_name_plural = "смены"
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["ends_at", "starts_at"], name="shift_span_idx")]

    def __str__(self) -> str:
        return f"{self.user}: {self.starts_at:%d.%m.%Y %H:%M}–{self.ends_at:%d.%m.%Y %H:%M}"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError("Смена должна заканчиваться позже, чем начинается")


class AbsenceKind(models.TextChoices):
    VACATION = "vacation", "отпуск"
    SICK = "sick", "больничный"
    OTHER = "other", "другое"


class Absence(models.Model):
    """Days a person is away; nothing is assigned to them automatically on those days."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="absences",
        verbose_name="сотрудник",
        limit_choices_to={"client__isnull": True},
    )
    kind = models.CharField("причина", max_length=10, choices=AbsenceKind.choices)
    starts_on = models.DateField("с")
    ends_on = models.DateField("по (включительно)")
    note = models.CharField("примечание", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="внёс",
    )
    created_at = models.DateTimeField("внесено", auto_now_add=True)

    class Meta:
        verbose_name = "отсутствие"
        verbose_name_plural = "отсутствия"
        ordering = ["-starts_on"]
        indexes = [models.Index(fields=["ends_on", "starts_on"], name="absence_span_idx")]

    def __str__(self) -> str:
        span = f"{self.starts_on:%d.%m.%Y}–{self.ends_on:%d.%m.%Y}"
        return f"{self.user}: {self.get_kind_display()} {span}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError("Отсутствие не может закончиться раньше, чем началось")


class AwaitingShift(models.Model):
    """A ticket routed to a role while nobody of it was on shift: assign it at shift start."""

    ticket = models.OneToOneField(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    role = models.CharField(max_length=30)
    queued_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "ожидает смены"
        verbose_name_plural = "ожидают смены"

    def __str__(self) -> str:
        return f"{self.ticket_id} ждёт смены роли {self.role}"

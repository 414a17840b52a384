"""The service catalogue (classifier + catalogue, SPEC §5) and the SLA levels."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from servicedesk.accounts.models import SupportLine
from servicedesk.catalog.domain import Impact


class SlaLevel(models.Model):
    """A service level: the priority it stands for and its reaction and resolution targets."""

    code = models.CharField("код", max_length=20, unique=True)
    priority = models.CharField("приоритет", max_length=40)
    rank = models.PositiveSmallIntegerField(
        "срочность", help_text="1 — самый срочный. Повышение приоритета уменьшает это число."
    )
    reaction_minutes = models.PositiveIntegerField("реакция, мин")
    resolution_minutes = models.PositiveIntegerField("решение, мин")

    class Meta:
        verbose_name = "уровень SLA"
        verbose_name_plural = "уровни SLA"
        ordering = ["rank"]

    def __str__(self) -> str:
        return f"{self.code} ({self.priority})"


class Service(models.Model):
    """A category of the classifier and, when described, a row of the service catalogue."""

    code = models.SlugField("код", max_length=40, unique=True)
    name = models.CharField("название", max_length=200)
    description = models.TextField("описание", blank=True)
    impact = models.PositiveSmallIntegerField(
        "влияние", choices=[(i.value, i.label) for i in Impact], null=True, blank=True
    )
    escalation = models.BooleanField(
        "эскалация",
        default=False,
        help_text="Участвует в иерархической эскалации и может передаваться на L3/в разработку.",
    )
    raise_priority = models.BooleanField(
        "повышение приоритета", default=False, help_text="Можно перевести на более быстрый SLA."
    )
    sla_level = models.ForeignKey(
        SlaLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="services",
        verbose_name="уровень SLA",
    )
    default_line = models.CharField(
        "линия по умолчанию", max_length=2, choices=SupportLine.choices, default=SupportLine.L2
    )
    responsible = models.CharField("ответственный", max_length=100, default="ТП")
    in_catalogue = models.BooleanField("есть в каталоге", default=True)
    in_classifier = models.BooleanField("есть в классификаторе", default=True)
    is_active = models.BooleanField("активна", default=True)
    order = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        verbose_name = "услуга"
        verbose_name_plural = "услуги"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class CatalogSettings(models.Model):
    """Catalogue-wide options the head edits; exactly one row (pk=1)."""

    default_sla_level = models.ForeignKey(
        SlaLevel,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="уровень SLA по умолчанию",
        help_text="Для услуг без уровня в каталоге (Кассовая интеграция, Студия).",
    )

    class Meta:
        verbose_name = "настройки каталога"
        verbose_name_plural = "настройки каталога"

    def __str__(self) -> str:
        return "Настройки каталога"


class CatalogChange(models.Model):
    """An audit record of a bulk catalogue change (who applied which mapping, when)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_label = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=60)
    changes = models.JSONField(default=list)

    class Meta:
        verbose_name = "изменение каталога"
        verbose_name_plural = "журнал изменений каталога"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%d.%m.%Y %H:%M} {self.action} ({self.actor_label})"

"""SLA clocks (an append-only record plus a derived row), escalation ladders, notifications."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from servicedesk.sla.domain.clock import ClockState, EntryKind
from servicedesk.sla.domain.policy import Target


def default_pauses() -> dict[str, list[str]]:
    return {"acknowledgement": [], "reaction": [], "resolution": ["pending_requester"]}


class SlaSettings(models.Model):
    """SLA options the head edits; exactly one row (pk=1)."""

    default_calendar = models.ForeignKey(
        "calendars.Calendar",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="календарь по умолчанию (5/2)",
    )
    round_the_clock_calendar = models.ForeignKey(
        "calendars.Calendar",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="круглосуточный календарь (1-я линия)",
    )
    pause_categories = models.JSONField(
        "паузы по часам",
        default=default_pauses,
        help_text='Категории статусов, которые ставят часы на паузу: {"resolution": '
        '["pending_requester"], "reaction": [], "acknowledgement": []}.',
    )

    class Meta:
        verbose_name = "настройки SLA"
        verbose_name_plural = "настройки SLA"

    def __str__(self) -> str:
        return "Настройки SLA"


class SlaClock(models.Model):
    """The current figures of one clock of one ticket, derived from its entries.

    Due and next-escalation instants are indexed so that "at risk / breached now" and the
    escalation sweep are single indexed queries, never a scan of open tickets.
    """

    # indexed by sla_clock_unique (ticket, target)
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="sla_clocks", db_index=False
    )
    target = models.CharField("часы", max_length=20, choices=[(t.value, t.label) for t in Target])
    calendar = models.ForeignKey(
        "calendars.Calendar", on_delete=models.PROTECT, related_name="+", verbose_name="календарь"
    )
    state = models.CharField(
        "состояние", max_length=20, choices=[(s.value, s.value) for s in ClockState]
    )
    target_seconds = models.PositiveIntegerField("норматив, с")
    elapsed_seconds = models.PositiveIntegerField("прошло рабочего времени, с", default=0)
    elapsed_at = models.DateTimeField("на момент")
    due_at = models.DateTimeField("срок", null=True, blank=True)
    warn_at = models.DateTimeField("предупреждение", null=True, blank=True)
    breached_at = models.DateTimeField("нарушен", null=True, blank=True)
    stopped_at = models.DateTimeField("остановлен", null=True, blank=True)
    next_escalation_at = models.DateTimeField("следующая эскалация", null=True, blank=True)

    class Meta:
        verbose_name = "часы SLA"
        verbose_name_plural = "часы SLA"
        constraints = [
            models.UniqueConstraint(fields=["ticket", "target"], name="sla_clock_unique")
        ]
        indexes = [
            models.Index(fields=["state", "due_at"], name="sla_clock_due_idx"),
            models.Index(fields=["state", "warn_at"], name="sla_clock_warn_idx"),
            models.Index(fields=["next_escalation_at"], name="sla_clock_escalation_idx"),
            models.Index(fields=["target", "breached_at"], name="sla_clock_breach_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}/{self.target}"


class SlaClockEntry(models.Model):
    """One immutable line of a clock's record (who did what to the clock, when, why)."""

    clock = models.ForeignKey(SlaClock, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=20, choices=[(k.value, k.value) for k in EntryKind])
    at = models.DateTimeField()
    target_seconds = models.PositiveIntegerField(null=True, blank=True)
    calendar_code = models.CharField(max_length=40, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = "запись часов SLA"
        verbose_name_plural = "записи часов SLA"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%d.%m.%Y %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("Записи часов SLA не изменяются")
        super().save(*args, **kwargs)


class Recipient(models.TextChoices):
    ASSIGNEE = "assignee", "исполнитель"
    ROLE = "role", "все с ролью"
    DUTY = "duty", "дежурный по роли (на смене)"
    PERSON = "person", "конкретный сотрудник"


class EscalationLadder(models.Model):
    """The escalation steps for one service, or the default ladder (no service)."""

    service = models.OneToOneField(
        "catalog.Service",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="escalation_ladder",
        verbose_name="услуга",
        help_text="Пусто — лестница по умолчанию для всех услуг.",
    )
    name = models.CharField("название", max_length=100)

    class Meta:
        verbose_name = "лестница эскалации"
        verbose_name_plural = "лестницы эскалации"

    def __str__(self) -> str:
        return self.name


class EscalationStep(models.Model):
    """At `percent` of a clock, notify these people (once per ticket, clock and threshold)."""

    ladder = models.ForeignKey(EscalationLadder, on_delete=models.CASCADE, related_name="steps")
    percent = models.PositiveSmallIntegerField("порог, % срока")
    recipient = models.CharField("кому", max_length=10, choices=Recipient.choices)
    role = models.CharField("роль", max_length=30, blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="сотрудник",
    )
    only_if_escalation = models.BooleanField("только для услуг с эскалацией", default=False)
    send_email = models.BooleanField("также e-mail", default=True)

    class Meta:
        verbose_name = "шаг эскалации"
        verbose_name_plural = "шаги эскалации"
        ordering = ["percent", "pk"]

    def __str__(self) -> str:
        return f"{self.percent}% → {self.get_recipient_display()}"


class EscalationFired(models.Model):
    """That a threshold of a clock was reached and its notifications were created.

    The unique constraint is what makes each notification happen exactly once, even when
    two workers sweep at the same moment.
    """

    clock = models.ForeignKey(SlaClock, on_delete=models.CASCADE, related_name="fired")
    percent = models.PositiveSmallIntegerField()
    fired_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clock", "percent"], name="escalation_once")]

    def __str__(self) -> str:
        return f"{self.clock_id}@{self.percent}%"


class Notification(models.Model):
    """An in-app message to one staff member (SLA warnings, escalations, reminders)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "уведомление"
        verbose_name_plural = "уведомления"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.title

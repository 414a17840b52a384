"""Problems (known errors), mass incidents and hand-offs of tickets to development."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from servicedesk.problems.domain.statuses import ProblemStatus

PROBLEM_PREFIX = "PRB"


class Problem(models.Model):
    """A known or suspected cause behind one or more incidents (ITIL problem, SPEC §9).

    The service manager owns it; linked incidents show its workaround to whoever works
    them, so the same analysis is not repeated ticket by ticket.
    """

    title = models.CharField("название", max_length=300)
    description = models.TextField("описание", blank=True)
    cause = models.TextField("причина", blank=True)
    workaround = models.TextField(
        "обходное решение",
        blank=True,
        help_text="Показывается всем, кто работает со связанными обращениями.",
    )
    status = models.CharField(
        "статус",
        max_length=20,
        choices=[(s.value, s.label) for s in ProblemStatus],
        default=ProblemStatus.OPEN.value,
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_problems",
        verbose_name="ответственный",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="создал",
    )
    created_at = models.DateTimeField("создана")
    updated_at = models.DateTimeField("изменена")
    resolved_at = models.DateTimeField("устранена", null=True, blank=True)
    closed_at = models.DateTimeField("закрыта", null=True, blank=True)

    class Meta:
        verbose_name = "проблема"
        verbose_name_plural = "проблемы"
        ordering = ["-pk"]
        indexes = [models.Index(fields=["status", "-updated_at"], name="problem_status_idx")]

    def __str__(self) -> str:
        return f"{self.display_number} {self.title}"

    @property
    def display_number(self) -> str:
        return format_problem_number(self.pk or 0)

    @property
    def status_label(self) -> str:
        return ProblemStatus(self.status).label


def format_problem_number(pk: int) -> str:
    return f"{PROBLEM_PREFIX}-{pk:05d}"


class ProblemLink(models.Model):
    """One incident attributed to a problem; a ticket belongs to at most one problem."""

    problem = models.ForeignKey(
        Problem, on_delete=models.PROTECT, related_name="links", verbose_name="проблема"
    )
    ticket = models.OneToOneField(
        "tickets.Ticket",
        on_delete=models.PROTECT,
        related_name="problem_link",
        verbose_name="обращение",
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    linked_at = models.DateTimeField("связано")

    class Meta:
        verbose_name = "связанное обращение"
        verbose_name_plural = "связанные обращения"
        ordering = ["linked_at", "pk"]

    def __str__(self) -> str:
        return f"{self.problem.display_number} ← {self.ticket_id}"


class MassIncident(models.Model):
    """A parent ticket whose resolution resolves its child tickets (one cause, many reports).

    `message` is the public reply each child's requester receives when the parent is
    resolved; empty means the default text naming the parent's number.
    """

    parent = models.OneToOneField(
        "tickets.Ticket",
        on_delete=models.PROTECT,
        related_name="mass_incident",
        verbose_name="основное обращение",
    )
    message = models.TextField(
        "сообщение заявителям",
        blank=True,
        help_text="Пусто — стандартный текст с номером основного обращения.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("создан")
    updated_at = models.DateTimeField("изменён")

    class Meta:
        verbose_name = "массовый инцидент"
        verbose_name_plural = "массовые инциденты"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Массовый инцидент {self.parent_id}"


class MassIncidentChild(models.Model):
    """A child ticket of a mass incident; detached links stay as history."""

    mass_incident = models.ForeignKey(
        MassIncident, on_delete=models.CASCADE, related_name="links", verbose_name="инцидент"
    )
    child = models.ForeignKey(
        "tickets.Ticket",
        on_delete=models.PROTECT,
        related_name="mass_links",
        verbose_name="дочернее обращение",
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    linked_at = models.DateTimeField("связано")
    resolved_with_parent_at = models.DateTimeField(
        "решено вместе с основным", null=True, blank=True
    )
    detached_at = models.DateTimeField("отвязано", null=True, blank=True)
    detached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    detach_reason = models.CharField("причина отвязки", max_length=300, blank=True)

    class Meta:
        verbose_name = "дочернее обращение"
        verbose_name_plural = "дочерние обращения"
        ordering = ["linked_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(detached_at__isnull=True),
                name="mass_child_one_active_parent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mass_incident_id} → {self.child_id}"


class DevelopmentHandoff(models.Model):
    """A ticket passed to the development tracker: its key, link and last known state.

    One hand-off per ticket is active at a time (returned_at empty); returned ones stay
    as history. `last_reminded_on` makes the daily reminder fire at most once a day.
    """

    ticket = models.ForeignKey(
        "tickets.Ticket",
        on_delete=models.PROTECT,
        related_name="development_handoffs",
        verbose_name="обращение",
    )
    tracker_key = models.CharField("ключ в трекере", max_length=64)
    tracker_url = models.URLField("ссылка", max_length=500, blank=True)
    state_note = models.TextField("последнее известное состояние", blank=True)
    state_updated_at = models.DateTimeField("состояние обновлено")
    handed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="передал",
    )
    handed_off_at = models.DateTimeField("передано")
    returned_at = models.DateTimeField("возвращено", null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="вернул",
    )
    return_note = models.TextField("комментарий к возврату", blank=True)
    last_reminded_on = models.DateField("последнее напоминание", null=True, blank=True)

    class Meta:
        verbose_name = "передача в разработку"
        verbose_name_plural = "передачи в разработку"
        ordering = ["-handed_off_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"],
                condition=Q(returned_at__isnull=True),
                name="handoff_one_active_per_ticket",
            )
        ]
        indexes = [models.Index(fields=["returned_at", "handed_off_at"], name="handoff_due_idx")]

    def __str__(self) -> str:
        return f"{self.tracker_key} ({self.ticket_id})"

    @property
    def is_active(self) -> bool:
        return self.returned_at is None

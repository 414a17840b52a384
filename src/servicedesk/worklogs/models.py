"""Work time on tickets: logs, L3 estimates, the billing postings behind the monthly bill."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from servicedesk.accounts.models import SupportLine
from servicedesk.worklogs.domain import ExcessState, WorkKind


class WorkLog(models.Model):
    """Time one person spent on one ticket on one day, billable or not.

    `kind` and `line` are fixed when the time is logged (a consultation ticket's time
    counts against the consultation cap; L3 time is billable by default), so the bill
    does not move when the ticket is reclassified later. Logs are never deleted: the
    head corrects them (to zero if need be), and every change is a ticket event.
    """

    ticket = models.ForeignKey(
        "tickets.Ticket",
        on_delete=models.PROTECT,
        related_name="worklogs",
        verbose_name="обращение",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="worklogs",
        verbose_name="сотрудник",
    )
    work_date = models.DateField("дата работы")
    minutes = models.PositiveIntegerField("минуты")
    billable = models.BooleanField("оплачивается", default=False)
    kind = models.CharField(
        "вид", max_length=20, choices=[(k.value, k.label) for k in WorkKind], default=WorkKind.WORK
    )
    line = models.CharField("линия", max_length=2, choices=SupportLine.choices)
    note = models.TextField("что сделано", blank=True)
    created_at = models.DateTimeField("списано")
    updated_at = models.DateTimeField("изменено")
    excess_minutes = models.PositiveIntegerField(
        "сверх оценки, мин",
        default=0,
        help_text="Часть минут сверх согласованной клиентом оценки.",
    )
    excess_state = models.CharField(
        "согласование превышения",
        max_length=10,
        blank=True,
        default=ExcessState.NONE,
        choices=[(s.value, s.label) for s in ExcessState],
    )
    excess_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="решение о превышении принял",
    )
    excess_decided_at = models.DateTimeField("решение о превышении", null=True, blank=True)
    over_cap_minutes = models.PositiveIntegerField(
        "сверх лимита консультаций, мин",
        default=0,
        help_text="Часть минут, которая при списании вышла за месячный лимит консультаций.",
    )

    class Meta:
        verbose_name = "списание времени"
        verbose_name_plural = "трудозатраты"
        ordering = ["work_date", "pk"]
        indexes = [
            models.Index(fields=["ticket", "work_date"], name="worklog_ticket_idx"),
            models.Index(fields=["work_date", "author"], name="worklog_date_author_idx"),
            models.Index(fields=["excess_state"], name="worklog_excess_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.work_date:%d.%m.%Y} {self.minutes} мин"

    @property
    def work_kind(self) -> WorkKind:
        return WorkKind(self.kind)


class WorkLogPosting(models.Model):
    """What one work log contributes to one month's bill (a derived accounting row).

    A log has at most one posting in an open month, rewritten on every change; postings
    in a closed month are never touched. A change to a log whose month is closed posts
    the difference into the next open month, so a closed month's figures never move.
    Minutes are signed: a correction after the close can be a negative adjustment.
    """

    worklog = models.ForeignKey(WorkLog, on_delete=models.PROTECT, related_name="postings")
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey("accounts.Client", on_delete=models.PROTECT, related_name="+")
    month = models.DateField("месяц (первое число)")
    kind = models.CharField("вид", max_length=20, choices=[(k.value, k.label) for k in WorkKind])
    line = models.CharField("линия", max_length=2, choices=SupportLine.choices)
    billable_minutes = models.IntegerField("оплачиваемые минуты", default=0)
    consultation_minutes = models.IntegerField("минуты консультаций", default=0)
    created_at = models.DateTimeField("проведено")

    class Meta:
        verbose_name = "проводка трудозатрат"
        verbose_name_plural = "проводки трудозатрат"
        indexes = [
            models.Index(fields=["month", "client"], name="posting_month_client_idx"),
            models.Index(fields=["worklog", "month"], name="posting_worklog_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} #{self.worklog_id}"


class EstimateState(models.TextChoices):
    PROPOSED = "proposed", "Ждёт решения клиента"
    APPROVED = "approved", "Согласована клиентом"
    DECLINED = "declined", "Отклонена клиентом"
    SUPERSEDED = "superseded", "Заменена новой оценкой"


class Estimate(models.Model):
    """An engineer's estimate of L3 work in hours, approved or declined by the client.

    The latest approved estimate is the one in force: billable time above it waits for
    the service manager's approval.
    """

    ticket = models.ForeignKey(
        "tickets.Ticket",
        on_delete=models.PROTECT,
        related_name="estimates",
        verbose_name="обращение",
    )
    hours = models.DecimalField("часы", max_digits=6, decimal_places=2)
    note = models.TextField("пояснение", blank=True)
    state = models.CharField("состояние", max_length=12, choices=EstimateState.choices)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="автор"
    )
    proposed_at = models.DateTimeField("предложена")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="решение принял",
    )
    decided_at = models.DateTimeField("решение", null=True, blank=True)
    decision_note = models.TextField("комментарий клиента", blank=True)

    class Meta:
        verbose_name = "оценка трудозатрат"
        verbose_name_plural = "оценки трудозатрат"
        ordering = ["proposed_at", "pk"]
        indexes = [models.Index(fields=["ticket", "state"], name="estimate_ticket_idx")]

    def __str__(self) -> str:
        return f"{self.hours} ч ({self.get_state_display()})"

    @property
    def minutes(self) -> int:
        return int(self.hours * 60)


class ConsultationCapNotice(models.Model):
    """That a client's consultations went over the monthly cap and the managers were told.

    The unique constraint makes the notification happen once per client and month.
    """

    client = models.ForeignKey("accounts.Client", on_delete=models.CASCADE, related_name="+")
    month = models.DateField("месяц (первое число)")
    notified_at = models.DateTimeField("уведомлены")

    class Meta:
        verbose_name = "превышение лимита консультаций"
        verbose_name_plural = "превышения лимита консультаций"
        constraints = [
            models.UniqueConstraint(fields=["client", "month"], name="consultation_notice_once")
        ]

    def __str__(self) -> str:
        return f"{self.client_id} {self.month:%Y-%m}"

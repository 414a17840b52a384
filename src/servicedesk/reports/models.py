"""Closed billing months: a frozen copy of each client's figures and the lines behind them."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ClosedMonth(models.Model):
    """A billing month the head closed; its figures are read from the snapshot from then on.

    Work logged later with a date in this month is billed in the next open month.
    """

    month = models.DateField("месяц (первое число)", unique=True)
    closed_at = models.DateTimeField("закрыт")
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="закрыл",
    )
    closed_by_label = models.CharField("кто закрыл", max_length=200)

    class Meta:
        verbose_name = "закрытый месяц"
        verbose_name_plural = "закрытые месяцы"
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class BillingSnapshot(models.Model):
    """One client's bill for a closed month, with the contract terms of that moment."""

    closed_month = models.ForeignKey(ClosedMonth, on_delete=models.PROTECT, related_name="bills")
    client = models.ForeignKey("accounts.Client", on_delete=models.PROTECT, related_name="+")
    client_code = models.CharField("код клиента", max_length=40)
    client_name = models.CharField("клиент", max_length=200)
    contract_number = models.CharField("договор", max_length=60, blank=True)
    has_l1 = models.BooleanField("1-я линия")
    l3_rate = models.DecimalField("ставка, ₽/ч", max_digits=10, decimal_places=2)
    l3_minutes = models.IntegerField("оплачиваемые минуты")
    l3_amount = models.DecimalField("сумма за работы, ₽", max_digits=14, decimal_places=2)
    consultation_minutes = models.IntegerField("минуты консультаций")
    consultation_cap_minutes = models.IntegerField("лимит консультаций, мин", null=True)
    over_cap_minutes = models.IntegerField("сверх лимита, мин")
    over_cap_amount = models.DecimalField("сумма сверх лимита, ₽", max_digits=14, decimal_places=2)
    l1_tickets = models.IntegerField("обращений на 1-й линии")
    total_amount = models.DecimalField("итого, ₽", max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = "счёт закрытого месяца"
        verbose_name_plural = "счета закрытых месяцев"
        ordering = ["client_name"]
        constraints = [
            models.UniqueConstraint(fields=["closed_month", "client"], name="bill_once_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.client_name} {self.closed_month}"


class BillingLine(models.Model):
    """One ticket behind a number of a closed month's bill (L3, consultation or L1)."""

    bill = models.ForeignKey(BillingSnapshot, on_delete=models.PROTECT, related_name="lines")
    kind = models.CharField("строка", max_length=20)
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.PROTECT, related_name="+")
    ticket_number = models.PositiveBigIntegerField("номер")
    subject = models.CharField("тема", max_length=300)
    minutes = models.IntegerField("минуты", default=0)

    class Meta:
        verbose_name = "строка счёта"
        verbose_name_plural = "строки счетов"
        ordering = ["kind", "ticket_number"]

    def __str__(self) -> str:
        return f"{self.kind} {self.ticket_number}"

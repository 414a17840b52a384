"""Business calendars as data: weekly hours plus per-date overrides, edited by the head."""

from __future__ import annotations

from django.db import models


def default_week() -> dict[str, list[list[str]]]:
    five_two = [["09:00", "18:00"]]
    return {
        "mon": five_two,
        "tue": five_two,
        "wed": five_two,
        "thu": five_two,
        "fri": five_two,
        "sat": [],
        "sun": [],
    }


class Calendar(models.Model):
    """A working-time calendar: a time zone, weekly windows and dated exceptions."""

    code = models.SlugField("код", max_length=40, unique=True)
    name = models.CharField("название", max_length=200)
    timezone = models.CharField("часовой пояс", max_length=64, default="Europe/Moscow")
    week = models.JSONField(
        "рабочие часы недели",
        default=default_week,
        help_text='Например {"mon": [["09:00", "18:00"]], …, "sun": []}.',
    )
    short_day_windows = models.JSONField(
        "часы сокращённого дня",
        default=list,
        blank=True,
        help_text='Например [["09:00", "17:00"]]; пусто — как обычный день.',
    )
    updated_at = models.DateTimeField("изменён", auto_now=True)

    class Meta:
        verbose_name = "календарь"
        verbose_name_plural = "календари"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class DayKind(models.TextChoices):
    WORKING = "working", "рабочий"
    SHORT = "short", "сокращённый"
    OFF = "off", "выходной"


class DaySource(models.TextChoices):
    SEED = "seed", "производственный календарь"
    ADMIN = "admin", "изменено вручную"


class CalendarDay(models.Model):
    """One date that differs from the calendar's week (holiday, working Saturday, short day)."""

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="days")
    date = models.DateField("дата")
    kind = models.CharField("тип дня", max_length=10, choices=DayKind.choices)
    windows = models.JSONField(
        "свои часы",
        null=True,
        blank=True,
        help_text="Необязательно: часы этого дня, если они отличаются от обычных.",
    )
    note = models.CharField("примечание", max_length=200, blank=True)
    source = models.CharField(
        "источник", max_length=10, choices=DaySource.choices, default=DaySource.ADMIN
    )

    class Meta:
        verbose_name = "особый день"
        verbose_name_plural = "особые дни"
        ordering = ["calendar", "date"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="calendar_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} — {self.get_kind_display()}"

"""Classifier settings, trained model versions and the service labels people give."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class Weekday(models.IntegerChoices):
    MONDAY = 0, "понедельник"
    TUESDAY = 1, "вторник"
    WEDNESDAY = 2, "среда"
    THURSDAY = 3, "четверг"
    FRIDAY = 4, "пятница"
    SATURDAY = 5, "суббота"
    SUNDAY = 6, "воскресенье"


class ClassifierSettings(models.Model):
    """How the desk uses service suggestions; the head edits it, exactly one row (pk=1).

    Below the auto-apply threshold a suggestion is only shown and a person decides
    (SPEC §8); switching classification off stops suggestions everywhere.
    """

    enabled = models.BooleanField(
        "классификация включена", default=True, help_text="Выключено — услуга не подсказывается."
    )
    auto_apply_threshold = models.FloatField(
        "порог автоприменения",
        default=0.6,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text="Услуга ставится без человека, если уверенность модели не ниже порога (0–1).",
    )
    retrain_weekday = models.PositiveSmallIntegerField(
        "день переобучения",
        choices=Weekday.choices,
        default=Weekday.MONDAY,
        help_text="Раз в неделю в этот день (с 03:00) модель переобучается, если появились "
        "новые исправления.",
    )

    class Meta:
        verbose_name = "настройки классификатора"
        verbose_name_plural = "настройки классификатора"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(auto_apply_threshold__gte=0.0, auto_apply_threshold__lte=1.0),
                name="classification_threshold_0_1",
            )
        ]

    def __str__(self) -> str:
        return "Настройки классификатора"


class ClassifierModel(models.Model):
    """One trained version of the classifier: its file, what it learnt from, whether it serves.

    Exactly one version is active at a time; older ones stay listed for the record.
    """

    version = models.CharField("версия", max_length=64, unique=True)
    file_name = models.CharField(
        "файл", max_length=200, help_text="В каталоге моделей (CLASSIFIER_DIR)."
    )
    trained_at = models.DateTimeField("обучена")
    training_size = models.PositiveIntegerField("примеров")
    seed_count = models.PositiveIntegerField("из начального набора", default=0)
    label_count = models.PositiveIntegerField("из исправлений", default=0)
    ticket_count = models.PositiveIntegerField("из решённых обращений", default=0)
    duration_seconds = models.FloatField("обучение, с", default=0.0)
    accuracy = models.FloatField("точность", null=True, blank=True)
    top3_accuracy = models.FloatField("точность топ-3", null=True, blank=True)
    actor_label = models.CharField("кто запустил", max_length=200, blank=True)
    is_active = models.BooleanField("активна", default=False)

    class Meta:
        verbose_name = "модель классификатора"
        verbose_name_plural = "модели классификатора"
        ordering = ["-trained_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=models.Q(is_active=True),
                name="classification_one_active_model",
            )
        ]

    def __str__(self) -> str:
        return self.version


class LabelSource(models.TextChoices):
    CORRECTION = "correction", "исправление подсказки"
    CONFIRMED = "confirmed", "подтверждение подсказки"
    MANUAL = "manual", "выбор без подсказки"


class ServiceLabel(models.Model):
    """The service a person gave a request, kept to train the next model.

    Subject and text are a snapshot (identifiers masked), so retraining does not depend on
    the ticket still existing or being unchanged. One label per ticket: the latest choice.
    """

    ticket = models.OneToOneField(
        "tickets.Ticket",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_label",
        verbose_name="обращение",
    )
    subject = models.TextField("тема", blank=True)
    text = models.TextField("текст", blank=True)
    suggested = models.CharField("подсказано", max_length=40, blank=True)
    chosen = models.CharField("выбрано", max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="кто выбрал",
    )
    source = models.CharField("источник", max_length=20, choices=LabelSource.choices)
    created_at = models.DateTimeField("создана")
    updated_at = models.DateTimeField("изменена", db_index=True)
    used_in_model = models.ForeignKey(
        ClassifierModel,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="labels",
        verbose_name="учтена в модели",
    )

    class Meta:
        verbose_name = "метка услуги"
        verbose_name_plural = "метки услуг"
        ordering = ["-updated_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.suggested or '—'} → {self.chosen}"

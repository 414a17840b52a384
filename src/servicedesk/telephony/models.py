"""Calls, their events, pop-ups for agents, the call-back queue and PBX settings."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q

from servicedesk.telephony.domain.calls import CallState, Direction


class TelephonySettings(models.Model):
    """How the desk talks to the PBX; one row, edited in the admin (Телефония → Настройки).

    The generic webhook authenticates with an API token of `webhook_user` (a technical
    user: `manage.py telephony_setup` creates it and prints a token). Vendor keys and
    the AMI login are here too, so a head can change them without a redeploy.
    """

    webhook_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="технический пользователь вебхука",
        help_text="Токены этого пользователя принимает POST /api/v1/telephony/events.",
    )
    mango_api_key = models.CharField(
        "Mango: уникальный код АТС (api key)", max_length=100, blank=True
    )
    mango_api_salt = models.CharField("Mango: ключ для подписи (salt)", max_length=100, blank=True)
    mango_api_url = models.URLField(
        "Mango: адрес API", default="https://app.mango-office.ru/vpbx", max_length=200
    )
    zadarma_api_key = models.CharField("Zadarma: ключ API", max_length=100, blank=True)
    zadarma_api_secret = models.CharField("Zadarma: секрет API", max_length=100, blank=True)
    zadarma_api_url = models.URLField(
        "Zadarma: адрес API", default="https://api.zadarma.com", max_length=200
    )
    ami_host = models.CharField("Asterisk AMI: хост", max_length=200, blank=True)
    ami_port = models.PositiveIntegerField("Asterisk AMI: порт", default=5038)
    ami_username = models.CharField("Asterisk AMI: пользователь", max_length=100, blank=True)
    ami_secret = models.CharField("Asterisk AMI: пароль", max_length=100, blank=True)
    recording_max_mb = models.PositiveIntegerField(
        "максимальный размер записи, МБ",
        default=25,
        help_text="Больше — запись не скачивается (и не влезла бы во вложение обращения).",
    )

    class Meta:
        verbose_name = "настройки телефонии"
        verbose_name_plural = "настройки телефонии"

    def __str__(self) -> str:
        return "Настройки телефонии"


class CallbackStatus(models.TextChoices):
    NONE = "", "—"
    PENDING = "pending", "Перезвонить"
    DONE = "done", "Перезвонили"
    NOT_NEEDED = "not_needed", "Не требуется"


class RecordingStatus(models.TextChoices):
    NONE = "", "Нет записи"
    PENDING = "pending", "Скачивается"
    DOWNLOADED = "downloaded", "Сохранена"
    FAILED = "failed", "Не удалось скачать"
    TOO_LARGE = "too_large", "Слишком большая"


def recording_path(instance: Call, filename: str) -> str:
    # A random name on disk: vendor file names never become paths.
    suffix = PurePath(filename).suffix[:8]
    return f"calls/{instance.started_at:%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Call(models.Model):
    """One phone call as the desk knows it: who, when, how long, answered or missed.

    The fields are the fold of the call's events (`domain.calls.apply_event`), so they
    are right whatever order the PBX delivered them in. A missed incoming call from a
    visible number joins the call-back queue (`callback_status = pending`).
    """

    call_id = models.CharField("ID звонка", max_length=200, unique=True)
    direction = models.CharField(
        "направление",
        max_length=3,
        blank=True,
        choices=[(d.value, d.label) for d in Direction],
    )
    from_raw = models.CharField("кто звонит (как прислала АТС)", max_length=100, blank=True)
    to_raw = models.CharField("куда (как прислала АТС)", max_length=100, blank=True)
    from_number = models.CharField("кто звонит", max_length=32, blank=True, db_index=True)
    to_number = models.CharField("куда", max_length=32, blank=True, db_index=True)
    queue = models.CharField("очередь", max_length=100, blank=True)
    state = models.CharField(
        "состояние", max_length=10, choices=[(s.value, s.label) for s in CallState]
    )
    started_at = models.DateTimeField("начало", db_index=True)
    answered_at = models.DateTimeField("ответ", null=True, blank=True)
    ended_at = models.DateTimeField("окончание", null=True, blank=True)
    reported_duration = models.PositiveIntegerField(
        "длительность по данным АТС, с", null=True, blank=True
    )
    duration = models.PositiveIntegerField("длительность разговора, с", default=0)
    answered_extension = models.CharField("ответивший внутренний номер", max_length=16, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answered_calls",
        verbose_name="ответил",
    )
    missed = models.BooleanField("пропущен", default=False)
    cause = models.CharField("причина завершения", max_length=100, blank=True)
    caller_contact = models.ForeignKey(
        "accounts.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name="контакт",
    )
    caller_outlet = models.ForeignKey(
        "accounts.Outlet",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name="торговая точка",
    )
    caller_client = models.ForeignKey(
        "accounts.Client",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name="клиент",
    )
    source = models.CharField("источник", max_length=20, default="webhook")
    recording_url = models.CharField("запись у АТС", max_length=1000, blank=True)
    recording_status = models.CharField(
        "запись", max_length=12, blank=True, choices=RecordingStatus.choices
    )
    recording = models.FileField(
        "файл записи", upload_to=recording_path, max_length=300, blank=True
    )
    recording_content_type = models.CharField(max_length=100, blank=True)
    recording_size = models.PositiveBigIntegerField(null=True, blank=True)
    recording_sha256 = models.CharField(max_length=64, blank=True)
    recording_attempts = models.PositiveSmallIntegerField(default=0)
    recording_error = models.CharField("ошибка скачивания", max_length=300, blank=True)
    callback_status = models.CharField(
        "перезвон", max_length=12, blank=True, choices=CallbackStatus.choices, db_index=True
    )
    called_back_at = models.DateTimeField("перезвонили", null=True, blank=True)
    called_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="перезвонил",
    )
    created_at = models.DateTimeField("получен")
    updated_at = models.DateTimeField("изменён")

    class Meta:
        verbose_name = "звонок"
        verbose_name_plural = "звонки"
        ordering = ["-started_at", "-pk"]
        indexes = [
            models.Index(
                fields=["callback_status", "from_number"],
                name="call_callback_idx",
                condition=Q(callback_status="pending"),
            )
        ]

    def __str__(self) -> str:
        caller = self.from_number or self.from_raw or "скрытый номер"
        return f"{caller} → {self.to_number} ({self.call_id})"

    @property
    def counterpart(self) -> str:
        """The outside party's number: the caller for incoming calls, the callee otherwise."""
        return self.to_number if self.direction == Direction.OUT else self.from_number


class CallEvent(models.Model):
    """One delivered PBX event; (call_key, kind) is unique, which makes delivery idempotent.

    `result` is what the first delivery answered; a repeat answers it again unchanged.
    """

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="events")
    call_key = models.CharField("ID звонка", max_length=200)
    kind = models.CharField("событие", max_length=10)
    occurred_at = models.DateTimeField("время события")
    received_at = models.DateTimeField("получено")
    payload = models.JSONField("данные", default=dict)
    result = models.JSONField("ответ", default=dict)

    class Meta:
        verbose_name = "событие звонка"
        verbose_name_plural = "события звонков"
        ordering = ["received_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["call_key", "kind"], name="call_event_once")]

    def __str__(self) -> str:
        return f"{self.call_key} {self.kind}"


class CallTicket(models.Model):
    """A ticket created or updated during a call; the recording follows the call here."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="ticket_links")
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="call_links"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    linked_at = models.DateTimeField("связано")
    recording_attached_at = models.DateTimeField("запись приложена", null=True, blank=True)

    class Meta:
        verbose_name = "обращение звонка"
        verbose_name_plural = "обращения звонков"
        constraints = [models.UniqueConstraint(fields=["call", "ticket"], name="call_ticket_once")]

    def __str__(self) -> str:
        return f"{self.call_id} ↔ {self.ticket_id}"


class CallPopup(models.Model):
    """A caller card waiting to be shown to one staff member (polled by the workspace)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="popups")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="call_popups"
    )
    created_at = models.DateTimeField("создано")
    shown_at = models.DateTimeField("показано", null=True, blank=True)
    dismissed_at = models.DateTimeField("закрыто", null=True, blank=True)
    dismiss_reason = models.CharField("почему закрыто", max_length=100, blank=True)

    class Meta:
        verbose_name = "всплывающая карточка"
        verbose_name_plural = "всплывающие карточки"
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["call", "user"], name="call_popup_once")]
        indexes = [
            models.Index(fields=["user", "dismissed_at", "-created_at"], name="popup_user_idx")
        ]

    def __str__(self) -> str:
        return f"{self.call_id} → {self.user_id}"


class CallbackAttempt(models.Model):
    """An L1 agent's attempt to call a missed caller back, reached or not, with a note."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="callback_attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="кто"
    )
    at = models.DateTimeField("когда")
    reached = models.BooleanField("дозвонились")
    note = models.CharField("результат", max_length=500, blank=True)

    class Meta:
        verbose_name = "попытка перезвонить"
        verbose_name_plural = "попытки перезвонить"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.call_id}: {'дозвонились' if self.reached else 'не дозвонились'}"

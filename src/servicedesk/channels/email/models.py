"""Mailboxes, every message that came in or went out, and the templates of our replies."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db import models

from servicedesk.channels.email.crypto import decrypt_secret, encrypt_secret

DEFAULT_ACK_INTERVAL_MINUTES = 10


class TlsMode(models.TextChoices):
    SSL = "ssl", "SSL/TLS (IMAPS, обычно порт 993)"
    STARTTLS = "starttls", "STARTTLS (обычно порт 143)"
    NONE = "none", "Без шифрования (только для тестов)"


class Mailbox(models.Model):
    """A support mailbox the desk reads over IMAP; its mail becomes tickets of one client.

    The desk remembers the folder's UIDVALIDITY and the last UID it finished, so each
    poll fetches only new mail; a changed UIDVALIDITY makes it read the folder again,
    and the Message-IDs already stored keep any message from being ingested twice.
    The password is stored in the database encrypted with a key derived from SECRET_KEY.
    """

    code = models.SlugField("код", max_length=40, unique=True)
    name = models.CharField("название", max_length=200)
    address = models.EmailField(
        "адрес ящика", help_text="С него уходят ответы; письма от него самого не принимаются."
    )
    imap_host = models.CharField("IMAP-сервер", max_length=200, blank=True)
    imap_port = models.PositiveIntegerField("порт", default=993)
    tls_mode = models.CharField(
        "шифрование", max_length=10, choices=TlsMode.choices, default=TlsMode.SSL
    )
    tls_verify = models.BooleanField(
        "проверять сертификат", default=True, help_text="Выключайте только для тестового сервера."
    )
    username = models.CharField("логин", max_length=200, blank=True)
    password_encrypted = models.TextField("пароль (зашифрован)", blank=True, editable=False)
    folder = models.CharField("папка", max_length=200, default="INBOX")
    processed_folder = models.CharField(
        "папка для обработанных",
        max_length=200,
        blank=True,
        help_text="Пусто — письма остаются в папке и помечаются прочитанными.",
    )
    client = models.ForeignKey(
        "accounts.Client",
        on_delete=models.PROTECT,
        related_name="mailboxes",
        verbose_name="клиент",
        help_text="Новые обращения и новые контакты из этого ящика относятся к этому клиенту.",
    )
    default_service = models.ForeignKey(
        "catalog.Service",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="услуга по умолчанию",
    )
    is_active = models.BooleanField("опрашивать", default=True)
    import_history = models.BooleanField(
        "загрузить старые письма",
        default=False,
        help_text=(
            "При первом подключении: выключено — принимаются только письма, пришедшие после "
            "подключения; включено — и все письма, что уже лежат в папке (или начиная с UID)."
        ),
    )
    start_uid = models.PositiveBigIntegerField(
        "загружать начиная с UID", null=True, blank=True, help_text="Только с «загрузить старые»."
    )
    uidvalidity = models.PositiveBigIntegerField("UIDVALIDITY", null=True, blank=True)
    last_uid = models.PositiveBigIntegerField("последний обработанный UID", default=0)
    connected_at = models.DateTimeField("подключён", null=True, blank=True, editable=False)
    ack_interval_minutes = models.PositiveIntegerField(
        "не чаще одного автоответа отправителю за, мин",
        default=DEFAULT_ACK_INTERVAL_MINUTES,
    )
    last_polled_at = models.DateTimeField("последний опрос", null=True, blank=True)
    last_error = models.TextField("последняя ошибка", blank=True)
    last_error_at = models.DateTimeField("время ошибки", null=True, blank=True)

    class Meta:
        verbose_name = "почтовый ящик"
        verbose_name_plural = "почтовые ящики"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>"

    def set_password(self, raw: str) -> None:
        self.password_encrypted = encrypt_secret(raw) if raw else ""

    def get_password(self) -> str:
        return decrypt_secret(self.password_encrypted) if self.password_encrypted else ""

    @property
    def label(self) -> str:
        """Return who the ticket history names as the actor of intake."""
        return f"Почта: {self.address}"


class InboundStatus(models.TextChoices):
    RECEIVED = "received", "Получено"
    PROCESSED = "processed", "Обработано"
    IGNORED = "ignored", "Пропущено"
    QUARANTINED = "quarantined", "Карантин"


class InboundOutcome(models.TextChoices):
    CREATED = "created", "Создано обращение"
    APPENDED = "appended", "Добавлено к обращению"
    BOUNCE = "bounce", "Отчёт о недоставке"
    NONE = "", "—"


class InboundSource(models.TextChoices):
    IMAP = "imap", "IMAP"
    FILE = "file", "Файл"
    PIPE = "pipe", "Стандартный ввод (MTA)"


def inbound_raw_path(instance: InboundMessage, filename: str) -> str:
    return raw_mail_path(instance.received_at)


def raw_mail_path(received_at: datetime) -> str:
    """Return a new private path for the raw source of a message received at that time."""
    return f"mail/inbound/{received_at:%Y/%m}/{uuid.uuid4().hex}.eml"


class InboundMessage(models.Model):
    """One e-mail that reached a mailbox, kept as it came, with what the desk did with it.

    It is stored in the same transaction as the ticket or comment it produced, so a
    crash leaves either both or neither; `dedupe_key` (the Message-ID) is unique per
    mailbox, so a message read again after a crash is recognised and not ingested twice.
    `quote_start` is where the quoted history begins in the text the message produced
    (the comment body or the ticket description): the UI shows it collapsed.
    """

    # indexed by inbound_unique_per_mailbox (mailbox, dedupe_key)
    mailbox = models.ForeignKey(
        Mailbox,
        on_delete=models.PROTECT,
        related_name="inbound",
        verbose_name="ящик",
        db_index=False,
    )
    message_id = models.CharField("Message-ID", max_length=255)
    message_id_synthesised = models.BooleanField("Message-ID вычислен", default=False)
    dedupe_key = models.CharField(max_length=300, editable=False)
    content_sha256 = models.CharField(max_length=64, editable=False)
    raw = models.FileField("исходное письмо", upload_to=inbound_raw_path, max_length=300)
    raw_sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("размер, байт")
    source = models.CharField("откуда", max_length=10, choices=InboundSource.choices)
    imap_uid = models.PositiveBigIntegerField("UID", null=True, blank=True)
    imap_uidvalidity = models.PositiveBigIntegerField(null=True, blank=True)
    from_address = models.CharField("от (адрес)", max_length=254, blank=True)
    from_name = models.CharField("от (имя)", max_length=200, blank=True)
    subject = models.CharField("тема", max_length=300, blank=True)
    sent_at = models.DateTimeField("дата письма", null=True, blank=True)
    received_at = models.DateTimeField("получено", db_index=True)
    processed_at = models.DateTimeField("обработано", null=True, blank=True)
    status = models.CharField(
        "состояние",
        max_length=12,
        choices=InboundStatus.choices,
        default=InboundStatus.RECEIVED,
    )
    outcome = models.CharField(
        "результат", max_length=10, choices=InboundOutcome.choices, blank=True
    )
    reason = models.CharField("причина", max_length=300, blank=True)
    notes = models.TextField("заметки", blank=True)
    defects = models.TextField("что было не так с письмом", blank=True)
    error = models.TextField("ошибка", blank=True)
    attempts = models.PositiveSmallIntegerField("попыток", default=1)
    ticket = models.ForeignKey(
        "tickets.Ticket",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="email_inbound",
        verbose_name="обращение",
    )
    comment = models.ForeignKey(
        "tickets.Comment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="email_inbound",
        verbose_name="комментарий",
    )
    contact = models.ForeignKey(
        "accounts.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="email_inbound",
        verbose_name="контакт",
    )
    quote_start = models.PositiveIntegerField(
        "начало цитаты",
        null=True,
        blank=True,
        help_text="Позиция (в символах) в тексте комментария или описания, где начинается "
        "цитируемая переписка; пусто — цитаты нет.",
    )

    class Meta:
        verbose_name = "входящее письмо"
        verbose_name_plural = "входящие письма"
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mailbox", "dedupe_key"], name="inbound_unique_per_mailbox"
            )
        ]
        indexes = [
            models.Index(fields=["message_id", "mailbox"], name="inbound_message_id_idx"),
            models.Index(fields=["status", "-received_at"], name="inbound_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.from_address or '?'}: {self.subject or '(без темы)'}"


class Direction(models.TextChoices):
    INBOUND = "in", "Входящее"
    OUTBOUND = "out", "Исходящее"


class TicketMessageId(models.Model):
    """A Message-ID that belongs to a ticket's correspondence, in either direction.

    Replies name their parents in In-Reply-To and References; looking those ids up
    here is how a reply finds its ticket.
    """

    # indexed by ticket_message_id_unique (ticket, message_id)
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="email_message_ids", db_index=False
    )
    message_id = models.CharField("Message-ID", max_length=255, db_index=True)
    direction = models.CharField("направление", max_length=3, choices=Direction.choices)
    created_at = models.DateTimeField("когда")

    class Meta:
        verbose_name = "Message-ID обращения"
        verbose_name_plural = "Message-ID обращений"
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "message_id"], name="ticket_message_id_unique"
            )
        ]

    def __str__(self) -> str:
        return self.message_id


class OutboundKind(models.TextChoices):
    RECEIVED = "received", "Обращение зарегистрировано"
    REPLY = "reply", "Ответ сотрудника"
    RESOLVED = "resolved", "Обращение решено"
    ATTACHMENT_REFUSED = "attachment_refused", "Вложение не принято"


class OutboundStatus(models.TextChoices):
    PENDING = "pending", "В очереди"
    SENDING = "sending", "Отправляется"
    SENT = "sent", "Отправлено"
    FAILED = "failed", "Не отправлено"
    BOUNCED = "bounced", "Не доставлено (возврат)"


class OutboundMessage(models.Model):
    """One e-mail the desk sends about a ticket: recorded with the ticket, sent after commit.

    A worker sends it over SMTP and retries; one that still fails is marked `failed`
    with the error and an event on the ticket, and `manage.py email_retry_failed` sends
    it again. A bounce that names its Message-ID marks it `bounced`.
    """

    ticket = models.ForeignKey(
        "tickets.Ticket",
        on_delete=models.CASCADE,
        related_name="email_outbound",
        verbose_name="обращение",
    )
    comment = models.ForeignKey(
        "tickets.Comment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ответ",
    )
    mailbox = models.ForeignKey(
        Mailbox, on_delete=models.SET_NULL, null=True, blank=True, related_name="outbound"
    )
    kind = models.CharField("вид", max_length=20, choices=OutboundKind.choices)
    from_address = models.CharField("от", max_length=300)
    to_address = models.CharField("кому", max_length=254)
    subject = models.CharField("тема", max_length=500)
    body = models.TextField("текст")
    message_id = models.CharField("Message-ID", max_length=255, unique=True)
    in_reply_to = models.CharField("In-Reply-To", max_length=255, blank=True)
    references = models.TextField("References", blank=True)
    auto_submitted = models.CharField("Auto-Submitted", max_length=20, blank=True)
    status = models.CharField(
        "состояние",
        max_length=10,
        choices=OutboundStatus.choices,
        default=OutboundStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField("попыток", default=0)
    last_error = models.TextField("ошибка", blank=True)
    created_at = models.DateTimeField("создано")
    last_attempt_at = models.DateTimeField("последняя попытка", null=True, blank=True)
    sent_at = models.DateTimeField("отправлено", null=True, blank=True)
    bounced_at = models.DateTimeField("возврат", null=True, blank=True)
    bounce_detail = models.TextField("причина возврата", blank=True)

    class Meta:
        verbose_name = "исходящее письмо"
        verbose_name_plural = "исходящие письма"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["to_address", "kind", "created_at"], name="outbound_ack_idx"),
            models.Index(fields=["status", "created_at"], name="outbound_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.to_address}"


class EmailTemplate(models.Model):
    """The Russian text of one kind of notification, editable by the head.

    Placeholders are ``{{ name }}`` from a fixed list per kind (see the admin help):
    plain substitution, never a template engine, so an edited template cannot run code
    or read anything but the values it is given.
    """

    kind = models.CharField("вид", max_length=20, choices=OutboundKind.choices, unique=True)
    subject = models.CharField("тема", max_length=300)
    body = models.TextField("текст")
    updated_at = models.DateTimeField("изменён", auto_now=True)

    class Meta:
        verbose_name = "шаблон письма"
        verbose_name_plural = "шаблоны писем"
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.get_kind_display()

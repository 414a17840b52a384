"""The e-mail channel in the admin: mailboxes, the intake journal, outgoing mail, templates."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from servicedesk.channels.email import templating
from servicedesk.channels.email.crypto import SecretUnreadable
from servicedesk.channels.email.imap import mailbox_check, mailbox_poll
from servicedesk.channels.email.intake import email_inbound_retry
from servicedesk.channels.email.models import (
    EmailTemplate,
    InboundMessage,
    InboundStatus,
    Mailbox,
    OutboundMessage,
    OutboundStatus,
)
from servicedesk.channels.email.outgoing import email_outbound_retry, forget_cached_templates


class MailboxForm(forms.ModelForm):
    password = forms.CharField(
        label="пароль",
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Хранится в базе в зашифрованном виде. Оставьте пустым, чтобы не менять.",
    )

    class Meta:
        model = Mailbox
        fields = (
            "code",
            "name",
            "address",
            "client",
            "default_service",
            "is_active",
            "imap_host",
            "imap_port",
            "tls_mode",
            "tls_verify",
            "username",
            "folder",
            "processed_folder",
            "import_history",
            "start_uid",
            "ack_interval_minutes",
        )

    def save(self, commit: bool = True) -> Any:
        mailbox = super().save(commit=False)
        if self.cleaned_data.get("password"):
            mailbox.set_password(self.cleaned_data["password"])
        if commit:
            mailbox.save()
        return mailbox


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    form = MailboxForm
    list_display = (
        "code",
        "address",
        "client",
        "imap_host",
        "is_active",
        "last_polled_at",
        "last_uid",
        "error_short",
    )
    list_filter = ("is_active", "client")
    readonly_fields = (
        "uidvalidity",
        "last_uid",
        "connected_at",
        "last_polled_at",
        "last_error",
        "last_error_at",
    )
    fieldsets = (
        (None, {"fields": ("code", "name", "address", "client", "default_service", "is_active")}),
        (
            "IMAP",
            {
                "fields": (
                    "imap_host",
                    "imap_port",
                    "tls_mode",
                    "tls_verify",
                    "username",
                    "password",
                    "folder",
                    "processed_folder",
                )
            },
        ),
        ("Приём", {"fields": ("import_history", "start_uid", "ack_interval_minutes")}),
        ("Состояние", {"fields": readonly_fields}),
    )
    actions = ["check_connection", "poll_now"]

    @admin.display(description="ошибка")
    def error_short(self, obj: Mailbox) -> str:
        return obj.last_error[:80]

    @admin.action(description="Проверить подключение")
    def check_connection(self, request: HttpRequest, queryset: QuerySet[Mailbox]) -> None:
        for mailbox in queryset:
            try:
                messages.success(request, f"{mailbox.code}: {mailbox_check(mailbox)}")
            except SecretUnreadable as error:
                messages.error(request, f"{mailbox.code}: {error}")
            except Exception as error:  # shown to the admin as it is
                messages.error(request, f"{mailbox.code}: {type(error).__name__}: {error}")

    @admin.action(description="Проверить почту сейчас")
    def poll_now(self, request: HttpRequest, queryset: QuerySet[Mailbox]) -> None:
        for mailbox in queryset:
            report = mailbox_poll(mailbox)
            if report.error:
                messages.error(request, f"{mailbox.code}: {report.error}")
            else:
                lines = "; ".join(result.describe() for result in report.results[:20])
                messages.success(
                    request, f"{mailbox.code}: писем {report.fetched}. {lines}".strip()
                )


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    list_display = (
        "received_at",
        "mailbox",
        "from_address",
        "subject",
        "status",
        "outcome",
        "ticket_link",
        "reason",
    )
    list_filter = ("status", "outcome", "mailbox", "source")
    search_fields = ("message_id", "from_address", "subject", "ticket__number")
    list_select_related = ("mailbox", "ticket")
    date_hierarchy = "received_at"
    actions = ["retry"]
    readonly_fields = (
        "mailbox",
        "message_id",
        "message_id_synthesised",
        "from_address",
        "from_name",
        "subject",
        "sent_at",
        "received_at",
        "processed_at",
        "status",
        "outcome",
        "reason",
        "ticket",
        "comment",
        "contact",
        "quote_start",
        "notes",
        "defects",
        "error",
        "attempts",
        "source",
        "imap_uid",
        "size",
        "raw_sha256",
        "raw",
    )
    fields = readonly_fields

    @admin.display(description="обращение")
    def ticket_link(self, obj: InboundMessage) -> str:
        if obj.ticket is None:
            return "—"
        return format_html(
            '<a href="/admin/tickets/ticket/{}/change/">{}</a>',
            obj.ticket.pk,
            obj.ticket.display_number,
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # read-only; the action below is the only way to act on a message

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the intake journal is the proof that nothing was lost

    @admin.action(description="Повторить обработку (карантин)")
    def retry(self, request: HttpRequest, queryset: QuerySet[InboundMessage]) -> None:
        for inbound in queryset.filter(status=InboundStatus.QUARANTINED):
            result = email_inbound_retry(inbound=inbound)
            level = messages.ERROR if result.outcome == "quarantined" else messages.SUCCESS
            messages.add_message(request, level, f"#{inbound.pk}: {result.describe()}")


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "ticket", "kind", "to_address", "status", "attempts", "sent_at")
    list_filter = ("status", "kind")
    search_fields = ("to_address", "subject", "message_id", "ticket__number")
    list_select_related = ("ticket",)
    actions = ["resend"]
    readonly_fields = (
        "ticket",
        "comment",
        "mailbox",
        "kind",
        "from_address",
        "to_address",
        "subject",
        "body",
        "message_id",
        "in_reply_to",
        "references",
        "auto_submitted",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "last_attempt_at",
        "sent_at",
        "bounced_at",
        "bounce_detail",
    )
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Отправить повторно")
    def resend(self, request: HttpRequest, queryset: QuerySet[OutboundMessage]) -> None:
        done = sum(
            email_outbound_retry(outbound=outbound)
            for outbound in queryset.exclude(status=OutboundStatus.SENT)
        )
        messages.success(request, f"Поставлено в очередь: {done}")


class EmailTemplateForm(forms.ModelForm):
    class Meta:
        model = EmailTemplate
        fields = ("kind", "subject", "body")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = str(data.get("kind") or getattr(self.instance, "kind", "") or "")
        for name in ("subject", "body"):
            text = data.get(name) or ""
            unsupported = templating.unsupported_constructs(text)
            if unsupported:
                self.add_error(
                    name,
                    f"Шаблон поддерживает только подстановки вида {{{{ имя }}}}, а не: "
                    f"{', '.join(unsupported)}",
                )
                continue
            unknown = templating.unknown_placeholders(text, kind)
            if unknown:
                names = templating.PLACEHOLDERS.get(kind, templating.COMMON)
                allowed = ", ".join(f"{{{{ {p} }}}}" for p in names)
                self.add_error(
                    name,
                    f"Неизвестные подстановки: {', '.join(unknown)}. Можно: {allowed}",
                )
        return data


@admin.register(EmailTemplate)
class EmailTemplateAdmin(admin.ModelAdmin):
    form = EmailTemplateForm
    list_display = ("kind", "subject", "updated_at")
    readonly_fields = ("placeholders_help",)
    fields = ("kind", "subject", "body", "placeholders_help")

    def save_model(self, request: HttpRequest, obj: EmailTemplate, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        forget_cached_templates()

    @admin.display(description="подстановки")
    def placeholders_help(self, obj: EmailTemplate) -> str:
        names = templating.PLACEHOLDERS.get(obj.kind, templating.COMMON)
        rows = format_html_join("", "<li><code>{{{{ {} }}}}</code> — {}</li>", names.items())
        return format_html("<ul>{}</ul>", rows)

"""Telephony in the admin: PBX settings (one row), the call log, read-only events."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from servicedesk.telephony.models import (
    Call,
    CallbackAttempt,
    CallEvent,
    CallTicket,
    TelephonySettings,
)

_SECRETS = ("mango_api_salt", "zadarma_api_secret", "ami_secret")


class TelephonySettingsForm(forms.ModelForm):
    mango_api_url = forms.URLField(label="Mango: адрес API", assume_scheme="https")
    zadarma_api_url = forms.URLField(label="Zadarma: адрес API", assume_scheme="https")

    class Meta:
        model = TelephonySettings
        fields = [
            "webhook_user",
            "mango_api_key",
            "mango_api_salt",
            "mango_api_url",
            "zadarma_api_key",
            "zadarma_api_secret",
            "zadarma_api_url",
            "ami_host",
            "ami_port",
            "ami_username",
            "ami_secret",
            "recording_max_mb",
        ]
        widgets = {name: forms.PasswordInput(render_value=True) for name in _SECRETS}


@admin.register(TelephonySettings)
class TelephonySettingsAdmin(admin.ModelAdmin):
    form = TelephonySettingsForm
    fieldsets = (
        ("Общий вебхук", {"fields": ("webhook_user",)}),
        ("Mango Office", {"fields": ("mango_api_key", "mango_api_salt", "mango_api_url")}),
        ("Zadarma", {"fields": ("zadarma_api_key", "zadarma_api_secret", "zadarma_api_url")}),
        ("Asterisk AMI", {"fields": ("ami_host", "ami_port", "ami_username", "ami_secret")}),
        ("Записи", {"fields": ("recording_max_mb",)}),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not TelephonySettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        row, _ = TelephonySettings.objects.get_or_create(pk=1)
        return HttpResponseRedirect(
            reverse("admin:telephony_telephonysettings_change", args=[row.pk])
        )


class CallEventInline(admin.TabularInline):
    model = CallEvent
    extra = 0
    fields = ("kind", "occurred_at", "received_at", "payload")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CallTicketInline(admin.TabularInline):
    model = CallTicket
    extra = 0
    fields = ("ticket", "linked_at", "linked_by", "recording_attached_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CallbackAttemptInline(admin.TabularInline):
    model = CallbackAttempt
    extra = 0
    fields = ("at", "user", "reached", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    """The call log; calls are written only by the PBX pipeline."""

    list_display = (
        "started_at",
        "direction",
        "from_number",
        "to_number",
        "answered_by",
        "duration",
        "missed",
        "callback_status",
        "recording_status",
    )
    list_filter = ("direction", "missed", "callback_status", "recording_status", "source")
    search_fields = ("call_id", "from_number", "to_number", "from_raw")
    list_select_related = ("answered_by",)
    inlines = [CallTicketInline, CallbackAttemptInline, CallEventInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [field.name for field in Call._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.method in ("GET", "HEAD")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

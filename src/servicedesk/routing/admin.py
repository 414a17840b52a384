"""The head edits routing rules, schedules, shifts and absences here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from servicedesk.accounts.models import SupportLine
from servicedesk.routing.models import Absence, AwaitingShift, RoutingRule, Shift, WorkSchedule
from servicedesk.tickets.models import Channel


class RoutingRuleForm(forms.ModelForm):
    channels = forms.MultipleChoiceField(
        label="Каналы",
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Ничего не отмечено — любой канал.",
    )
    lines = forms.MultipleChoiceField(
        label="Линии",
        choices=SupportLine.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Ничего не отмечено — любая линия.",
    )

    class Meta:
        model = RoutingRule
        fields = (
            "position",
            "name",
            "is_active",
            "services",
            "without_service",
            "clients",
            "outlets",
            "channels",
            "lines",
            "words",
            "working_time",
            "hours_from",
            "hours_to",
            "set_line",
            "set_role",
            "set_assignee",
            "set_sla_level",
            "stop",
        )


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    form = RoutingRuleForm
    list_display = (
        "position",
        "name",
        "is_active",
        "conditions_summary",
        "set_line",
        "set_role",
        "set_assignee",
        "set_sla_level",
        "stop",
    )
    list_display_links = ("name",)
    list_editable = ("position", "is_active")
    list_filter = ("is_active", "set_role", "stop")
    search_fields = ("name", "words")
    filter_horizontal = ("services", "clients", "outlets")
    autocomplete_fields = ("set_assignee",)
    fieldsets = (
        (None, {"fields": ("position", "name", "is_active")}),
        (
            "Условия (все заданные должны выполняться; пустое — любое значение)",
            {
                "fields": (
                    "services",
                    "without_service",
                    "clients",
                    "outlets",
                    "channels",
                    "lines",
                    "words",
                    "working_time",
                    ("hours_from", "hours_to"),
                )
            },
        ),
        (
            "Действия (первое правило, задавшее поле, решает; «остановить» — ниже не читать)",
            {"fields": ("set_line", "set_role", "set_assignee", "set_sla_level", "stop")},
        ),
    )

    @admin.display(description="условия")
    def conditions_summary(self, rule: RoutingRule) -> str:
        parts = []
        services = [s.code for s in rule.services.all()]
        if services:
            parts.append("услуги: " + ", ".join(services))
        if rule.without_service:
            parts.append("без услуги")
        if rule.channels:
            parts.append("каналы: " + ", ".join(rule.channels))
        if rule.words:
            parts.append("слова: " + ", ".join(rule.words.split()))
        return "; ".join(parts) or "любое обращение"

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).prefetch_related("services")


@admin.register(WorkSchedule)
class WorkScheduleAdmin(admin.ModelAdmin):
    list_display = ("user", "calendar", "follows_calendar", "note")
    autocomplete_fields = ("user",)


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):
    list_display = ("user", "starts_at", "ends_at", "note")
    list_filter = ("user",)
    date_hierarchy = "starts_at"
    autocomplete_fields = ("user",)


@admin.register(Absence)
class AbsenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "starts_on", "ends_on", "note", "created_by")
    list_filter = ("kind", "user")
    date_hierarchy = "starts_on"
    autocomplete_fields = ("user",)
    exclude = ("created_by",)

    def save_model(self, request: HttpRequest, obj: Absence, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)


@admin.register(AwaitingShift)
class AwaitingShiftAdmin(admin.ModelAdmin):
    list_display = ("ticket", "role", "queued_at")
    ordering = ("queued_at",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

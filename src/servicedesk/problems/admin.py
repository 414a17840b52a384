"""Problems, mass incidents and hand-offs in the admin; every save goes through the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.http import HttpRequest, HttpResponseRedirect

from servicedesk.accounts.requests import request_user
from servicedesk.core.errors import DomainError
from servicedesk.problems import services
from servicedesk.problems.models import (
    DevelopmentHandoff,
    MassIncident,
    MassIncidentChild,
    Problem,
    ProblemLink,
)


class _Abort(Exception):
    """A service refused the admin save; the message is already shown."""


def _numbers(raw: str) -> list[str]:
    return [
        part.strip() for part in raw.replace(";", ",").replace(" ", ",").split(",") if part.strip()
    ]


class ProblemForm(forms.ModelForm):
    link_tickets = forms.CharField(
        label="Связать обращения",
        required=False,
        help_text="Номера через запятую, например SD-000123, 124.",
    )
    unlink_tickets = forms.CharField(
        label="Отвязать обращения", required=False, help_text="Номера через запятую."
    )

    class Meta:
        model = Problem
        fields = ["title", "description", "cause", "workaround", "owner", "status"]


class ProblemLinkInline(admin.TabularInline):
    model = ProblemLink
    extra = 0
    fields = ("ticket", "linked_at", "linked_by")
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = "Связанные обращения (изменяются полями выше)"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Problem)
class ProblemAdmin(admin.ModelAdmin):
    form = ProblemForm
    list_display = ("display_number", "title", "status", "owner", "updated_at")
    list_filter = ("status", "owner")
    search_fields = ("title", "description", "cause")
    list_select_related = ("owner",)
    readonly_fields = ("created_at", "updated_at", "resolved_at", "closed_at", "created_by")
    inlines = [ProblemLinkInline]

    def get_fields(self, request: HttpRequest, obj: Problem | None = None) -> list[str]:
        base = ["title", "description", "cause", "workaround", "owner"]
        if obj is None:
            return [*base, "link_tickets"]
        return [*base, "status", "link_tickets", "unlink_tickets", *self.readonly_fields]

    def save_model(self, request: HttpRequest, obj: Problem, form: Any, change: bool) -> None:
        data = form.cleaned_data
        user = request_user(request)
        try:
            if not change:
                created = services.problem_create(
                    actor=user,
                    title=data["title"],
                    description=data.get("description", ""),
                    cause=data.get("cause", ""),
                    workaround=data.get("workaround", ""),
                    owner=data["owner"].username if data.get("owner") else None,
                )
                obj.pk = created.pk
            else:
                values: dict[str, Any] = {}
                for name in ("title", "description", "cause", "workaround"):
                    if name in form.changed_data:
                        values[name] = data.get(name) or ""
                if "owner" in form.changed_data:
                    values["owner"] = data["owner"].username if data.get("owner") else None
                services.problem_update(
                    actor=user, problem_id=obj.pk, patch=services.ProblemPatch(**values)
                )
                if "status" in form.changed_data:
                    services.problem_transition(
                        actor=user, problem_id=obj.pk, status=data["status"]
                    )
            for number in _numbers(data.get("link_tickets") or ""):
                services.problem_link_ticket(actor=user, problem_id=obj.pk, number=number)
            for number in _numbers(data.get("unlink_tickets") or ""):
                services.problem_unlink_ticket(actor=user, problem_id=obj.pk, number=number)
        except DomainError as error:
            messages.error(request, error.message)
            raise _Abort from error

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        formset.save(commit=False)  # the inline is read-only: links change only via services

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().changeform_view(request, *args, **kwargs)
        except _Abort:
            return HttpResponseRedirect(request.path)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # close a problem instead; its incidents keep their history


class MassIncidentForm(forms.ModelForm):
    add_children = forms.CharField(
        label="Добавить дочерние обращения", required=False, help_text="Номера через запятую."
    )

    class Meta:
        model = MassIncident
        fields = ["message"]


class MassChildInline(admin.TabularInline):
    model = MassIncidentChild
    extra = 0
    fields = ("child", "linked_at", "resolved_with_parent_at", "detached_at", "detach_reason")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MassIncident)
class MassIncidentAdmin(admin.ModelAdmin):
    """Mass incidents are made from the API or the workspace; here the text and children."""

    form = MassIncidentForm
    list_display = ("parent", "created_at", "updated_at")
    list_select_related = ("parent",)
    readonly_fields = ("parent", "created_by", "created_at", "updated_at")
    fields = ("parent", "message", "add_children", "created_by", "created_at", "updated_at")
    inlines = [MassChildInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: MassIncident, form: Any, change: bool) -> None:
        data = form.cleaned_data
        user = request_user(request)
        try:
            if "message" in form.changed_data:
                services.mass_incident_set_message(
                    actor=user, parent=obj.parent.number, message=data.get("message") or ""
                )
            children = _numbers(data.get("add_children") or "")
            if children:
                services.mass_incident_link(actor=user, parent=obj.parent.number, children=children)
        except DomainError as error:
            messages.error(request, error.message)
            raise _Abort from error

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        formset.save(commit=False)  # the inline is read-only: children change only via services

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().changeform_view(request, *args, **kwargs)
        except _Abort:
            return HttpResponseRedirect(request.path)


@admin.register(DevelopmentHandoff)
class DevelopmentHandoffAdmin(admin.ModelAdmin):
    """Read-only: hand-offs are made and returned from the API or the ticket page."""

    list_display = (
        "tracker_key",
        "ticket",
        "handed_off_at",
        "handed_off_by",
        "state_updated_at",
        "returned_at",
    )
    list_filter = ("returned_at",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    search_fields = ("tracker_key", "ticket__number", "state_note")
    list_select_related = ("ticket", "handed_off_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

"""Working tickets in the admin: every save and action goes through the ticket services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from servicedesk.accounts.requests import request_user
from servicedesk.core.errors import DomainError
from servicedesk.tickets import services
from servicedesk.tickets.models import Comment, Ticket, TicketEvent, TicketStatus


@admin.register(TicketStatus)
class TicketStatusAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "category", "is_default", "order")
    list_editable = ("order",)


class TicketForm(forms.ModelForm):
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Ticket
        fields = [
            "subject",
            "description",
            "client",
            "channel",
            "outlet",
            "requester",
            "service",
            "line",
            "assignee",
            "role_queue",
            "status",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_version"].initial = self.instance.version


class CommentInline(admin.StackedInline):
    model = Comment
    extra = 1
    fields = ("body", "is_public", "author", "created_at")
    readonly_fields = ("author", "created_at")
    can_delete = False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EventInline(admin.TabularInline):
    model = TicketEvent
    extra = 0
    fields = ("created_at", "type", "actor_label", "data")
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = "История"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _run(request: HttpRequest, queryset: QuerySet[Ticket], label: str, call: Any) -> None:
    done = 0
    for ticket in queryset:
        try:
            call(ticket)
            done += 1
        except DomainError as error:
            messages.error(request, f"{ticket.display_number}: {error.message}")
    if done:
        messages.success(request, f"{label}: {done}")


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    form = TicketForm
    list_display = (
        "display_number",
        "subject",
        "client",
        "service",
        "sla_level",
        "status",
        "assignee",
        "line",
        "created_at",
    )
    list_filter = ("status_category", "service", "client", "line", "channel", "assignee")
    search_fields = ("subject", "number")
    list_select_related = ("client", "service", "sla_level", "status", "assignee")
    readonly_fields = (
        "display_number",
        "version",
        "line_not_in_contract",
        "sla_level",
        "priority_raised",
        "created_at",
        "updated_at",
        "first_reaction_at",
        "resolved_at",
        "closed_at",
    )
    inlines = [CommentInline, EventInline]
    actions = ["take", "resolve", "close", "reopen"]
    autocomplete_fields: tuple[str, ...] = ()

    def get_fields(self, request: HttpRequest, obj: Ticket | None = None) -> list[str]:
        editable = [
            "subject",
            "description",
            "client",
            "channel",
            "outlet",
            "requester",
            "service",
            "line",
            "assignee",
            "role_queue",
        ]
        if obj is None:
            return editable
        return [
            "display_number",
            "seen_version",
            *[f for f in editable if f != "client"],
            "status",
            *self.readonly_fields[1:],
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Ticket | None = None) -> Any:
        return ("channel", *self.readonly_fields) if obj else ()

    def save_model(self, request: HttpRequest, obj: Ticket, form: Any, change: bool) -> None:
        data = form.cleaned_data
        user = request_user(request)
        try:
            if not change:
                created = services.ticket_create(
                    actor=user,
                    data=services.NewTicket(
                        subject=data["subject"],
                        description=data.get("description", ""),
                        client=data["client"].code,
                        channel=data["channel"],
                        service=data["service"].code if data.get("service") else None,
                        outlet=data["outlet"].code if data.get("outlet") else None,
                        requester_id=data["requester"].pk if data.get("requester") else None,
                        line=data.get("line") or None,
                        assignee=data["assignee"].username if data.get("assignee") else None,
                        role_queue=data.get("role_queue", ""),
                    ),
                )
                obj.pk = created.pk
                obj.number = created.number
                return
            patch = self._patch(form)
            services.ticket_update(
                actor=user,
                number=obj.number,
                version=data.get("seen_version") or obj.version,
                patch=patch,
            )
        except DomainError as error:
            messages.error(request, error.message)
            raise _Abort from error

    def _patch(self, form: Any) -> services.TicketPatch:
        data = form.cleaned_data
        values: dict[str, Any] = {}
        for name in form.changed_data:
            value = data.get(name)
            if name in ("subject", "description", "line", "role_queue"):
                values[name] = value or ""
            elif name in ("outlet", "service", "status"):
                values[name] = value.code if value else None
            elif name == "requester":
                values["requester_id"] = value.pk if value else None
            elif name == "assignee":
                values["assignee"] = value.username if value else None
        return services.TicketPatch(**values)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not Comment:
            return
        ticket = form.instance
        for comment_form in formset.forms:
            body = comment_form.cleaned_data.get("body") if comment_form.has_changed() else None
            if body and not comment_form.instance.pk:
                try:
                    services.ticket_comment(
                        actor=request_user(request),  # type: ignore[arg-type]
                        number=ticket.number,
                        body=body,
                        is_public=comment_form.cleaned_data.get("is_public", True),
                        channel="api",
                    )
                except DomainError as error:
                    messages.error(request, error.message)

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().changeform_view(request, *args, **kwargs)
        except _Abort:
            from django.http import HttpResponseRedirect

            return HttpResponseRedirect(request.path)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # tickets are never deleted; cancel or anonymise instead

    @admin.action(description="Взять в работу")
    def take(self, request: HttpRequest, queryset: QuerySet[Ticket]) -> None:
        _run(
            request,
            queryset,
            "Взято",
            lambda t: services.ticket_take(actor=request_user(request), number=t.number),
        )

    @admin.action(description="Решить")
    def resolve(self, request: HttpRequest, queryset: QuerySet[Ticket]) -> None:
        _run(
            request,
            queryset,
            "Решено",
            lambda t: services.ticket_transition(
                actor=request_user(request), number=t.number, status="resolved"
            ),
        )

    @admin.action(description="Закрыть")
    def close(self, request: HttpRequest, queryset: QuerySet[Ticket]) -> None:
        _run(
            request,
            queryset,
            "Закрыто",
            lambda t: services.ticket_transition(
                actor=request_user(request), number=t.number, status="closed"
            ),
        )

    @admin.action(description="Вернуть в работу")
    def reopen(self, request: HttpRequest, queryset: QuerySet[Ticket]) -> None:
        _run(
            request,
            queryset,
            "Возвращено",
            lambda t: services.ticket_transition(
                actor=request_user(request), number=t.number, status="open"
            ),
        )


class _Abort(Exception):
    """A service refused the admin save; the message is already shown."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from servicedesk.accounts.models import User
from servicedesk.accounts.roles import Capability
from servicedesk.classification.models import ClassifierModel, ClassifierSettings, ServiceLabel
from servicedesk.classification.services import classification_activate, classification_reset_cache
from servicedesk.core.errors import DomainError


def _may(request: HttpRequest, capability: Capability) -> bool:
    user = request.user
    return isinstance(user, User) and user.is_support_staff and user.can(capability)


class _RoleAdmin(admin.ModelAdmin):
    """Rights from the roles (SPEC §3), not from per-model permissions: every staff member
    sees how the classifier is set up and what it learnt; configuring it is the head's."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _may(request, Capability.WORK_TICKETS) or super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return _may(request, Capability.WORK_TICKETS) or super().has_view_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return _may(request, Capability.CONFIGURE) or super().has_change_permission(request, obj)


@admin.register(ClassifierSettings)
class ClassifierSettingsAdmin(_RoleAdmin):
    list_display = ("__str__", "enabled", "auto_apply_threshold", "retrain_weekday")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _may(request, Capability.CONFIGURE) and not ClassifierSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        # This process sees the change at once; the others within a few seconds.
        classification_reset_cache()


@admin.register(ClassifierModel)
class ClassifierModelAdmin(_RoleAdmin):
    list_display = (
        "version",
        "is_active",
        "trained_at",
        "training_size",
        "seed_count",
        "label_count",
        "ticket_count",
        "duration_seconds",
        "accuracy",
        "top3_accuracy",
        "actor_label",
    )
    list_filter = ("is_active",)
    readonly_fields = [field.name for field in ClassifierModel._meta.fields]
    actions = ["activate"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.action(description="Сделать активной (обслуживает подсказки)", permissions=["change"])
    def activate(self, request: HttpRequest, queryset: QuerySet[ClassifierModel]) -> None:
        if queryset.count() != 1:
            messages.error(request, "Выберите ровно одну модель")
            return
        model = queryset.get()
        try:
            classification_activate(model_id=model.pk)
        except DomainError as error:
            messages.error(request, error.message)
            return
        messages.success(request, f"Активна модель {model.version}")


@admin.register(ServiceLabel)
class ServiceLabelAdmin(_RoleAdmin):
    list_display = (
        "updated_at",
        "ticket",
        "suggested",
        "chosen",
        "source",
        "actor",
        "used_in_model",
    )
    list_filter = ("source", "chosen", "suggested", "updated_at")
    list_select_related = ("ticket", "actor", "used_in_model")
    search_fields = ("subject", "text")
    readonly_fields = [field.name for field in ServiceLabel._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

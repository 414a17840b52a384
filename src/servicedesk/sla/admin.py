from django.contrib import admin

from servicedesk.sla.models import (
    EscalationLadder,
    EscalationStep,
    Notification,
    SlaClock,
    SlaClockEntry,
    SlaSettings,
)


@admin.register(SlaSettings)
class SlaSettingsAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return not SlaSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class EscalationStepInline(admin.TabularInline):
    model = EscalationStep
    extra = 0


@admin.register(EscalationLadder)
class EscalationLadderAdmin(admin.ModelAdmin):
    list_display = ("name", "service")
    inlines = [EscalationStepInline]


class EntryInline(admin.TabularInline):
    model = SlaClockEntry
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "at", "target_seconds", "calendar_code", "reason", "actor_label")
    fields = readonly_fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SlaClock)
class SlaClockAdmin(admin.ModelAdmin):
    list_display = ("ticket", "target", "state", "due_at", "breached_at", "calendar")
    list_filter = ("target", "state", "calendar")
    readonly_fields = [f.name for f in SlaClock._meta.fields]
    inlines = [EntryInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "title", "read_at")
    list_filter = ("kind", "read_at")

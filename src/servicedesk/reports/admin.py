"""Closed billing months in the admin, read-only: a closed month never changes."""

from django.contrib import admin

from servicedesk.reports.models import BillingSnapshot, ClosedMonth


class BillingSnapshotInline(admin.TabularInline):
    model = BillingSnapshot
    fields = ("client_name", "l3_minutes", "consultation_minutes", "l1_tickets", "total_amount")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ClosedMonth)
class ClosedMonthAdmin(admin.ModelAdmin):
    list_display = ("month", "closed_at", "closed_by_label")
    readonly_fields = ("month", "closed_at", "closed_by", "closed_by_label")
    inlines = [BillingSnapshotInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

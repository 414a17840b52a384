"""Work time in the admin: read-only lists (changes go through the services and the API)."""

from django.contrib import admin

from servicedesk.worklogs.models import Estimate, WorkLog


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WorkLog)
class WorkLogAdmin(ReadOnlyAdmin):
    list_display = ("ticket", "author", "work_date", "minutes", "billable", "kind", "excess_state")
    list_filter = ("kind", "billable", "excess_state", "line")
    search_fields = ("ticket__number", "author__username", "note")
    date_hierarchy = "work_date"
    list_select_related = ("ticket", "author")


@admin.register(Estimate)
class EstimateAdmin(ReadOnlyAdmin):
    list_display = ("ticket", "hours", "state", "proposed_by", "proposed_at", "decided_by")
    list_filter = ("state",)
    list_select_related = ("ticket", "proposed_by", "decided_by")

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse

from servicedesk.accounts.requests import request_user
from servicedesk.catalog.models import CatalogChange, CatalogSettings, Service, SlaLevel
from servicedesk.catalog.selectors import catalogue_problems
from servicedesk.catalog.services import catalog_apply_impact_mapping


@admin.register(SlaLevel)
class SlaLevelAdmin(admin.ModelAdmin):
    list_display = ("code", "priority", "rank", "reaction_minutes", "resolution_minutes")


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "code",
        "impact",
        "escalation",
        "raise_priority",
        "sla_level",
        "default_line",
        "in_catalogue",
        "in_classifier",
        "is_active",
    )
    list_editable = ("sla_level", "default_line")
    list_filter = ("impact", "sla_level", "default_line", "in_catalogue")
    change_list_template = "admin/catalog/service/change_list.html"

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:  # type: ignore[no-untyped-def]
        extra_context = (extra_context or {}) | {"catalogue_problems": catalogue_problems()}
        return super().changelist_view(request, extra_context)

    def get_urls(self):  # type: ignore[no-untyped-def]
        return [
            path(
                "apply-impact-mapping/",
                self.admin_site.admin_view(self.apply_mapping),
                name="catalog_apply_impact_mapping",
            ),
            *super().get_urls(),
        ]

    def apply_mapping(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST" or not request.user.has_perm("catalog.change_service"):
            messages.error(request, "Недостаточно прав или неверный запрос")
        else:
            changes = catalog_apply_impact_mapping(
                actor=request_user(request),
                actor_label=str(request.user),  # type: ignore[arg-type]
            )
            messages.success(request, f"Уровни SLA приведены к влиянию: изменено {len(changes)}")
        return HttpResponseRedirect(reverse("admin:catalog_service_changelist"))


@admin.register(CatalogSettings)
class CatalogSettingsAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return not CatalogSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(CatalogChange)
class CatalogChangeAdmin(admin.ModelAdmin):
    list_display = ("created_at", "action", "actor_label")
    readonly_fields = ("created_at", "action", "actor", "actor_label", "changes")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

"""Admin: the access log and anonymisation runs (read-only), and a privacy-aware contact page.

The contact page of `accounts` is replaced by a subclass: staff without the personal-data
capability see phones, cards and e-mails masked and read-only; those with it see them in
full, and each opening of the page is written to the access log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from servicedesk.accounts.admin import ContactAdmin
from servicedesk.accounts.models import Contact, ContactCard, ContactEmail, ContactPhone, User
from servicedesk.core.identifiers import mask_tail
from servicedesk.privacy.domain.scrub import mask_email
from servicedesk.privacy.models import AccessPurpose, AnonymisationRun, PersonalDataAccess
from servicedesk.privacy.selectors import may_see_full
from servicedesk.privacy.services import personal_data_viewed


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_label", "contact_id", "field", "purpose", "ip", "request_id")
    list_filter = ("purpose", "field")
    search_fields = ("actor_label", "=contact__id", "request_id")
    date_hierarchy = "at"


@admin.register(AnonymisationRun)
class AnonymisationRunAdmin(ReadOnlyAdmin):
    list_display = (
        "started_at",
        "actor_label",
        "months",
        "cutoff",
        "tickets",
        "comments",
        "events",
        "attachments",
        "contacts",
    )


class _MaskedInline(admin.TabularInline):
    extra = 0
    can_delete = False
    fields = ("masked",)
    readonly_fields = ("masked",)
    verbose_name_plural = ""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MaskedPhoneInline(_MaskedInline):
    model = ContactPhone
    verbose_name_plural = "телефоны (скрыты: нет доступа к персональным данным)"

    @admin.display(description="телефон")
    def masked(self, obj: ContactPhone) -> str:
        return mask_tail(obj.number)


class MaskedCardInline(_MaskedInline):
    model = ContactCard
    verbose_name_plural = "карты (скрыты)"

    @admin.display(description="карта")
    def masked(self, obj: ContactCard) -> str:
        return mask_tail(obj.number)


class MaskedEmailInline(_MaskedInline):
    model = ContactEmail
    verbose_name_plural = "e-mail (скрыты)"

    @admin.display(description="e-mail")
    def masked(self, obj: ContactEmail) -> str:
        return mask_email(obj.address)


def _may_see_full(request: HttpRequest) -> bool:
    return isinstance(request.user, User) and may_see_full(request.user)


class PrivateContactAdmin(ContactAdmin):
    def get_inlines(self, request: HttpRequest, obj: Any) -> Any:
        if _may_see_full(request):
            return super().get_inlines(request, obj)
        return [MaskedPhoneInline, MaskedCardInline, MaskedEmailInline]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        user = request.user
        shown = request.method == "GET" and response.status_code == 200
        if shown and isinstance(user, User) and may_see_full(user):
            contact = Contact.objects.filter(pk=object_id).prefetch_related(
                "phones", "cards", "emails"
            )
            personal_data_viewed(
                actor=user,
                contacts=list(contact),
                purpose=AccessPurpose.ADMIN,
                request=request,
            )
        return response


admin.site.unregister(Contact)
admin.site.register(Contact, PrivateContactAdmin)

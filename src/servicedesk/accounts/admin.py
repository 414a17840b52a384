from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from servicedesk.accounts.models import (
    ApiToken,
    Client,
    Contact,
    ContactCard,
    ContactEmail,
    ContactPhone,
    Contract,
    Emission,
    Outlet,
    OutletPhone,
    User,
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "get_full_name", "email", "client", "role_list", "is_active")
    list_filter = ("groups", "client", "is_active", "is_staff")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Служба поддержки", {"fields": ("client", "phone", "extension")}),
    )

    @admin.display(description="роли")
    def role_list(self, obj: User) -> str:
        return ", ".join(role.label for role in obj.roles) or "—"


class ContractInline(admin.StackedInline):
    model = Contract
    can_delete = False


class EmissionInline(admin.TabularInline):
    model = Emission
    extra = 0


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "is_active")
    search_fields = ("name", "code")
    inlines = [ContractInline, EmissionInline]


class OutletPhoneInline(admin.TabularInline):
    model = OutletPhone
    extra = 0


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "client", "address", "is_active")
    list_filter = ("client", "is_active")
    search_fields = ("name", "code", "address", "phones__number")
    inlines = [OutletPhoneInline]


class ContactPhoneInline(admin.TabularInline):
    model = ContactPhone
    extra = 0


class ContactCardInline(admin.TabularInline):
    model = ContactCard
    extra = 0


class ContactEmailInline(admin.TabularInline):
    model = ContactEmail
    extra = 0


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "client", "outlet")
    list_filter = ("kind", "client")
    search_fields = ("full_name", "phones__number", "cards__number", "emails__address")
    inlines = [ContactPhoneInline, ContactCardInline, ContactEmailInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "user",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    readonly_fields = ("prefix", "created_at", "last_used_at")
    fields = ("user", "name", "prefix", "expires_at", "revoked_at", "created_at", "last_used_at")

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        # Tokens are issued by `manage.py issue_token` or the API, which show the secret once.
        return False

"""Admin for articles (saved through the services: versions and index) and reply templates."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponseRedirect

from servicedesk.accounts.requests import request_user
from servicedesk.core.errors import DomainError
from servicedesk.knowledge import services
from servicedesk.knowledge.models import Article, ArticleAttachment, ArticleVersion, Macro, Section


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("name", "order")
    list_editable = ("order",)


class VersionInline(admin.TabularInline):
    model = ArticleVersion
    extra = 0
    fields = ("number", "title", "author_label", "created_at", "visibility")
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = "История версий"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class FileInline(admin.TabularInline):
    model = ArticleAttachment
    extra = 0
    fields = ("filename", "size", "content_type", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "title",
            "section",
            "visibility",
            "client",
            "services",
            "keywords",
            "body",
            "is_published",
        ]
        widgets = {"services": forms.CheckboxSelectMultiple}


class _Abort(Exception):
    """A service refused the admin save; the message is already shown."""


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ("title", "section", "visibility", "client", "is_published", "version")
    list_filter = ("visibility", "section", "client", "is_published")
    search_fields = ("title", "keywords")
    list_select_related = ("section", "client")
    readonly_fields = ("slug", "version", "updated_at", "updated_by")
    inlines = [VersionInline, FileInline]

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        data = form.cleaned_data
        article_data = services.ArticleData(
            title=data["title"],
            body=data["body"],
            section_id=data["section"].pk,
            visibility=data["visibility"],
            client=data["client"].code if data.get("client") else None,
            services=tuple(s.code for s in data.get("services") or []),
            keywords=data.get("keywords", ""),
            is_published=data.get("is_published", True),
        )
        try:
            if change:
                saved = services.article_update(
                    actor=request_user(request), article_id=obj.pk, data=article_data
                )
            else:
                saved = services.article_create(actor=request_user(request), data=article_data)
        except DomainError as error:
            messages.error(request, error.message)
            raise _Abort from error
        obj.pk = saved.pk

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Services are set by the article service; the inlines are read-only."""

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().changeform_view(request, *args, **kwargs)
        except _Abort:
            return HttpResponseRedirect(request.path)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # unpublish instead: tickets and replies link to articles


class MacroAdminForm(forms.ModelForm):
    class Meta:
        model = Macro
        fields = [
            "name",
            "body",
            "is_public",
            "set_status",
            "set_service",
            "role",
            "owner",
            "is_active",
            "order",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("owner") and data.get("role"):
            raise forms.ValidationError("Личный шаблон не привязывается к роли")
        try:
            services.macro_validate(
                body=data.get("body", ""), set_status=data.get("set_status", "")
            )
        except DomainError as error:
            raise forms.ValidationError(error.message) from error
        return data


@admin.register(Macro)
class MacroAdmin(admin.ModelAdmin):
    form = MacroAdminForm
    list_display = ("name", "scope_label", "set_status", "set_service", "is_public", "is_active")
    list_filter = ("role", "is_active", "is_public")
    search_fields = ("name", "body")
    list_select_related = ("set_service", "owner")

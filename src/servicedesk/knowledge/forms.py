"""The article form of the staff pages (the services validate again)."""

from __future__ import annotations

from typing import Any

from django import forms

from servicedesk.accounts.models import Client
from servicedesk.catalog.models import Service
from servicedesk.knowledge.models import Article, Section, Visibility
from servicedesk.knowledge.services import ArticleData


class ArticleForm(forms.Form):
    title = forms.CharField(label="Заголовок", max_length=250)
    section = forms.ModelChoiceField(label="Раздел", queryset=Section.objects.all())
    visibility = forms.ChoiceField(
        label="Кто видит", choices=Visibility.choices, initial=Visibility.INTERNAL
    )
    client = forms.ModelChoiceField(
        label="Клиент",
        queryset=Client.objects.filter(is_active=True),
        required=False,
        empty_label="Все клиенты (общая статья)",
    )
    services = forms.ModelMultipleChoiceField(
        label="Услуги",
        queryset=Service.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    keywords = forms.CharField(label="Ключевые слова", max_length=500, required=False)
    body = forms.CharField(label="Текст (Markdown)", widget=forms.Textarea(attrs={"rows": 18}))
    is_published = forms.BooleanField(label="Опубликована", required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @classmethod
    def for_article(cls, article: Article) -> ArticleForm:
        return cls(
            initial={
                "title": article.title,
                "section": article.section_id,
                "visibility": article.visibility,
                "client": article.client_id,
                "services": list(article.services.all()),
                "keywords": article.keywords,
                "body": article.body,
                "is_published": article.is_published,
                "version": article.version,
            }
        )

    def data_for_service(self) -> ArticleData:
        data: dict[str, Any] = self.cleaned_data
        return ArticleData(
            title=data["title"],
            body=data["body"],
            section_id=data["section"].pk,
            visibility=data["visibility"],
            client=data["client"].code if data["client"] else None,
            services=tuple(service.code for service in data["services"]),
            keywords=data["keywords"],
            is_published=data["is_published"],
        )

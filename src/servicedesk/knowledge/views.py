"""Knowledge base pages: browse and search, read, write, history, files, suggestions."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from servicedesk.accounts.models import Client, User
from servicedesk.catalog.models import Service
from servicedesk.core.errors import DomainError, NotFound
from servicedesk.core.options import desk_options
from servicedesk.knowledge import selectors, services
from servicedesk.knowledge.forms import ArticleForm
from servicedesk.knowledge.models import Article, Visibility
from servicedesk.knowledge.rendering import render_markdown

View = Callable[..., HttpResponseBase]


def staff_only(view: View) -> View:
    """Let support staff in; send guests to the login page and refuse everyone else."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (isinstance(user, User) and user.is_support_staff):
            raise Http404("Страница не найдена")
        return view(request, *args, **kwargs)

    return wrapper


def not_found_as_404(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except NotFound as error:
            raise Http404(error.message) from error

    return wrapper


def _reader(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_active else None


def _is_staff(request: HttpRequest) -> bool:
    reader = _reader(request)
    return reader is not None and reader.is_support_staff


def article_link(article: Article) -> str:
    """Return the address to give a requester: the public page when there is one."""
    site = desk_options().site_url
    if article.visibility == Visibility.PUBLIC and article.is_published:
        return site + reverse("knowledge:public", args=[article.slug])
    return site + reverse("knowledge:detail", args=[article.pk])


@require_GET
def kb_index(request: HttpRequest) -> HttpResponse:
    """List the reader's articles by section, or search them when `q` is given."""
    reader = _reader(request)
    query = request.GET.get("q", "").strip()[:500]
    client = request.GET.get("client", "") if _is_staff(request) else ""
    context: dict[str, Any] = {
        "query": query,
        "is_staff": _is_staff(request),
        "client": client,
        "clients": Client.objects.filter(is_active=True) if _is_staff(request) else [],
    }
    if query:
        context["hits"] = selectors.search_articles(reader, query, client=client or None)
    else:
        context["articles"] = selectors.article_list(reader, client=client or None)
    template = "knowledge/article_list.html"
    if getattr(request, "htmx", False):
        template += "#results"
    return render(request, template, context)


@require_GET
@not_found_as_404
def article_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    article = selectors.access_article(_reader(request), article_id)
    return render(
        request,
        "knowledge/article_detail.html",
        {
            "article": article,
            "html": render_markdown(article.body),
            "is_staff": _is_staff(request),
            "link": article_link(article),
        },
    )


@require_GET
@not_found_as_404
def article_public(request: HttpRequest, slug: str) -> HttpResponse:
    """A public article for guests: no login, no staff details."""
    article = selectors.public_article(slug)
    return render(
        request,
        "knowledge/article_public.html",
        {"article": article, "html": render_markdown(article.body)},
    )


def _save(request: HttpRequest, form: ArticleForm, article_id: int | None) -> HttpResponse | None:
    if not form.is_valid():
        return None
    actor = _reader(request)
    try:
        if article_id is None:
            article = services.article_create(actor=actor, data=form.data_for_service())
        else:
            article = services.article_update(
                actor=actor,
                article_id=article_id,
                data=form.data_for_service(),
                expected_version=form.cleaned_data.get("version"),
            )
    except DomainError as error:
        form.add_error(None, error.message)
        return None
    return redirect("knowledge:detail", article.pk)


@staff_only
@require_http_methods(["GET", "POST"])
def article_new(request: HttpRequest) -> HttpResponse:
    form = ArticleForm(request.POST or None)
    if request.method == "POST" and (done := _save(request, form, None)):
        return done
    return render(request, "knowledge/article_edit.html", {"form": form, "article": None})


@staff_only
@require_http_methods(["GET", "POST"])
@not_found_as_404
def article_edit(request: HttpRequest, article_id: int) -> HttpResponse:
    article = selectors.access_article(_reader(request), article_id)
    form = (
        ArticleForm(request.POST) if request.method == "POST" else ArticleForm.for_article(article)
    )
    if request.method == "POST" and (done := _save(request, form, article.pk)):
        return done
    return render(request, "knowledge/article_edit.html", {"form": form, "article": article})


@staff_only
@require_POST
def article_preview(request: HttpRequest) -> HttpResponse:
    """Render the Markdown being typed (htmx), sanitised exactly like the saved article."""
    return HttpResponse(render_markdown(request.POST.get("body", "")[:200_000]))


@staff_only
@require_GET
@not_found_as_404
def article_history(request: HttpRequest, article_id: int) -> HttpResponse:
    reader = _reader(request)
    versions = list(selectors.article_versions(reader, article_id).select_related("author"))
    return render(
        request,
        "knowledge/article_history.html",
        {"article": selectors.access_article(reader, article_id), "versions": versions},
    )


@staff_only
@require_GET
@not_found_as_404
def article_version(request: HttpRequest, article_id: int, number: int) -> HttpResponse:
    reader = _reader(request)
    version = selectors.article_version(reader, article_id, number)
    return render(
        request,
        "knowledge/article_version.html",
        {
            "article": selectors.access_article(reader, article_id),
            "version": version,
            "html": render_markdown(version.body),
        },
    )


def _int(value: str | None, default: int) -> int:
    return int(value) if value and value.isdigit() else default


@staff_only
@require_GET
@not_found_as_404
def article_diff(request: HttpRequest, article_id: int) -> HttpResponse:
    """Show what changed between two versions, line by line (escaped by the template)."""
    reader = _reader(request)
    article = selectors.access_article(reader, article_id)
    old_number = _int(request.GET.get("a"), max(article.version - 1, 1))
    new_number = _int(request.GET.get("b"), article.version)
    old = selectors.article_version(reader, article_id, old_number)
    new = selectors.article_version(reader, article_id, new_number)
    lines = list(
        difflib.unified_diff(
            f"# {old.title}\n{old.body}".splitlines(),
            f"# {new.title}\n{new.body}".splitlines(),
            f"v{old.number}",
            f"v{new.number}",
            lineterm="",
        )
    )
    return render(
        request,
        "knowledge/article_diff.html",
        {"article": article, "old": old, "new": new, "lines": lines},
    )


@staff_only
@require_POST
@not_found_as_404
def article_upload(request: HttpRequest, article_id: int) -> HttpResponse:
    upload = request.FILES.get("file")
    actor = _reader(request)
    if upload is not None and actor is not None:
        try:
            services.article_attach(
                actor=actor,
                article_id=article_id,
                content=upload.open("rb"),
                filename=upload.name or "",
                content_type=upload.content_type or "",
                size=upload.size or 0,
            )
        except DomainError as error:
            return HttpResponse(error.message, status=422)
    return redirect("knowledge:detail", article_id)


@require_GET
@not_found_as_404
def file_download(request: HttpRequest, file_id: int) -> HttpResponseBase:
    """Serve an article's file to those who may read the article (guests: public ones)."""
    attachment = selectors.access_article_file(_reader(request), file_id)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _code(model: type[Client] | type[Service], value: str) -> str | None:
    """Accept a code or a numeric id from the host page's select; return the code."""
    value = value.strip()
    if value.isdigit():
        return model.objects.filter(pk=int(value)).values_list("code", flat=True).first()
    return value or None


@require_GET
def suggest(request: HttpRequest) -> HttpResponse:
    """The suggestion list (htmx partial): articles for this client, service and text."""
    hits = selectors.suggest_articles(
        _reader(request),
        _code(Client, request.GET.get("client", "")),
        _code(Service, request.GET.get("service", "")),
        request.GET.get("q", "")[:2000],
        limit=_int(request.GET.get("limit"), 5),
    )
    rows = [{"hit": hit, "link": article_link(hit.article)} for hit in hits]
    return render(request, "knowledge/suggest.html", {"rows": rows})


@staff_only
@require_POST
def record_usage(request: HttpRequest) -> HttpResponse:
    """Note on the ticket which article went into the reply (called by the widget)."""
    actor = _reader(request)
    if actor is None:
        raise Http404
    try:
        services.kb_record_usage(
            ticket=request.POST.get("ticket", ""),
            article=_int(request.POST.get("article"), 0),
            actor=actor,
            mode=request.POST.get("mode", ""),
        )
    except DomainError as error:
        return HttpResponse(error.message, status=error.status_code)
    return HttpResponse(status=204)

"""Views that belong to no single domain."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect


def home(request: HttpRequest) -> HttpResponse:
    """Send people to the place they work in (the admin until the workspace lands)."""
    return redirect("admin:index")


def healthz(request: HttpRequest) -> JsonResponse:
    """Answer that the process is up (no database access)."""
    return JsonResponse({"status": "ok"})

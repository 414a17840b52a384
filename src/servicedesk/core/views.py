"""Views that belong to no single domain."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse


def healthz(request: HttpRequest) -> JsonResponse:
    """Answer that the process is up (no database access)."""
    return JsonResponse({"status": "ok"})

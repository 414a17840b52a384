"""Operational endpoints: readiness and metrics (liveness is core's /healthz)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from servicedesk.ops.metrics import metrics_view
from servicedesk.ops.selectors import readiness

__all__ = ["metrics_view", "readyz"]


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Answer 200 when the database, Redis (if configured) and a worker are all fine, else 503."""
    checks = readiness()
    ok = all(check.ok for check in checks.values())
    body = {
        "status": "ok" if ok else "fail",
        "checks": {name: check.as_dict() for name, check in checks.items()},
    }
    return JsonResponse(body, status=200 if ok else 503, json_dumps_params={"ensure_ascii": False})

"""JSON renderer: Cyrillic as is, instants in the desk's time zone with their offset."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder


class LocalTimeEncoder(NinjaJSONEncoder):
    """Write aware datetimes as ISO 8601 in the display zone: `2026-11-30T11:30:00+03:00`."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime) and timezone.is_aware(o):
            return timezone.localtime(o).isoformat()
        return super().default(o)


class ReadableJSONRenderer(JSONRenderer):
    media_type = "application/json"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        return json.dumps(data, cls=LocalTimeEncoder, ensure_ascii=False)

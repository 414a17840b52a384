"""Product options as one typed object, read from Django settings once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.conf import settings


@dataclass(frozen=True)
class DeskOptions:
    """Deployment-level product options (behaviour editable by the head lives in models)."""

    ticket_number_prefix: str
    attachment_max_bytes: int
    site_url: str


@cache
def desk_options() -> DeskOptions:
    """Return the options; tests that change settings call `desk_options.cache_clear()`."""
    return DeskOptions(
        ticket_number_prefix=settings.TICKET_NUMBER_PREFIX,
        attachment_max_bytes=settings.ATTACHMENT_MAX_BYTES,
        site_url=settings.SITE_URL,
    )

"""Start-up configuration checks of the catalogue (Django check framework)."""

from __future__ import annotations

from typing import Any

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError


@register(Tags.database)
def check_catalogue(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[Warning]:
    """Report SLA/impact contradictions and services the catalogue does not describe."""
    from servicedesk.catalog.selectors import catalogue_problems

    if not databases:
        return []  # like Django's own database checks: only when a database is named
    try:
        problems = catalogue_problems()
    except DatabaseError:
        return []  # not migrated yet: nothing to check
    return [Warning(p.message, hint=p.hint, id=p.check_id) for p in problems]

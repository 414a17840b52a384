"""Background work of the privacy capability: the daily anonymisation of old tickets."""

from __future__ import annotations

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task

from servicedesk.privacy.services import anonymise_closed


@db_periodic_task(crontab(hour="3", minute="17"))
def anonymise_closed_daily() -> None:
    """Anonymise guest data of tickets closed more than PERSONAL_DATA_RETENTION_MONTHS ago."""
    with HUEY.lock_task("privacy-anonymise-closed"):
        anonymise_closed(
            months=settings.PERSONAL_DATA_RETENTION_MONTHS, actor_label="Планировщик (ежедневно)"
        )

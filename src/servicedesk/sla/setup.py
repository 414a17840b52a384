"""The SLA defaults of a fresh desk: calendars, settings and the default escalation ladder."""

from __future__ import annotations

from django.db import transaction

from servicedesk.accounts.roles import Role
from servicedesk.calendars.models import Calendar
from servicedesk.calendars.services import (
    FIVE_TWO_CODE,
    ROUND_THE_CLOCK_CODE,
    calendars_load_plastek,
)
from servicedesk.sla.models import EscalationLadder, EscalationStep, Recipient, SlaSettings

# SPEC §6: 75 % → the assignee; breach → the service manager; 150 % → the head. The last
# two only for services whose catalogue row says escalation = да.
DEFAULT_LADDER = (
    (75, Recipient.ASSIGNEE, "", False),
    (100, Recipient.ROLE, Role.SERVICE_MANAGER.value, True),
    (150, Recipient.ROLE, Role.HEAD.value, True),
)


@transaction.atomic
def sla_load_defaults() -> str:
    """Create the calendars, the SLA settings row and the default ladder if missing."""
    calendars_load_plastek()
    SlaSettings.objects.get_or_create(
        pk=1,
        defaults={
            "default_calendar": Calendar.objects.get(code=FIVE_TWO_CODE),
            "round_the_clock_calendar": Calendar.objects.get(code=ROUND_THE_CLOCK_CODE),
        },
    )
    ladder, created = EscalationLadder.objects.get_or_create(
        service=None, defaults={"name": "По умолчанию"}
    )
    if created:
        for percent, recipient, role, only_if in DEFAULT_LADDER:
            EscalationStep.objects.create(
                ladder=ladder,
                percent=percent,
                recipient=recipient,
                role=role,
                only_if_escalation=only_if,
            )
    return "лестница эскалации создана" if created else "уже настроено"

"""The statuses a fresh desk starts with; the head may rename them or add more."""

from __future__ import annotations

from servicedesk.tickets.domain.statuses import StatusCategory
from servicedesk.tickets.models import TicketStatus

DEFAULT_STATUSES = (
    ("new", "Новое", StatusCategory.NEW),
    ("open", "В работе", StatusCategory.OPEN),
    ("pending_requester", "Ожидает ответа заявителя", StatusCategory.PENDING_REQUESTER),
    ("pending_development", "Передано в разработку", StatusCategory.PENDING_DEVELOPMENT),
    ("resolved", "Решено", StatusCategory.RESOLVED),
    ("closed", "Закрыто", StatusCategory.CLOSED),
    ("cancelled", "Отменено", StatusCategory.CANCELLED),
)


def load_default_statuses() -> int:
    """Create the missing default statuses; return how many were created."""
    created = 0
    for order, (code, name, category) in enumerate(DEFAULT_STATUSES, start=1):
        _, was_created = TicketStatus.objects.get_or_create(
            code=code,
            defaults={"name": name, "category": category.value, "is_default": True, "order": order},
        )
        created += was_created
    return created

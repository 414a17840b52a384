"""Recording which article an agent put into a reply on a ticket."""

from __future__ import annotations

from django.db import transaction

from servicedesk.accounts.models import User
from servicedesk.core.errors import ValidationFailed
from servicedesk.knowledge.models import ArticleUsage, UsageMode
from servicedesk.knowledge.selectors import access_article
from servicedesk.tickets.domain.events import TicketEventType
from servicedesk.tickets.models import TicketEvent
from servicedesk.tickets.services import ticket_note_event


@transaction.atomic
def kb_record_usage(*, ticket: str | int, article: int, actor: User, mode: str) -> TicketEvent:
    """Note on the ticket that `article` was inserted as a link or as text.

    The history shows it ("Использована статья базы знаний"), the article's use count
    grows, and the ticket's version stays the same (the agent is still writing).
    """
    if mode not in UsageMode.values:
        raise ValidationFailed("Режим: link или text", field="mode")
    found = access_article(actor, article)
    event = ticket_note_event(
        actor=actor,
        number=ticket,
        event_type=TicketEventType.KNOWLEDGE_USED,
        data={"article_id": found.pk, "title": found.title, "mode": mode},
    )
    ArticleUsage.objects.create(
        article=found, ticket=event.ticket, actor=actor, mode=mode, created_at=event.created_at
    )
    return event

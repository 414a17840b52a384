"""Merging a duplicate into the ticket that stays."""

from __future__ import annotations

from django.db import transaction
from django.utils import formats, timezone

from servicedesk.accounts.models import User
from servicedesk.core.errors import ValidationFailed
from servicedesk.tickets.domain.events import TicketEventType
from servicedesk.tickets.domain.statuses import StatusCategory
from servicedesk.tickets.models import Channel, Comment, Ticket
from servicedesk.tickets.numbers import parse_ticket_number
from servicedesk.tickets.selectors import default_status
from servicedesk.tickets.services import rules
from servicedesk.tickets.services.change import TicketChange, begin_change, finish_change
from servicedesk.tickets.services.workflow import apply_status


def _merged_note(source: Ticket) -> str:
    """Return the internal note that carries the duplicate's text into the target."""
    parts = [
        f"Присоединён дубликат {source.display_number} «{source.subject}»"
        f" (заявитель: {source.requester or source.requester_user or '—'}).",
    ]
    if source.description:
        parts.append(f"Описание:\n{source.description}")
    for comment in source.comments.select_related("author", "author_contact"):
        when = formats.date_format(timezone.localtime(comment.created_at), "d.m.Y H:i")
        kind = "ответ" if comment.is_public else "заметка"
        parts.append(f"[{when}, {comment.author_label}, {kind}]\n{comment.body}")
    files = source.attachments.count()
    if files:
        parts.append(f"Вложения ({files}) остаются в {source.display_number}.")
    return "\n\n".join(parts)


def _lock_both(
    actor: User, source: int, target: int, expected_version: int | None
) -> tuple[TicketChange, TicketChange]:
    # Lock in number order so two merges of the same pair cannot deadlock.
    if source < target:
        source_change = begin_change(actor=actor, number=source, expected_version=expected_version)
        target_change = begin_change(actor=actor, number=target, expected_version=None)
    else:
        target_change = begin_change(actor=actor, number=target, expected_version=None)
        source_change = begin_change(actor=actor, number=source, expected_version=expected_version)
    return source_change, target_change


@transaction.atomic
def ticket_merge(
    *,
    actor: User,
    source: str | int,
    target: str | int,
    expected_version: int | None = None,
) -> Ticket:
    """Close `source` as a duplicate of `target`; return the target.

    The duplicate's description and conversation are copied into the target as one
    internal note (another requester's words are not shown to this one), the duplicate
    is cancelled with the reason «Дубликат SD-…», and both histories record the merge.
    """
    rules.require_staff(actor, "Объединение обращений")
    source_number, target_number = parse_ticket_number(source), parse_ticket_number(target)
    if source_number == target_number:
        raise ValidationFailed("Нельзя объединить обращение с самим собой", field="target")
    source_change, target_change = _lock_both(actor, source_number, target_number, expected_version)
    duplicate, kept = source_change.ticket, target_change.ticket
    if duplicate.client_id != kept.client_id:
        raise ValidationFailed(
            f"{kept.display_number} относится к клиенту «{kept.client.name}», а дубликат —"
            f" к «{duplicate.client.name}»: объединять можно только обращения одного клиента",
            field="target",
        )
    if not StatusCategory(duplicate.status_category).is_active:
        raise ValidationFailed(
            f"{duplicate.display_number} уже в статусе «{duplicate.status.name}»", field="target"
        )
    if StatusCategory(kept.status_category) in (StatusCategory.CLOSED, StatusCategory.CANCELLED):
        raise ValidationFailed(
            f"{kept.display_number} уже в статусе «{kept.status.name}»: выберите открытое",
            field="target",
        )
    note = Comment.objects.create(
        ticket=kept,
        author=actor,
        body=_merged_note(duplicate),
        is_public=False,
        channel=Channel.PORTAL,
        created_at=target_change.at,
    )
    target_change.record(
        TicketEventType.COMMENTED, {"public": False, "channel": Channel.PORTAL}, comment=note
    )
    target_change.record(
        TicketEventType.MERGED, {"from": duplicate.display_number, "from_number": duplicate.number}
    )
    apply_status(
        source_change,
        default_status(StatusCategory.CANCELLED),
        reason=f"Дубликат {kept.display_number}",
    )
    source_change.record(
        TicketEventType.MERGED, {"into": kept.display_number, "into_number": kept.number}
    )
    finish_change(source_change)
    return finish_change(target_change)

"""Replies, internal notes and attached files."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

from django.core.files.base import File

from servicedesk.accounts.models import Contact, User
from servicedesk.core.deferred import insert_rows
from servicedesk.core.errors import Forbidden, ValidationFailed
from servicedesk.core.options import desk_options
from servicedesk.core.stored_files import remember_written
from servicedesk.core.transactions import service_atomic
from servicedesk.security.uploads import check_upload
from servicedesk.tickets.domain.events import TicketEventType
from servicedesk.tickets.domain.statuses import StatusCategory
from servicedesk.tickets.models import Attachment, Channel, Comment
from servicedesk.tickets.selectors import default_status
from servicedesk.tickets.services import rules
from servicedesk.tickets.services.change import TicketChange, begin_change, finish_change
from servicedesk.tickets.services.workflow import apply_status, mark_reaction

FILENAME_MAX = 255


def _requester_answered(change: TicketChange) -> None:
    """Put the ticket back into work when the requester answers or objects to a resolution."""
    category = change.ticket.status_category
    if category in (StatusCategory.PENDING_REQUESTER, StatusCategory.RESOLVED):
        apply_status(change, default_status(StatusCategory.OPEN), reason="Ответ заявителя")


def apply_comment(
    change: TicketChange,
    *,
    body: str,
    is_public: bool = True,
    channel: str = Channel.API,
    author_contact: Contact | None = None,
) -> Comment:
    """Add a reply or note to a change in progress (for services that compose several edits)."""
    actor = change.actor
    text = rules.require_text(
        body, field="body", label="Текст", maximum=rules.TEXT_MAX, required=True
    )
    if actor is not None and actor.client_id is not None and not is_public:
        raise Forbidden("Пользователь клиента не может оставлять внутренние заметки")
    if change.ticket.status_category in (StatusCategory.CLOSED, StatusCategory.CANCELLED):
        raise ValidationFailed("Обращение закрыто: создайте новое обращение", field="body")
    comment = Comment.objects.create(
        ticket=change.ticket,
        author=actor,
        author_contact=author_contact,
        body=text,
        is_public=is_public,
        channel=channel,
        created_at=change.at,
    )
    change.record(
        TicketEventType.COMMENTED, {"public": is_public, "channel": channel}, comment=comment
    )
    from_staff = actor is not None and actor.is_support_staff
    if from_staff and is_public:
        mark_reaction(change)
    elif not from_staff and is_public:
        # Only a reply the requester can see is an answer; a system note never reopens.
        _requester_answered(change)
    return comment


@service_atomic
def ticket_comment(
    *,
    actor: User | None,
    number: str | int,
    body: str,
    is_public: bool = True,
    channel: str = Channel.API,
    author_contact: Contact | None = None,
    expected_version: int | None = None,
    system_label: str = "Система",
    files: Sequence[tuple[NewFile, str]] = (),
) -> Comment:
    """Add a public reply or an internal note; a staff reply counts as the first reaction.

    `files` (checked by `check_file`) are stored with the comment in the same change.
    """
    rules.require_text(body, field="body", label="Текст", maximum=rules.TEXT_MAX, required=True)
    if actor is not None and actor.client_id is not None and not is_public:
        raise Forbidden("Пользователь клиента не может оставлять внутренние заметки")
    change = begin_change(
        actor=actor, number=number, expected_version=expected_version, system_label=system_label
    )
    comment = apply_comment(
        change, body=body, is_public=is_public, channel=channel, author_contact=author_contact
    )
    for file, name in files:
        apply_attachment(change, file, name, comment)
    finish_change(change)
    return comment


def _validated_upload(filename: str, size: int) -> str:
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if char.isprintable()).strip()  # no NUL, no controls
    if not name:
        raise ValidationFailed("У файла нет имени", field="file")
    if len(name) > FILENAME_MAX:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[: FILENAME_MAX - len(suffix) - 1] + dot + suffix) if dot else name[:255]
    limit = desk_options().attachment_max_bytes
    if size > limit:
        raise ValidationFailed(
            f"Файл «{name}» больше допустимых {limit // (1024 * 1024)} МБ", field="file"
        )
    if size == 0:
        raise ValidationFailed(f"Файл «{name}» пустой", field="file")
    return name


@dataclass(frozen=True)
class NewFile:
    """A file to attach: its bytes, the name and type it came with, who may see it."""

    content: IO[bytes]
    filename: str
    content_type: str
    size: int
    is_public: bool = True
    # The name in storage when these bytes are already there (the raw .eml that mail
    # intake keeps in its log): the attachment points at it instead of writing a copy.
    stored_as: str | None = None


def check_file(actor: User | None, file: NewFile) -> str:
    """Validate a file before any write; return the name it will be stored under."""
    name = _validated_upload(file.filename, file.size)
    check_upload(filename=name, head=file.content.read(8))
    file.content.seek(0)
    if actor is not None and actor.client_id is not None and not file.is_public:
        raise Forbidden("Пользователь клиента не может прикладывать внутренние файлы")
    return name


def apply_attachment(
    change: TicketChange, file: NewFile, name: str, comment: Comment | None
) -> Attachment:
    """Store a checked file with the ticket of an open change and record it."""
    content = file.content
    digest = hashlib.sha256()
    for chunk in iter(lambda: content.read(1024 * 1024), b""):
        digest.update(chunk)
    content.seek(0)
    attachment = Attachment(
        ticket=change.ticket,
        comment=comment,
        filename=name,
        content_type=(file.content_type or "application/octet-stream")[:150],
        size=file.size,
        sha256=digest.hexdigest(),
        is_public=file.is_public,
        uploaded_by=change.actor,
        created_at=change.at,
    )
    if file.stored_as:
        attachment.file.name = file.stored_as
    else:
        attachment.file.save(name, File(content), save=False)
        remember_written(attachment.file.name)  # deleted if the change is rolled back
    insert_rows(Attachment, [attachment])
    change.record(
        TicketEventType.ATTACHMENT_ADDED,
        {
            "filename": name,
            "size": file.size,
            "content_type": attachment.content_type,
            "public": file.is_public,
        },
    )
    return attachment


@service_atomic
def ticket_attach_many(
    *,
    actor: User | None,
    number: str | int,
    files: list[tuple[NewFile, str]],
    comment: Comment | None = None,
    system_label: str = "Система",
) -> list[Attachment]:
    """Store several checked files (see `check_file`) in one change: one version, one lock."""
    if not files:
        return []
    change = begin_change(
        actor=actor, number=number, expected_version=None, system_label=system_label
    )
    stored = [apply_attachment(change, file, name, comment) for file, name in files]
    finish_change(change)
    return stored


@service_atomic
def ticket_attach(
    *,
    actor: User | None,
    number: str | int,
    content: IO[bytes],
    filename: str,
    content_type: str,
    size: int,
    is_public: bool = True,
    comment: Comment | None = None,
    system_label: str = "Система",
) -> Attachment:
    """Store a file with the ticket (outside the web root) and record it in the history."""
    file = NewFile(content, filename, content_type, size, is_public)
    name = check_file(actor, file)
    return ticket_attach_many(
        actor=actor,
        number=number,
        files=[(file, name)],
        comment=comment,
        system_label=system_label,
    )[0]

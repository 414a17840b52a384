"""A reply or note together with its files, as one write."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

from django.db import transaction

from servicedesk.accounts.models import Contact, User
from servicedesk.core.errors import ValidationFailed
from servicedesk.tickets.models import Channel, Comment
from servicedesk.tickets.services.comments import _validated_upload, ticket_attach, ticket_comment


@dataclass(frozen=True)
class Upload:
    """A file a person sent with a reply, not yet stored."""

    content: IO[bytes]
    filename: str
    content_type: str
    size: int


@transaction.atomic
def ticket_reply(
    *,
    actor: User | None,
    number: str | int,
    body: str,
    files: Sequence[Upload] = (),
    is_public: bool = True,
    channel: str = Channel.PORTAL,
    author_contact: Contact | None = None,
    expected_version: int | None = None,
    system_label: str = "Система",
) -> Comment | None:
    """Add a reply (or internal note) and its files; all of it is stored or none of it.

    Files alone, without text, are attached to the ticket and no comment is written.
    """
    if not body.strip() and not files:
        raise ValidationFailed("Напишите текст или приложите файл", field="body")
    for upload in files:  # refuse a bad file before anything is written
        _validated_upload(upload.filename, upload.size)
    comment = None
    if body.strip():
        comment = ticket_comment(
            actor=actor,
            number=number,
            body=body,
            is_public=is_public,
            channel=channel,
            author_contact=author_contact,
            expected_version=expected_version,
            system_label=system_label,
        )
    for upload in files:
        ticket_attach(
            actor=actor,
            number=number,
            content=upload.content,
            filename=upload.filename,
            content_type=upload.content_type,
            size=upload.size,
            is_public=is_public,
            comment=comment,
            system_label=system_label,
        )
    return comment

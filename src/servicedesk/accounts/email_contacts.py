"""Contacts found by e-mail address: who wrote to the desk, or a new guest for that address."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError

from servicedesk.accounts.models import Client, Contact, ContactEmail, ContactKind
from servicedesk.core.batch import BatchMemo
from servicedesk.core.deferred import insert_rows
from servicedesk.core.errors import ValidationFailed
from servicedesk.core.queries import unique_row
from servicedesk.core.transactions import inside_rolled_back_whole, service_block

MAX_ADDRESS_LENGTH = 254


def normalise_email(raw: str | None) -> str | None:
    """Return the address lower-cased without brackets or spaces, or None if it is not one.

    `<Ivan.Petrov@Shop.RU>` and `ivan.petrov@shop.ru ` are the same contact.
    """
    if not raw:
        return None
    address = raw.strip().strip("<>").strip().lower()
    if not address or len(address) > MAX_ADDRESS_LENGTH:
        return None
    try:
        validate_email(address)
    except ValidationError:
        return None
    return address


# Inside `contacts_remembered`: the owners of a batch's addresses (None: no contact).
_remembered: BatchMemo[dict[str, Contact | None]] = BatchMemo("contacts_remembered")


@contextmanager
def contacts_remembered(addresses: Iterable[str | None]) -> Iterator[None]:
    """Look a batch's addresses up in one query for the block inside (a batch of mail).

    Contacts created inside the block by `contact_for_email` are remembered too; a
    partial rollback must be followed by `core.batch.forget_batch_memos()`.
    """
    wanted = {address for address in map(normalise_email, addresses) if address}
    found: dict[str, Contact | None] = dict.fromkeys(wanted)
    if wanted:
        owners = ContactEmail.objects.select_related("contact", "contact__client").filter(
            address__in=wanted
        )
        found.update((owner.address, owner.contact) for owner in owners)
    with _remembered.kept(found):
        yield


def contact_by_email(address: str | None) -> Contact | None:
    """Return the contact that owns this address, or None."""
    normalised = normalise_email(address)
    if normalised is None:
        return None
    remembered = _remembered.get()
    if remembered is not None and normalised in remembered:
        return remembered[normalised]
    owner = unique_row(
        ContactEmail.objects.select_related("contact", "contact__client").filter(address=normalised)
    )
    return owner.contact if owner is not None else None


def contact_for_email(
    *, address: str, name: str = "", client: Client | None
) -> tuple[Contact, bool]:
    """Return the contact with this address, creating a guest of `client` if there is none.

    Return the contact and whether it was created. Safe against two messages from a new
    sender being ingested at the same time: the address is unique, the loser re-reads.
    Inside `rolled_back_whole()` there is no savepoint to re-read from, so the error goes
    up and the block is done again (mail intake retries the message).
    """
    normalised = normalise_email(address)
    if normalised is None:
        raise ValidationFailed(f"«{address}» — не адрес электронной почты", field="email")
    existing = contact_by_email(normalised)
    if existing is not None:
        return existing, False
    try:
        with service_block():
            contact = Contact.objects.create(
                kind=ContactKind.GUEST, full_name=name.strip()[:200], client=client
            )
            insert_rows(ContactEmail, [ContactEmail(contact=contact, address=normalised)])
    except IntegrityError:
        if inside_rolled_back_whole():
            raise  # no savepoint to go on from: the caller redoes its whole block
        _remembered.forget()
        winner = contact_by_email(normalised)
        if winner is None:
            raise
        return winner, False
    remembered = _remembered.get()
    if remembered is not None:
        remembered[normalised] = contact
    return contact, True

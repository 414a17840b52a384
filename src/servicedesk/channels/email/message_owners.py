"""Which ticket a Message-ID belongs to: how a reply finds its ticket.

Mail intake looks up the parents (In-Reply-To, References) of every message. Inside
`message_owners_remembered` a batch's parents are read in one query, and the ids the
batch itself records (incoming messages, our acknowledgements) are remembered as they
are written, so a reply later in the batch finds them without a query, which would also
make the batch write its deferred rows early (`core.deferred`). A partial rollback must be
followed by `core.batch.forget_batch_memos()`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from servicedesk.channels.email.models import TicketMessageId
from servicedesk.core.batch import BatchMemo
from servicedesk.core.deferred import insert_rows

# Message-ID → the ticket it belongs to, or None: known to belong to none.
_remembered: BatchMemo[dict[str, int | None]] = BatchMemo("message_owners_remembered")


@contextmanager
def message_owners_remembered(message_ids: Iterable[str]) -> Iterator[None]:
    """Look a batch's Message-IDs up in one query for the block inside."""
    wanted = set(message_ids)
    found: dict[str, int | None] = dict.fromkeys(wanted)
    found.update(_read(wanted))
    with _remembered.kept(found):
        yield


def message_owners(message_ids: Sequence[str]) -> dict[str, int]:
    """Return the ticket of each of `message_ids` that belongs to one.

    An id may belong to several tickets (a message copied to two of them); then one of
    them is returned, the same one for the whole batch.
    """
    remembered = _remembered.get()
    if remembered is None:
        return _read(message_ids)
    owners = {m: owner for m in message_ids if (owner := remembered.get(m)) is not None}
    missing = [m for m in message_ids if m not in remembered]
    if missing:
        read = _read(missing)
        remembered.update(dict.fromkeys(missing))
        remembered.update(read)
        owners.update(read)
    return owners


def record_message_ids(rows: Sequence[TicketMessageId]) -> None:
    """Write new Message-ID rows (one already on the ticket is skipped) and remember them."""
    insert_rows(TicketMessageId, rows, ignore_conflicts=True)
    remembered = _remembered.get()
    if remembered is None:
        return
    for row in rows:
        if remembered.get(row.message_id) is None:
            remembered[row.message_id] = row.ticket_id


def _read(message_ids: Iterable[str]) -> dict[str, int]:
    wanted = set(message_ids)
    if not wanted:
        return {}
    rows = TicketMessageId.objects.filter(message_id__in=wanted).order_by("message_id", "id")
    owners: dict[str, int] = {}
    for message_id, ticket_id in rows.values_list("message_id", "ticket_id"):
        owners.setdefault(message_id, ticket_id)
    return owners

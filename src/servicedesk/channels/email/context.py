"""What the ticket hooks need to know while intake is handling one incoming message.

Intake calls the ticket services like any other client; the "received" answer is
sent from the ticket's after-create hook (`tickets/services/effects.py`), which has
only the ticket. While a message is being handled, intake sets this context so the
hook knows whom to answer, what to thread the answer to, and whether it may answer
at all (bulk mail never gets an automatic answer).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from servicedesk.channels.email.models import Mailbox


@dataclass(frozen=True)
class InboundContext:
    """The message being handled: its sender, its threading ids and the answer policy."""

    mailbox: Mailbox
    sender: str | None
    message_id: str
    references: tuple[str, ...]
    may_acknowledge: bool
    ack_interval_minutes: int
    notes: list[str] = field(default_factory=list)  # what the hooks decided not to do


_current: ContextVar[InboundContext | None] = ContextVar("email_inbound", default=None)


@contextmanager
def handling_inbound(context: InboundContext) -> Iterator[None]:
    """Mark the ticket writes inside the block as the handling of `context`'s message."""
    token = _current.set(context)
    try:
        yield
    finally:
        _current.reset(token)


def current_inbound() -> InboundContext | None:
    """Return the message intake is handling right now, or None outside intake."""
    return _current.get()

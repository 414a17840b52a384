"""The one place that reads the wall clock, so tests and demo data can move time."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

_frozen: ContextVar[datetime | None] = ContextVar("frozen_now", default=None)


def now() -> datetime:
    """Return the current instant as an aware UTC datetime."""
    frozen = _frozen.get()
    return frozen if frozen is not None else datetime.now(tz=UTC)


@contextmanager
def frozen_at(instant: datetime) -> Iterator[None]:
    """Make `now()` return `instant` inside the block (this thread/context only)."""
    if instant.tzinfo is None:
        raise ValueError("frozen_at needs an aware datetime")
    token = _frozen.set(instant.astimezone(UTC))
    try:
        yield
    finally:
        _frozen.reset(token)

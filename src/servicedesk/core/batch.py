"""What a batch of work reads once and keeps current while it writes.

Mail intake handles fifty messages in one transaction, and each would look up the same
kind of thing: its sender's contact, whether the sender was answered lately, the
assignees' loads. The module that owns such data reads it for the whole batch into a
`BatchMemo`, answers from it and updates it as the batch writes. The memo lives in a
context variable, so other threads and requests never see it. When part of the batch is
rolled back, `forget_batch_memos()` empties every memo at once and lookups go back to
the database: nothing may answer with a row the rollback removed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Generic, Protocol, TypeVar


class Clearable(Protocol):
    def clear(self) -> None: ...


C = TypeVar("C", bound=Clearable)

_memos: list[BatchMemo[Any]] = []


class BatchMemo(Generic[C]):
    """One kind of answers kept for the block of a batch (none outside such a block)."""

    def __init__(self, name: str) -> None:
        self._current: ContextVar[C | None] = ContextVar(name, default=None)
        _memos.append(self)

    def get(self) -> C | None:
        """Return the answers kept for the running batch, or None outside one."""
        return self._current.get()

    @contextmanager
    def kept(self, answers: C) -> Iterator[C]:
        """Keep `answers` for the block inside."""
        token = self._current.set(answers)
        try:
            yield answers
        finally:
            self._current.reset(token)

    def forget(self) -> None:
        """Empty the answers kept: what they would have said is read again."""
        answers = self._current.get()
        if answers is not None:
            answers.clear()


def forget_batch_memos() -> None:
    """Part of the batch was rolled back: forget everything every memo kept."""
    for memo in _memos:
        memo.forget()

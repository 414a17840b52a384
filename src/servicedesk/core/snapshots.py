"""Per-process copies of the configuration rows that nearly every ticket write reads.

SLA settings, the catalogue's defaults, the status table: edited a few times a year,
read several times per new ticket. A copy is re-read after `SNAPSHOT_SECONDS`, and at
once when this process saves or deletes a row of one of its models, so an edit made
here counts immediately and one made by another process (the admin in a web worker,
the huey worker) within seconds, as routing's rota does. What a snapshot returns is
shared: callers read it and never change it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Any, Final, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

T = TypeVar("T")

SNAPSHOT_SECONDS: Final = 5.0
KEYS_KEPT: Final = 64

_by_model: dict[str, list[Snapshot[Any]]] = {}
_all: list[Snapshot[Any]] = []


class Snapshot(Generic[T]):
    """A loader whose results are kept for `SNAPSHOT_SECONDS` unless its models change.

    The loader's arguments are the key (routing keeps a rota per day and instant, role
    members per role); at most `KEYS_KEPT` keys are kept. Safe under threads: the kept
    values are one dict, replaced and never changed in place; a load that overlapped
    a `forget` is returned to its caller but not kept.
    """

    def __init__(self, load: Callable[..., T]) -> None:
        self._load = load
        self._kept: dict[tuple[Hashable, ...], tuple[float, T]] = {}
        self._generation = 0
        self.__doc__ = load.__doc__
        self.__name__ = load.__name__

    def __call__(self, *key: Hashable) -> T:
        kept = self._kept.get(key)
        now = time.monotonic()
        if kept is not None and now - kept[0] <= SNAPSHOT_SECONDS:
            return kept[1]
        generation = self._generation
        value = self._load(*key)
        if generation == self._generation:
            others = self._kept if len(self._kept) < KEYS_KEPT else {}
            self._kept = {**others, key: (now, value)}
        return value

    def forget(self) -> None:
        self._generation += 1
        self._kept = {}


def snapshot(*model_labels: str) -> Callable[[Callable[..., T]], Snapshot[T]]:
    """Keep a loader's results per process; saving or deleting a row of `model_labels`
    ("app.Model"; a many-to-many table such as "accounts.User_groups" too) drops them."""

    def wrap(load: Callable[..., T]) -> Snapshot[T]:
        kept = Snapshot(load)
        _all.append(kept)
        for label in model_labels:
            _by_model.setdefault(label.lower(), []).append(kept)
            # Senders named, never a catch-all receiver: one would cost every save and
            # turn Django's fast cascading deletes off for every model.
            for signal in (post_save, post_delete, m2m_changed):
                signal.connect(
                    forget_changed,
                    sender=label,
                    weak=False,
                    dispatch_uid=f"snapshot-{id(signal)}-{label.lower()}",
                )
        return kept

    return wrap


def forget_changed(sender: Any, using: str = DEFAULT_DB_ALIAS, **_: Any) -> None:
    """Signal receiver: drop the snapshots that read the model just saved or deleted.

    Dropped now, for this transaction, and again at COMMIT: another thread may have read
    the old row in between and must not keep it.
    """
    meta = getattr(sender, "_meta", None)
    if meta is None:
        return
    for kept in _by_model.get(meta.label_lower, ()):
        kept.forget()
        transaction.on_commit(kept.forget, using=using)


def forget_snapshots() -> None:
    """Drop every snapshot (tests call this between tests)."""
    for kept in _all:
        kept.forget()

"""Append-only rows a batch writes together, one INSERT per table, instead of one by one.

A mail turned ticket writes a history event, two SLA clocks and their entries, the raw
.eml attachment, the acknowledgement and two Message-IDs: one INSERT each, most of its
statements and most of its time (each ORM insert costs ~0.25 ms of Python, and on
PostgreSQL a round trip). Inside `inserts_deferred()`, `insert_rows()` keeps such rows
and writes each table's rows with one statement:

- before any statement that names the table (a read sees every row written before it),
  together with the rows they point at;
- before a savepoint is opened, so that rolling it back cannot take earlier rows along;
  rows kept when a savepoint is rolled back to were made after it and are dropped;
- when the block ends without an error (before its transaction commits).

A kept row has no primary key until it is written, so only rows whose key nobody reads
at once go through here. An error in a deferred write surfaces where it is written, not
where the row was made, so the block must be one that is rolled back whole on any error
(`core.transactions.rolled_back_whole`). Outside the block `insert_rows` writes at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import connection
from django.db.models import Model

Group = tuple[type[Model], bool]  # the model and whether conflicting rows are skipped


class _Kept:
    """The rows kept by one `inserts_deferred()` block, in the order their tables came."""

    def __init__(self) -> None:
        self.groups: dict[Group, list[Model]] = {}
        self._writing = False

    def add(self, model: type[Model], rows: Sequence[Model], ignore_conflicts: bool) -> None:
        self.groups.setdefault((model, ignore_conflicts), []).extend(rows)

    def write(self, groups: Sequence[Group] | None = None) -> None:
        """Write the groups given (all when None), after the kept rows they point at."""
        wanted = list(self.groups) if groups is None else list(groups)
        self._writing = True
        try:
            for group in wanted:
                self._write_group(group)
        finally:
            self._writing = False

    def _write_group(self, group: Group) -> None:
        rows = self.groups.pop(group, None)
        if not rows:
            return
        model, ignore_conflicts = group
        for parent in _parents(model):
            for other in [g for g in self.groups if g[0] is parent]:
                self._write_group(other)
        model._default_manager.bulk_create(rows, ignore_conflicts=ignore_conflicts)

    def drop(self) -> None:
        self.groups.clear()

    def before_statement(
        self,
        execute: Callable[..., Any],
        sql: str,
        params: Any,
        many: bool,
        context: dict[str, Any],
    ) -> Any:
        """The connection's execute wrapper: write or drop kept rows as the statement needs."""
        if self.groups and not self._writing:
            head = sql.lstrip()[:20].upper()
            if head.startswith("SAVEPOINT"):
                self.write()
            elif head.startswith("ROLLBACK"):
                self.drop()
            elif not head.startswith("RELEASE"):
                # A plain substring test: a table whose name contains another's (clocks,
                # clock entries) only writes a little early, and a scan of a long joined
                # SELECT with a regular expression per table cost more than the write saved.
                named = [group for group in self.groups if group[0]._meta.db_table in sql]
                if named:
                    self.write(named)
        return execute(sql, params, many, context)


def _parents(model: type[Model]) -> list[type[Model]]:
    parents = []
    for field in model._meta.concrete_fields:
        parent = field.related_model if field.many_to_one or field.one_to_one else None
        if isinstance(parent, type) and issubclass(parent, Model) and parent is not model:
            parents.append(parent)
    return parents


_kept: ContextVar[_Kept | None] = ContextVar("inserts_deferred", default=None)


@contextmanager
def inserts_deferred() -> Iterator[None]:
    """Keep the rows given to `insert_rows` inside the block and write them per table.

    Must be entered inside the transaction (the rows are written before it commits), in
    a block that is rolled back whole when anything inside fails.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("inserts_deferred() needs a transaction around it")
    kept = _Kept()
    token = _kept.set(kept)
    try:
        with connection.execute_wrapper(kept.before_statement):
            yield
            kept.write()
    finally:
        kept.drop()
        _kept.reset(token)


def insert_rows(
    model: type[Model], rows: Sequence[Model], *, ignore_conflicts: bool = False
) -> None:
    """Insert new rows of `model`: now, or with the batch's others inside `inserts_deferred`."""
    if not rows:
        return
    kept = _kept.get()
    if kept is None:
        model._default_manager.bulk_create(rows, ignore_conflicts=ignore_conflicts)
    else:
        kept.add(model, rows, ignore_conflicts)

"""Small query helpers shared by the selectors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from weakref import WeakKeyDictionary

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]  # not in the stubs
from django.db.models.sql.compiler import SQLCompiler
from django.db.transaction import TransactionManagementError

M = TypeVar("M", bound=Model)


def unique_row(queryset: QuerySet[M]) -> M | None:
    """Return the row of a lookup by a unique key, or None.

    Unlike `.first()` it adds no ORDER BY: for one row there is nothing to order, and
    compiling the model's default ordering cost a third of a ticket fetch with its joins.
    """
    rows = list(queryset.order_by()[:1])
    return rows[0] if rows else None


class PreparedLookup(Generic[M]):
    """One row, with the relations its queryset joins, by one integer key; SQL built once.

    Django builds a query's SQL on every run. For a ticket with nine joined relations that
    took longer than PostgreSQL's planning and execution together (1.6 of 4.3 ms on the
    bench machine, where every mail reply fetches its ticket). Here the SQL and how a row
    becomes objects are kept per database connection, and only the key changes between
    runs. Only for a queryset whose shape never changes (no per-user filters).
    """

    def __init__(self, queryset: Callable[[], QuerySet[M]], key: str) -> None:
        self._queryset = queryset
        self._key = key
        self._prepared: WeakKeyDictionary[BaseDatabaseWrapper, _Prepared] = WeakKeyDictionary()

    def get(self, value: int) -> M | None:
        """Return the row whose key is `value`, or None."""
        connection = connections[DEFAULT_DB_ALIAS]
        prepared = self._prepared.get(connection)
        if prepared is None:
            prepared = self._prepared[connection] = self._prepare(connection)
        if prepared.for_update and connection.get_autocommit():  # as Django's own check
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        params = list(prepared.params)
        params[prepared.position] = prepared.key_type(value)
        with connection.cursor() as cursor:
            cursor.execute(prepared.sql, params)
            row = cursor.fetchone()
        return None if row is None else prepared.build(row)

    def _prepare(self, connection: BaseDatabaseWrapper) -> _Prepared:
        def compiled(value: int) -> tuple[SQLCompiler, str, tuple[Any, ...]]:
            queryset = self._queryset().filter(**{self._key: value}).order_by()[:1]
            compiler = queryset.query.get_compiler(connection=connection)
            sql, params = compiler.as_sql()
            return compiler, sql, tuple(params)

        compiler, sql, params = compiled(1)
        _, other_sql, other_params = compiled(2)
        moved = [i for i, (a, b) in enumerate(zip(params, other_params, strict=True)) if a != b]
        if other_sql != sql or len(moved) != 1:
            raise ValueError(f"not a lookup by one key: {self._key}")
        return _Prepared(
            sql=sql,
            params=params,
            position=moved[0],
            key_type=type(params[moved[0]]),
            for_update=compiler.query.select_for_update
            and connection.features.has_select_for_update,
            compiler=compiler,
        )


@dataclass
class _Prepared:
    sql: str
    params: tuple[Any, ...]
    position: int
    key_type: type
    for_update: bool
    compiler: SQLCompiler

    def __post_init__(self) -> None:
        # What Django's model iterable works out for every run of a query, worked out once.
        select, klass_info = self.compiler.select, self.compiler.klass_info
        if klass_info is None:
            raise ValueError("a prepared lookup returns model instances")
        self._model: type[Model] = klass_info["model"]
        fields = klass_info["select_fields"]
        self._start, self._end = fields[0], fields[-1] + 1
        self._init_list = [column[0].target.attname for column in select[self._start : self._end]]
        self._alias = self.compiler.using
        self._populators = get_related_populators(klass_info, select, self._alias)
        self._converters = self.compiler.get_converters(
            [column[0] for column in select[: self.compiler.col_count]]
        )

    def build(self, row: tuple[Any, ...]) -> Any:
        values: Any = row
        if self._converters:
            values = next(iter(self.compiler.apply_converters([row], self._converters)))
        own = values[self._start : self._end]
        instance = self._model.from_db(self._alias, self._init_list, own)
        for populator in self._populators:
            populator.populate(values, instance)
        return instance

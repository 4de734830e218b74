"""Many rows into one table, handed to the driver's executemany in one call.

A return has about 150 answer rows. Core's executemany runs every value of every row through
the statement's parameter machinery, which costs more CPU than SQLite spends storing them. Here
the INSERT text is built once per table, dialect and column list, the columns' own bind
processors (the same conversions Core would apply, e.g. booleans on SQLite) run only for the
columns that have one, and the driver gets plain tuples. Dialects other than SQLite and
psycopg take the ordinary Core path.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Dialect, Table, insert

_PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}
_Plan = tuple[str, Callable[[dict[str, Any]], tuple[Any, ...]], list[tuple[int, Any]]]
_plans: dict[tuple[type[Dialect], str, tuple[str, ...]], _Plan | None] = {}
_plans_lock = threading.Lock()


def insert_rows(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """INSERT every row (all with the same keys) in one executemany."""
    if not rows:
        return
    keys = tuple(rows[0])
    plan = _plan(connection.dialect, table, keys)
    if plan is None:
        connection.execute(insert(table), rows)
        return
    sql, as_tuple, processors = plan
    params = [as_tuple(row) for row in rows]
    if processors:
        params = [_processed(values, processors) for values in params]
    connection.exec_driver_sql(sql, params)


def _processed(values: tuple[Any, ...], processors: list[tuple[int, Any]]) -> tuple[Any, ...]:
    converted = list(values)
    for index, process in processors:
        converted[index] = process(converted[index])
    return tuple(converted)


def _plan(dialect: Dialect, table: Table, keys: tuple[str, ...]) -> _Plan | None:
    cache_key = (type(dialect), table.name, keys)
    with _plans_lock:
        if cache_key in _plans:
            return _plans[cache_key]
    placeholder = _PLACEHOLDERS.get(dialect.paramstyle)
    if placeholder is None or dialect.name not in {"sqlite", "postgresql"}:
        plan = None
    else:
        quote = dialect.identifier_preparer.quote
        columns = ", ".join(quote(key) for key in keys)
        marks = ", ".join([placeholder] * len(keys))
        sql = f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({marks})"
        processors = [
            (index, process)
            for index, key in enumerate(keys)
            if (process := _bind_processor(table, key, dialect)) is not None
        ]
        getter = itemgetter(*keys)
        as_tuple = getter if len(keys) > 1 else lambda row: (getter(row),)
        plan = (sql, as_tuple, processors)
    with _plans_lock:
        _plans[cache_key] = plan
    return plan


def _bind_processor(table: Table, key: str, dialect: Dialect) -> Any:
    # The dialect's own version of the type (SQLite's DATETIME writes its own text form), as
    # Core uses it; a TypeDecorator's processor then wraps that one.
    return table.c[key].type.dialect_impl(dialect).bind_processor(dialect)

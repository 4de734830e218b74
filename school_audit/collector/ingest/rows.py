"""Many rows into one table, handed to the driver's executemany in one call.

A return has about 150 answer rows. Core's executemany runs every value of every row through
the statement's parameter machinery, which costs more CPU than SQLite spends storing them. Here
the INSERT text is built once per table, dialect and column list, the columns' own bind
processors (the same conversions Core would apply, e.g. booleans on SQLite) run only for the
columns that have one, and the driver gets plain tuples. Values every row shares (the return's
id, urn, cycle...) are converted once and put in front of each row's own. Dialects other than
SQLite and psycopg take the ordinary Core path.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Connection, Dialect, Table, insert

_PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}
_Processors = list[tuple[int, Any]]
_Plan = tuple[str, _Processors, _Processors]  # SQL; processors of shared and of own values
_PlanKey = tuple[type[Dialect], str, tuple[str, ...], tuple[str, ...]]
_plans: dict[_PlanKey, _Plan | None] = {}
_plans_lock = threading.Lock()


def insert_values(
    connection: Connection,
    table: Table,
    shared: dict[str, Any],
    keys: tuple[str, ...],
    rows: list[tuple[Any, ...]],
) -> None:
    """INSERT one row per tuple of `keys` values, each also given the `shared` values."""
    if not rows:
        return
    plan = _plan(connection.dialect, table, tuple(shared), keys)
    if plan is None:
        columns = (*shared, *keys)
        values = tuple(shared.values())
        connection.execute(
            insert(table), [dict(zip(columns, values + row, strict=True)) for row in rows]
        )
        return
    sql, shared_processors, own_processors = plan
    head = _processed(tuple(shared.values()), shared_processors)
    if own_processors:
        rows = [_processed(row, own_processors) for row in rows]
    connection.exec_driver_sql(sql, [head + row for row in rows])


def _processed(values: tuple[Any, ...], processors: _Processors) -> tuple[Any, ...]:
    if not processors:
        return values
    converted = list(values)
    for index, process in processors:
        converted[index] = process(converted[index])
    return tuple(converted)


def _plan(
    dialect: Dialect, table: Table, shared: tuple[str, ...], keys: tuple[str, ...]
) -> _Plan | None:
    cache_key = (type(dialect), table.name, shared, keys)
    with _plans_lock:
        if cache_key in _plans:
            return _plans[cache_key]
    placeholder = _PLACEHOLDERS.get(dialect.paramstyle)
    plan: _Plan | None = None
    if placeholder is not None and dialect.name in {"sqlite", "postgresql"}:
        quote = dialect.identifier_preparer.quote
        names = (*shared, *keys)
        columns = ", ".join(quote(name) for name in names)
        marks = ", ".join([placeholder] * len(names))
        sql = f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({marks})"
        plan = (sql, _processors(table, shared, dialect), _processors(table, keys, dialect))
    with _plans_lock:
        _plans[cache_key] = plan
    return plan


def _processors(table: Table, keys: tuple[str, ...], dialect: Dialect) -> _Processors:
    return [
        (index, process)
        for index, key in enumerate(keys)
        if (process := _bind_processor(table, key, dialect)) is not None
    ]


def _bind_processor(table: Table, key: str, dialect: Dialect) -> Any:
    # The dialect's own version of the type (SQLite's DATETIME writes its own text form), as
    # Core uses it; a TypeDecorator's processor then wraps that one.
    return table.c[key].type.dialect_impl(dialect).bind_processor(dialect)

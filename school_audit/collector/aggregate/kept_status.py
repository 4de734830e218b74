"""Kept completeness: the overview's counts (expected, received by each deadline, accepted,
returned, quarantined) per cycle, setting type and breakdown group, kept as things change.

Each establishment has one row per cycle in `kept_establishment_status`: its setting type and
groups in the register (phase, type, district, trust, size band, as the overview names them) and
a 0/1 for each measure, as last counted. `kept_completeness_counts` holds their sums. When
something about an establishment changes, `refresh` recomputes its row from the register, the
cycle, the exemptions and its returns (one indexed query), takes the old row's contribution
away and adds the new one: exact whatever changed, even its groups. The overview then reads
O(setting types x groups) rows, not a grouping of every return of the cycle.

What changes a status is noticed in the transaction that makes the change, and counted just
before it commits (`kept_watch`): the ORM's writes of establishments (register imports, a school
added by hand), exemptions, cycles and their templates (deadlines; who is expected), and
submissions (a review accepting or returning one, a release) are seen as they are flushed; the
Core writes of ingest say so with `note`. Rows are locked (`FOR UPDATE`) before the returns are
read, in URN order, so concurrent writers on PostgreSQL take turns and none loses an update;
the counts are additive upserts, in key order.

`rebuild` writes everything afresh in set-based SQL (INSERT ... SELECT ... GROUP BY);
`differences` recomputes every row and count for `check --aggregates`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Connection,
    Select,
    String,
    bindparam,
    case,
    cast,
    delete,
    func,
    insert,
    literal_column,
    select,
    text,
    true,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from school_audit.collector.aggregate.common import (
    NOT_IN_TRUST,
    UNKNOWN_GROUP,
    end_of_day,
    size_code,
)
from school_audit.collector.db.tables import (
    CurrentReturn,
    CycleRow,
    Establishment,
    Exemption,
    KeptCompletenessCount,
    KeptEstablishmentStatus,
    Submission,
)
from school_audit.collector.db.types import UtcDateTime
from school_audit.collector.register.sizes import BAND_ORDER

MEASURES = ("expected", "received", "received_by_first", "received_by_final", "accepted",
            "returned", "quarantined")  # fmt: skip
GROUPS = {"phase": "phase_grp", "type": "type_grp", "district": "district_grp",
          "trust": "trust_grp", "size": "size_grp"}  # fmt: skip
COLUMNS = ("cycle", "urn", "setting_type", *GROUPS.values(), *MEASURES)
CountKey = tuple[str, str, str, str]  # cycle, setting type, dimension, group
NO_DEADLINE = datetime(9999, 1, 1, tzinfo=UTC)  # no deadline set: everything received is on time


# -- reading -------------------------------------------------------------------------------


def completeness_rows(
    connection: Connection, cycle: str, kinds: Iterable[str]
) -> list[tuple[Any, ...]]:
    """(setting type, dimension, group, *MEASURES) of every group with someone expected."""
    table = KeptCompletenessCount
    query = select(
        table.setting_type, table.dimension, table.grp, *(getattr(table, m) for m in MEASURES)
    ).where(table.cycle == cycle, table.setting_type.in_(list(kinds)), table.expected != 0)
    return [tuple(row) for row in connection.execute(query)]


# -- what one establishment counts as --------------------------------------------------------


def named(column: Any, dimension: str) -> Any:
    """SQL for the group's name as `common.group_name` gives it. Constants are written into the
    SQL, not bound, so that PostgreSQL accepts the expression in GROUP BY (see `size_code`)."""
    if dimension == "size":
        return case(
            *[
                (column == literal_column(str(i)), _text(label))
                for i, label in enumerate(BAND_ORDER)
            ]
        )
    missing = _text(NOT_IN_TRUST if dimension == "trust" else UNKNOWN_GROUP)
    return case(((column.is_(None)) | (column == literal_column("''")), missing), else_=column)


def _text(constant: str) -> Any:
    if "'" in constant:  # our own labels, never input
        raise ValueError(f"a group label cannot hold a quote: {constant!r}")
    return literal_column(f"'{constant}'", String)


def fresh_query(
    cycle: str, first: date | None, final: date | None, urns: list[str] | None = None
) -> tuple[Select[Any], dict[str, Any]]:
    """Each establishment's row as it should be now (COLUMNS), from the register, the cycle and
    the returns (the overview's reading before counts were kept): a statement built once, and
    its parameters."""
    params: dict[str, Any] = {"cycle": cycle, "first_limit": end_of_day(first) or NO_DEADLINE,
                              "final_limit": end_of_day(final) or NO_DEADLINE}  # fmt: skip
    if urns is not None:
        params["urns"] = urns
    return _fresh_statement(urns is not None), params


@lru_cache(maxsize=4)
def _fresh_statement(some: bool) -> Select[Any]:
    """Built once: building the expression costs more than running it for one school."""
    cycle = bindparam("cycle", type_=String)
    urns: Any = bindparam("urns", expanding=True)
    is_current = CurrentReturn.submission_id.is_not(None)
    returns = (
        select(
            Submission.urn.label("urn"),
            func.min(Submission.received_at).label("first_at"),
            func.max(case((is_current & (Submission.status == "accepted"), 1), else_=0)).label(
                "accepted"
            ),
            func.max(case((is_current & (Submission.status == "returned"), 1), else_=0)).label(
                "returned"
            ),
            func.max(case((Submission.status == "quarantined", 1), else_=0)).label("quarantined"),
        )
        .outerjoin(CurrentReturn, CurrentReturn.submission_id == Submission.submission_id)
        .where(Submission.cycle == cycle)
    )
    if some:
        returns = returns.where(Submission.urn.in_(urns))
    got = returns.group_by(Submission.urn).subquery()
    e = Establishment
    exempted = select(Exemption.urn).where(Exemption.cycle == cycle)
    deadline = select(CycleRow.final_deadline).where(CycleRow.cycle == cycle).scalar_subquery()
    opening = (e.status == "proposed") & (e.opens_on <= deadline)
    expected = ((e.status == "open") | opening) & e.urn.not_in(exempted)
    received = expected & got.c.urn.is_not(None)

    def flag(condition: Any) -> Any:
        return case((condition, 1), else_=0)

    def on_time(name: str) -> Any:  # the end of the deadline's day, or NO_DEADLINE
        return flag(received & (got.c.first_at < bindparam(name, type_=UtcDateTime())))

    query = (
        select(
            cast(cycle, String).label("cycle"), e.urn, e.setting_type,
            named(e.phase, "phase"), named(e.type_group, "type"),
            named(e.district, "district"), named(e.trust_name, "trust"),
            named(size_code(e.pupils, e.setting_type), "size"),
            flag(expected), flag(received), on_time("first_limit"), on_time("final_limit"),
            flag(expected & (got.c.accepted == 1)), flag(expected & (got.c.returned == 1)),
            flag(expected & (got.c.quarantined == 1)),
        )
        .select_from(e)
        .outerjoin(got, got.c.urn == e.urn)
    )  # fmt: skip
    if some:
        query = query.where(e.urn.in_(urns))
    return query


def cycles(connection: Connection, only: Iterable[str] | None = None) -> list[tuple[Any, ...]]:
    query = select(CycleRow.cycle, CycleRow.first_deadline, CycleRow.final_deadline)
    if only is not None:
        query = query.where(CycleRow.cycle.in_(list(only)))
    return sorted(tuple(row) for row in connection.execute(query))


def _contribute(counts: dict[CountKey, list[int]], row: Any, sign: int) -> None:
    """Add (sign 1) or take away (-1) one establishment's row."""
    cycle, _, setting_type = row[0], row[1], row[2]
    values = row[3 + len(GROUPS) :]
    if not any(values):
        return
    keys = [(cycle, setting_type, "", "")] + [
        (cycle, setting_type, dimension, row[3 + i]) for i, dimension in enumerate(GROUPS)
    ]
    for key in keys:
        bucket = counts.setdefault(key, [0] * len(MEASURES))
        for index, value in enumerate(values):
            bucket[index] += sign * int(value)


# -- keeping ---------------------------------------------------------------------------------


def refresh(connection: Connection, scope: dict[str, set[str] | None]) -> int:
    """Bring the rows and counts of `scope` (cycle -> URNs, None for every establishment) up to
    date with the register and the returns. Returns how many rows changed."""
    deltas: dict[CountKey, list[int]] = {}
    changed: list[tuple[Any, ...]] = []
    for cycle, first, final in cycles(connection, scope):
        wanted = scope[cycle]
        urns = sorted(wanted) if wanted is not None else None
        if urns == []:
            continue
        statement, params = fresh_query(cycle, first, final, urns)
        some = urns is not None
        connection.execute(_ensure_statement(connection.dialect.name, some), params)
        # Locked before the returns are read: a writer of the same school waits here, then
        # reads what the other committed.
        locked = connection.execute(_locked_statement(some), params)
        stored = {row[1]: tuple(row) for row in locked}
        for row in connection.execute(statement, params):
            new, old = tuple(row), stored.get(row[1])
            if old == new:
                continue
            if old is not None:
                _contribute(deltas, old, -1)
            _contribute(deltas, new, 1)
            changed.append(new)
    _store_rows(connection, changed)
    _add_counts(connection, deltas)
    return len(changed)


def refresh_urns(connection: Connection, urns: Iterable[str] | None = None) -> int:
    """`refresh` these establishments (None: all) in every cycle."""
    wanted = None if urns is None else set(urns)
    return refresh(connection, {row[0]: wanted for row in cycles(connection)})


@lru_cache(maxsize=8)
def _ensure_statement(dialect: str, some: bool) -> Any:
    """An empty row for each establishment without one, so that there is a row to lock."""
    urns: Any = bindparam("urns", expanding=True)
    empty: Any = select(
        cast(bindparam("cycle", type_=String), String), Establishment.urn,
        Establishment.setting_type,
        *[literal_column("''") for _ in GROUPS], *[literal_column("0") for _ in MEASURES],
    ).where(Establishment.urn.in_(urns) if some else true())  # fmt: skip
    insert_into = (postgresql if dialect == "postgresql" else sqlite).insert
    return insert_into(KeptEstablishmentStatus).from_select(COLUMNS, empty).on_conflict_do_nothing()


@lru_cache(maxsize=4)
def _locked_statement(some: bool) -> Any:
    table = KeptEstablishmentStatus
    query = select(*(getattr(table, c) for c in COLUMNS)).where(
        table.cycle == bindparam("cycle", type_=String)
    )
    if some:
        query = query.where(table.urn.in_(bindparam("urns", expanding=True)))
    return query.order_by(table.urn).with_for_update()


def _store_rows(connection: Connection, rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    names = COLUMNS[2:]
    connection.execute(
        _store_statement(),
        [{"k_cycle": row[0], "k_urn": row[1],
          **{f"v_{name}": value for name, value in zip(names, row[2:], strict=True)}}
         for row in rows],
    )  # fmt: skip


@lru_cache(maxsize=1)
def _store_statement() -> Any:
    table = KeptEstablishmentStatus
    return (
        update(table)
        .where(table.cycle == bindparam("k_cycle"), table.urn == bindparam("k_urn"))
        .values({name: bindparam(f"v_{name}") for name in COLUMNS[2:]})
    )


def _add_counts(connection: Connection, deltas: dict[CountKey, list[int]]) -> None:
    """Additive upserts in key order (concurrent writers queue on the same rows, none loses
    an update)."""
    rows = [(key, values) for key, values in sorted(deltas.items()) if any(values)]
    if not rows:
        return
    table = KeptCompletenessCount.__tablename__
    keys = ("cycle", "setting_type", "dimension", "grp")
    names = ", ".join((*keys, *MEASURES))
    marks = ", ".join(f":{name}" for name in (*keys, *MEASURES))
    sums = ", ".join(f"{m} = {table}.{m} + excluded.{m}" for m in MEASURES)
    sql = (f"INSERT INTO {table} ({names}) VALUES ({marks}) "
           f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {sums}")  # fmt: skip
    connection.execute(
        text(sql),
        [dict(zip((*keys, *MEASURES), (*key, *values), strict=True)) for key, values in rows],
    )


def rebuild(connection: Connection) -> None:
    """Every row and count afresh, in set-based SQL."""
    connection.execute(delete(KeptEstablishmentStatus))
    connection.execute(delete(KeptCompletenessCount))
    for cycle, first, final in cycles(connection):
        statement, params = fresh_query(cycle, first, final)
        connection.execute(insert(KeptEstablishmentStatus).from_select(COLUMNS, statement), params)
    s = KeptEstablishmentStatus
    sums = [func.sum(getattr(s, m)) for m in MEASURES]
    empty: Any = literal_column("''")
    parts = [select(s.cycle, s.setting_type, empty, empty, *sums)
             .group_by(s.cycle, s.setting_type)]  # fmt: skip
    for dimension, column in GROUPS.items():
        grouped = getattr(s, column)
        parts.append(
            select(
                s.cycle, s.setting_type, literal_column(f"'{dimension}'"), grouped, *sums
            ).group_by(s.cycle, s.setting_type, grouped)
        )
    names = ("cycle", "setting_type", "dimension", "grp", *MEASURES)
    connection.execute(insert(KeptCompletenessCount).from_select(names, union_all(*parts)))


def differences(connection: Connection) -> list[str]:
    """Every establishment row and completeness count that differs from the one recomputed from
    the register and the returns, in words."""
    found: list[str] = []
    table, counts = KeptEstablishmentStatus, KeptCompletenessCount
    stored = {(row[0], row[1]): tuple(row)
              for row in connection.execute(select(*(getattr(table, c) for c in COLUMNS)))}  # fmt: skip
    recounted: dict[CountKey, list[int]] = {}
    fresh: dict[tuple[str, str], tuple[Any, ...]] = {}
    for cycle, first, final in cycles(connection):
        for row in connection.execute(*fresh_query(cycle, first, final)):
            fresh[(row[0], row[1])] = tuple(row)
            _contribute(recounted, row, 1)
    for key in sorted(set(stored) | set(fresh)):
        old, new = stored.get(key), fresh.get(key)
        counts_differ = _values(old) != _values(new)
        if counts_differ or (any(_values(new)) and _groups(old) != _groups(new)):
            found.append(f"status {'/'.join(key)}: kept {_words(old)}, counted {_words(new)}")
    kept_counts: dict[Any, list[int]] = {
        tuple(row[:4]): [int(v) for v in row[4:]]
        for row in connection.execute(
            select(counts.cycle, counts.setting_type, counts.dimension, counts.grp,
                   *(getattr(counts, m) for m in MEASURES))
        )
    }  # fmt: skip
    zero = [0] * len(MEASURES)
    for count in sorted(set(kept_counts) | set(recounted)):
        have, want = kept_counts.get(count, zero), recounted.get(count, zero)
        if have != want:
            found.append(
                f"completeness {'/'.join(count)}: kept {_pairs(have)}, counted {_pairs(want)}"
            )
    return found


def _values(row: tuple[Any, ...] | None) -> tuple[int, ...]:
    return tuple(int(v) for v in row[3 + len(GROUPS) :]) if row else (0,) * len(MEASURES)


def _groups(row: tuple[Any, ...] | None) -> tuple[Any, ...]:
    return tuple(row[2 : 3 + len(GROUPS)]) if row else ()


def _words(row: tuple[Any, ...] | None) -> str:
    if row is None:
        return "nothing"
    groups = ", ".join(str(v) for v in row[2 : 3 + len(GROUPS)])
    return f"[{groups}] {_pairs(_values(row))}"


def _pairs(values: Iterable[int]) -> str:
    return " ".join(f"{m}={v}" for m, v in zip(MEASURES, values, strict=True))

"""Kept counts: the dashboard's answer and return counts, updated as returns become current.

Each establishment has one current return per cycle (`ingest.current`), so the counts are exact:
making a return current adds its answers under each breakdown group it belongs to and takes the
replaced return's away, in the same transaction. The groups used are stored on its
`current_returns` row (`counted_as`), so taking away removes exactly what was added even after
the register changed; `regroup` moves a contribution when the register changes. Pages then read
O(standards x groups) rows, not O(answers) (see `compliance.rating_counts`).

Phase and district are the return's own (the register's when it arrived, as on the answer rows);
type, trust and size band are the register's as it is now. The overall count is the sum over
phases (every return has one). Answers are counted in the ids of the cycle's template, whichever
edition the return answered (`editions`: a cycle on 2025-26.2 counts a 2025-26.1 answer to a
split standard for each part). `differences` recomputes everything from the answer rows for
`check --aggregates`; `rebuild` writes the kept counts afresh.

Updates are upserts that add to a count (`n = n + excluded.n`), in one sorted statement per
transaction: concurrent writers on PostgreSQL take the row locks in the same order, so they
queue rather than deadlock, and none loses another's update.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, select, update
from sqlalchemy.orm import Session

from school_audit.collector.aggregate import editions, kept_rebuild, kept_status, kept_watch
from school_audit.collector.aggregate.common import group_name, size_code
from school_audit.collector.db.tables import (
    Answer,
    CurrentReturn,
    Establishment,
    KeptAnswerCount,
    KeptReturnCount,
    Submission,
)
from school_audit.collector.register.sizes import BAND_ORDER, size_band

ANSWER_DIMENSIONS = ("phase", "district")  # from the return
REGISTER_DIMENSIONS = ("type", "trust", "size")  # from the register as it is now
KEPT_DIMENSIONS = ANSWER_DIMENSIONS + REGISTER_DIMENSIONS
AnswerKey = tuple[str, str, str, str, str]  # cycle, dimension, group, standard, rating
ReturnKey = tuple[str, str, str, str]  # cycle, setting type, dimension, group


# Built once: ingest runs it for every return (building a statement costs more than running it).
_REGISTER_GROUPS = select(Establishment.type_group, Establishment.trust_name, Establishment.pupils,
                          Establishment.setting_type).where(Establishment.urn == bindparam("urn"))  # fmt: skip
_ANSWERED = select(Submission.template_id, Submission.template_version).where(
    Submission.submission_id == bindparam("sid")
)


def groups_of(connection: Connection, urn: str, phase: str, district: str | None) -> dict[str, str]:
    """The breakdown groups a return of `urn` is counted under, as the pages name them."""
    groups = {"phase": group_name(phase), "district": group_name(district)}
    row = connection.execute(_REGISTER_GROUPS, {"urn": urn}).first()
    if row is not None:  # a URN outside the register has no register groups
        size = BAND_ORDER.index(size_band(row.pupils, row.setting_type))
        groups |= {"type": group_name(row.type_group, "type"),
                   "trust": group_name(row.trust_name, "trust"),
                   "size": group_name(size, "size")}  # fmt: skip
    return groups


def answer_counts(connection: Connection, submission_id: str) -> list[tuple[str, str, int]]:
    query = (
        select(Answer.standard_id, Answer.rating, func.count())
        .where(Answer.submission_id == submission_id)
        .group_by(Answer.standard_id, Answer.rating)
    )
    return [(sid, rating, int(n)) for sid, rating, n in connection.execute(query)]


class Changes:
    """Additions and subtractions gathered in one transaction, written in one go.

    A return's answers are added under each of its groups: they are kept as one count by
    (standard, rating) per (cycle, dimension, group), so adding a return costs a dictionary
    copy or update per group, and the rows of the upsert are made once, at `write`."""

    def __init__(self) -> None:
        self.answers: Counter[AnswerKey] = Counter()  # single counts (rebuild adds these)
        self.returns: Counter[ReturnKey] = Counter()
        self._grouped: dict[tuple[str, str, str], Counter[tuple[str, str]]] = {}
        self._cycles: dict[str, dict[str, editions.Ref]] = {}

    def _ids(
        self,
        connection: Connection,
        cycle: str,
        setting_type: str,
        submission_id: str,
        answered: editions.Ref | None = None,
    ) -> editions.IdMap | None:
        """How this return's answers count in the ids of the cycle's template; `answered`: the
        template id and version it answered, if known (else read from its row)."""
        if cycle not in self._cycles:
            self._cycles[cycle] = editions.cycle_refs(connection, cycle)
        if answered is None:
            row = connection.execute(_ANSWERED, {"sid": submission_id}).one()
            answered = (row[0], row[1])
        target = self._cycles[cycle].get(setting_type)
        return editions.id_map(connection, answered, target)

    def count(
        self,
        connection: Connection,
        key: tuple[str, str, str],
        groups: dict[str, str],
        sign: int,
        ratings: Counter[tuple[str, str]] | None = None,
        answered: editions.Ref | None = None,
    ) -> None:
        """Add (sign 1) or take away (sign -1) a return's contribution; key: (cycle, setting
        type, submission id); `ratings`: its answers by (standard, rating) if known already
        (ingest has them in hand), else read from its rows; `answered`: see `_ids`."""
        if not groups:  # counted under nothing (a rebuild's starting point)
            return
        cycle, setting_type, submission_id = key
        ids = self._ids(connection, cycle, setting_type, submission_id, answered)
        if ratings is None or ids is not None:
            found = ratings.items() if ratings is not None else (
                ((sid, rating), n) for sid, rating, n in answer_counts(connection, submission_id)
            )  # fmt: skip
            ratings = editions.translate(found, ids)
        grouped = self._grouped
        for dimension, group in groups.items():
            bucket = grouped.get((cycle, dimension, group))
            if bucket is None:
                grouped[(cycle, dimension, group)] = bucket = Counter()
            if sign == 1:
                bucket.update(ratings)
            else:
                bucket.subtract(ratings)
        self.returns[(cycle, setting_type, "", "")] += sign
        for dimension, group in groups.items():
            self.returns[(cycle, setting_type, dimension, group)] += sign

    def write(self, connection: Connection) -> None:
        for (cycle, dimension, group, standard_id, rating), n in self.answers.items():
            bucket = self._grouped.setdefault((cycle, dimension, group), Counter())
            bucket[(standard_id, rating)] += n
        # Sorted by the whole key (the buckets, then within each): see the module's docstring.
        answers = [(*where, standard_id, rating, n)
                   for where, bucket in sorted(self._grouped.items())
                   for (standard_id, rating), n in sorted(bucket.items()) if n]  # fmt: skip
        returns = [(*k, n) for k, n in sorted(self.returns.items()) if n]
        self.answers, self.returns, self._grouped = Counter(), Counter(), {}
        if answers:
            names = ("cycle", "dimension", "grp", "standard_id", "rating")
            _add(connection, KeptAnswerCount, names, answers)
        if returns:
            _add(
                connection, KeptReturnCount, ("cycle", "setting_type", "dimension", "grp"), returns
            )


def _add(connection: Connection, model: Any, names: tuple[str, ...], rows: list) -> None:  # type: ignore[type-arg]
    """One upsert per row (key values, then n) that adds to the count, through the driver's
    executemany (SQLAlchemy's per-row work would cost more than the database's: ingest runs
    this for every return)."""
    table, keys = model.__tablename__, ", ".join(names)
    upsert = f"ON CONFLICT ({keys}) DO UPDATE SET n = {table}.n + excluded.n"
    if connection.dialect.name == "postgresql":  # one statement of arrays, not one per row
        arrays = ", ".join(["%s::text[]"] * len(names) + ["%s::int[]"])
        columns = tuple(list(column) for column in zip(*rows, strict=True))
        sql = f"INSERT INTO {table} ({keys}, n) SELECT * FROM unnest({arrays}) {upsert}"
        connection.exec_driver_sql(sql, columns)
        return
    marks = ", ".join(["?"] * (len(names) + 1))
    sql = f"INSERT INTO {table} ({keys}, n) VALUES ({marks}) {upsert}"
    connection.exec_driver_sql(sql, rows)


def switch(
    connection: Connection,
    new: tuple[str, str, str],
    groups: dict[str, str],
    old: tuple[str, str, str, dict[str, str]] | None,
    ratings: Counter[tuple[str, str]] | None = None,
    changes: Changes | None = None,
    answered: editions.Ref | None = None,
) -> None:
    """The counts when return new (cycle, setting type, id; its answers by standard and rating
    and the template id and version it answered, if known) replaces old (cycle, setting type,
    id, groups it was counted under), or becomes current where none was. Given `changes`, they
    are only gathered there: the caller writes them before its transaction commits (ingest
    merges all returns sharing a transaction)."""
    gathered = changes if changes is not None else Changes()
    gathered.count(connection, new, groups, 1, ratings, answered)
    if old is not None:
        gathered.count(connection, old[:3], old[3], -1)
    if changes is None:
        gathered.write(connection)


def regroup(connection: Connection, urns: Iterable[str] | None = None) -> int:
    """After a register change: move the current returns whose register groups changed. Returns
    how many moved."""
    query = select(CurrentReturn.cycle, CurrentReturn.urn, CurrentReturn.submission_id,
                   CurrentReturn.setting_type, CurrentReturn.counted_as,
                   Submission.phase, Submission.district).join(
        Submission, Submission.submission_id == CurrentReturn.submission_id)  # fmt: skip
    wanted = None if urns is None else list(urns)
    if wanted is not None:
        query = query.where(CurrentReturn.urn.in_(wanted))
    changes, moved = Changes(), 0
    for row in connection.execute(query).all():
        before = json.loads(row.counted_as)
        after = groups_of(connection, row.urn, row.phase, row.district)
        if after == before:
            continue
        key = (row.cycle, row.setting_type, row.submission_id)
        changes.count(connection, key, before, -1)
        changes.count(connection, key, after, 1)
        connection.execute(
            update(CurrentReturn)
            .where(CurrentReturn.submission_id == row.submission_id)
            .values(counted_as=json.dumps(after, sort_keys=True))
        )
        moved += 1
    changes.write(connection)
    kept_status.refresh_urns(connection, wanted)  # the overview's groups follow too
    return moved


def apply_status_change(session: Session, pairs: Iterable[tuple[str, str]]) -> None:
    """(cycle, URN) pairs whose returns changed by Core statements: their completeness counts
    follow before the transaction commits (`kept_status`; the ORM's writes are seen anyway)."""
    kept_watch.note(session, pairs)


def rebuild_all(connection: Connection) -> None:
    """Every kept count afresh: answers, returns and completeness."""
    rebuild(connection)
    kept_status.rebuild(connection)


def all_differences(connection: Connection) -> list[str]:
    return differences(connection) + kept_status.differences(connection)


def rebuild(connection: Connection) -> None:
    """Write every kept answer and return count afresh from the current returns and the
    register (the completeness counts: `rebuild_all`). The answer counts in set-based SQL
    (`kept_rebuild`); the current returns' groups are one row each."""
    returns, groups = _current_groups(connection)
    kept_rebuild.rebuild_answers(connection)
    connection.execute(delete(KeptReturnCount))
    if groups:  # one executemany: a statement per return would dominate at national scale
        connection.execute(
            update(CurrentReturn)
            .where(CurrentReturn.submission_id == bindparam("sid"))
            .values(counted_as=bindparam("groups")),
            [{"sid": sid, "groups": json.dumps(found, sort_keys=True)}
             for sid, found in groups.items()],
        )  # fmt: skip
    changes = Changes()
    changes.returns.update(returns)
    changes.write(connection)


def differences(connection: Connection) -> list[str]:
    """Every kept count that differs from the count recomputed from the rows, in words."""
    a, r = KeptAnswerCount, KeptReturnCount
    kept_answers: dict[AnswerKey, int] = {
        (row[0], row[1], row[2], row[3], row[4]): int(row[5])
        for row in connection.execute(select(a.cycle, a.dimension, a.grp, a.standard_id,
                                             a.rating, a.n))
    }  # fmt: skip
    kept_returns: dict[ReturnKey, int] = {
        (row[0], row[1], row[2], row[3]): int(row[4])
        for row in connection.execute(select(r.cycle, r.setting_type, r.dimension, r.grp, r.n))
    }
    answers, returns, _ = recount(connection)
    found = [f"answers {'/'.join(k)}: kept {kept_answers.get(k, 0)}, counted {answers.get(k, 0)}"
             for k in sorted(set(kept_answers) | set(answers))
             if kept_answers.get(k, 0) != answers.get(k, 0)]  # fmt: skip
    found += [f"returns {'/'.join(k)}: kept {kept_returns.get(k, 0)}, counted {returns.get(k, 0)}"
              for k in sorted(set(kept_returns) | set(returns))
              if kept_returns.get(k, 0) != returns.get(k, 0)]  # fmt: skip
    return found


def recount(
    connection: Connection,
) -> tuple[dict[AnswerKey, int], dict[ReturnKey, int], dict[str, dict[str, str]]]:
    """The counts from the rows (one scan of the current answers per breakdown), and the groups
    of each current return, by submission id. For checking only: computed apart from the
    set-based rebuild, so that `check --aggregates` finds a fault in either."""
    returns, groups = _current_groups(connection)
    return _recount_answers(connection), returns, groups


def _current_groups(
    connection: Connection,
) -> tuple[dict[ReturnKey, int], dict[str, dict[str, str]]]:
    returns: dict[ReturnKey, int] = defaultdict(int)
    groups: dict[str, dict[str, str]] = {}
    query = select(CurrentReturn.cycle, CurrentReturn.submission_id, Submission.setting_type,
                   Submission.phase, Submission.district, *_register_columns()).join(
        Submission, Submission.submission_id == CurrentReturn.submission_id).outerjoin(
        Establishment, Establishment.urn == CurrentReturn.urn)  # fmt: skip
    for row in connection.execute(query):
        found = {"phase": group_name(row.phase), "district": group_name(row.district)}
        if row.in_register is not None:
            found |= {"type": group_name(row.type_group, "type"),
                      "trust": group_name(row.trust_name, "trust"),
                      "size": group_name(row.size, "size")}  # fmt: skip
        groups[row.submission_id] = found
        returns[(row.cycle, row.setting_type, "", "")] += 1
        for dimension, group in found.items():
            returns[(row.cycle, row.setting_type, dimension, group)] += 1
    return dict(returns), groups


def _register_columns() -> list[Any]:
    return [
        Establishment.urn.label("in_register"),
        Establishment.type_group,
        Establishment.trust_name,
        size_code(Establishment.pupils, Establishment.setting_type).label("size"),
    ]


def _recount_answers(connection: Connection) -> dict[AnswerKey, int]:
    """One GROUP BY per breakdown, by the edition each return answered as well, so that the
    counts translate into the cycle template's ids as `Changes.count` does."""
    answers: dict[AnswerKey, int] = defaultdict(int)
    targets: dict[str, dict[str, editions.Ref]] = {}
    columns = {
        "phase": Submission.phase,
        "district": Submission.district,
        "type": Establishment.type_group,
        "trust": Establishment.trust_name,
        "size": size_code(Establishment.pupils, Establishment.setting_type),
    }
    for dimension, column in columns.items():
        keys = [CurrentReturn.cycle, column, Answer.standard_id, Answer.rating,
                CurrentReturn.setting_type, Submission.template_id, Submission.template_version]  # fmt: skip
        query = (
            select(*keys, func.count())
            .select_from(CurrentReturn)
            .join(Submission, Submission.submission_id == CurrentReturn.submission_id)
            .join(Answer, Answer.submission_id == CurrentReturn.submission_id)
        )
        if dimension in REGISTER_DIMENSIONS:
            query = query.join(Establishment, Establishment.urn == CurrentReturn.urn)
        for row in connection.execute(query.group_by(*keys)):
            cycle = row[0]
            if cycle not in targets:
                targets[cycle] = editions.cycle_refs(connection, cycle)
            ids = editions.id_map(connection, (row[5], row[6]), targets[cycle].get(row[4]))
            group = group_name(row[1], dimension)
            for (standard_id, rating), n in editions.translate(
                [((row[2], row[3]), row[7])], ids
            ).items():
                answers[(cycle, dimension, group, standard_id, rating)] += int(n)
    return dict(answers)

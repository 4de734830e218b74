"""The kept answer counts written afresh in set-based SQL (`kept.rebuild`; migration 0008 and
`rebuild-aggregates` run it), on SQLite and PostgreSQL alike.

Two scans of the current answers instead of one per breakdown: each GROUP BY crosses the
breakdowns read from the same place, into a temporary table of at most groups x standards x
ratings rows, which INSERT ... SELECT ... GROUP BY then rolls up into each breakdown:

- the return's own phase and district (one scan of the current returns' answers);
- the register's type, trust and size band (one scan joined to the register).

Answers count in the ids of the cycle's template (`editions`): the staging keeps each return's
edition, and a small table maps each (edition, answered id) to the cycle's ids (itself when the
return answered the cycle's own edition), joined in the roll-up. The Python work is that map,
a few hundred rows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Integer,
    MetaData,
    String,
    Table,
    delete,
    func,
    insert,
    literal_column,
    select,
)

from school_audit.collector.aggregate import editions
from school_audit.collector.aggregate.common import size_code
from school_audit.collector.aggregate.kept_status import named
from school_audit.collector.db.tables import (
    Answer,
    CurrentReturn,
    Establishment,
    KeptAnswerCount,
    Submission,
)

EDITION = ("cycle", "setting_type", "template_id", "template_version")
STAGES = {"sides": ("phase", "district"), "register": ("type", "trust", "size")}


def _stage_table(name: str, dimensions: tuple[str, ...]) -> Table:
    columns = [Column(c, String(300)) for c in (*EDITION, *dimensions, "standard_id", "rating")]
    return Table(f"kept_stage_{name}", MetaData(), *columns, Column("n", Integer),
                 prefixes=["TEMPORARY"])  # fmt: skip


def _map_table() -> Table:
    columns = [Column(c, String(500)) for c in (*EDITION, "answered_id", "target_id")]
    return Table("kept_stage_map", MetaData(), *columns, prefixes=["TEMPORARY"])


def _sources(stage: str) -> dict[str, Any]:
    if stage == "sides":
        return {"phase": named(Submission.phase, "phase"),
                "district": named(Submission.district, "district")}  # fmt: skip
    return {
        "type": named(Establishment.type_group, "type"),
        "trust": named(Establishment.trust_name, "trust"),
        "size": named(size_code(Establishment.pupils, Establishment.setting_type), "size"),
    }


def rebuild_answers(connection: Connection) -> None:
    """Delete the kept answer counts and write them afresh from the current answers."""
    connection.execute(delete(KeptAnswerCount))
    staged = {}
    for stage, dimensions in STAGES.items():
        table = _stage_table(stage, dimensions)
        table.create(connection)
        staged[stage] = table
        groups = list(_sources(stage).values())
        keys = [CurrentReturn.cycle, CurrentReturn.setting_type, Submission.template_id,
                Submission.template_version, *groups, Answer.standard_id, Answer.rating]  # fmt: skip
        query = (
            select(*keys, func.count())
            .select_from(CurrentReturn)
            .join(Submission, Submission.submission_id == CurrentReturn.submission_id)
            .join(Answer, Answer.submission_id == CurrentReturn.submission_id)
        )
        if stage == "register":  # a URN outside the register has no register groups
            query = query.join(Establishment, Establishment.urn == CurrentReturn.urn)
        connection.execute(insert(table).from_select(list(table.c.keys()), query.group_by(*keys)))
    mapping = _map_table()
    mapping.create(connection)
    rows = _map_rows(connection, staged.values())
    if rows:
        connection.execute(insert(mapping), rows)
    for stage, table in staged.items():
        for dimension in STAGES[stage]:
            _roll_up(connection, table, mapping, dimension)
    for table in [*staged.values(), mapping]:
        table.drop(connection)


def _map_rows(connection: Connection, tables: Any) -> list[dict[str, str]]:
    """(edition, answered id) -> each cycle id it counts under, for every edition staged."""
    answered: dict[tuple[str, ...], set[str]] = {}
    for table in tables:
        columns = [table.c[name] for name in EDITION]
        for row in connection.execute(select(*columns, table.c.standard_id).distinct()):
            answered.setdefault(tuple(row[:4]), set()).add(row[4])
    rows = []
    targets: dict[str, dict[str, editions.Ref]] = {}
    for edition, ids in sorted(answered.items()):
        cycle, setting_type, template_id, version = edition
        if cycle not in targets:
            targets[cycle] = editions.cycle_refs(connection, cycle)
        found = editions.id_map(
            connection, (template_id, version), targets[cycle].get(setting_type)
        )
        for answered_id in sorted(ids):
            for target in (answered_id,) if found is None else found.get(answered_id, ()):
                rows.append({**dict(zip(EDITION, edition, strict=True)),
                             "answered_id": answered_id, "target_id": target})  # fmt: skip
    return rows


def _roll_up(connection: Connection, stage: Table, mapping: Table, dimension: str) -> None:
    group = stage.c[dimension]
    keys = [stage.c.cycle, group, mapping.c.target_id, stage.c.rating]
    joined = stage.join(
        mapping,
        (mapping.c.answered_id == stage.c.standard_id)
        & (mapping.c.cycle == stage.c.cycle)
        & (mapping.c.setting_type == stage.c.setting_type)
        & (mapping.c.template_id == stage.c.template_id)
        & (mapping.c.template_version == stage.c.template_version),
    )
    query = (
        select(stage.c.cycle, literal_column(f"'{dimension}'", String), group,
               mapping.c.target_id, stage.c.rating, func.sum(stage.c.n))
        .select_from(joined)
        .group_by(*keys)
    )  # fmt: skip
    names = ["cycle", "dimension", "grp", "standard_id", "rating", "n"]
    connection.execute(insert(KeptAnswerCount).from_select(names, query))

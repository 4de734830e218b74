"""Exports for the LA (XLSX and CSV): one row per return, and the aggregate tables.

Every export writes an audit-log line (who, what, which cycle, how many rows). The steering
group's aggregate export comes from its suppressed view: hidden cells are written as "*"; LA
officers' exports carry the full counts. Returns carry ratings and counts, never evidence text.
Column names and codes (ratings, statuses, kinds of setting, phases) are written in words and the
text is kept safe by `sheets`, which also lays the XLSX out to read (frozen header, filters).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from school_audit.collector.aggregate import editions
from school_audit.collector.aggregate.common import (
    DIMENSIONS,
    NOT_IN_TRUST,
    RATINGS,
    cycle_template,
)
from school_audit.collector.aggregate.compliance import compliance
from school_audit.collector.aggregate.overview import overview
from school_audit.collector.aggregate.steering import SteeringView, steering_view
from school_audit.collector.aggregate.suppression import SteeringTable
from school_audit.collector.db.tables import (
    ActionRow,
    Answer,
    AuditLogEntry,
    Establishment,
    Submission,
)
from school_audit.collector.exports import sheets
from school_audit.collector.register.sizes import size_band

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}
SUPPRESSED = "*"
RETURN_COLUMNS = [
    "urn", "name", "setting_type", "phase", "district", "type", "trust", "size_band", "status",
    "revision", "received_at",
    "signed_at", "template", "met", "partially_met", "not_met", "not_applicable", "actions",
    "support_requested",
]  # fmt: skip
Table = tuple[str, list[str], list[list[Any]]]  # sheet name, header, rows
LONG_COLUMNS = ["table", "item", "group", "measure", "value"]  # the CSV that holds every table


class ExportError(ValueError):
    pass


@dataclass(frozen=True)
class ExportResult:
    content: bytes
    filename: str
    media_type: str
    rows: int


def export_returns(
    session: Session, cycle: str, fmt: str, actor: str, setting_type: str = "school"
) -> ExportResult:
    """One row per current return of the cycle, with a column per standard (its rating)."""
    _check_format(fmt)
    template = cycle_template(session, cycle, setting_type)
    standard_ids = [s.id for s in template.standards() if s.is_rated] if template else []
    rows = list(_return_rows(session, cycle, setting_type, standard_ids))
    header = [sheets.column_words(c) for c in RETURN_COLUMNS] + standard_ids
    table: Table = ("returns", header, rows)
    content = _xlsx([table]) if fmt == "xlsx" else _csv(table[1], table[2])
    _log(
        session,
        actor,
        "export.returns",
        cycle,
        f"format={fmt} setting_type={setting_type} rows={len(rows)}",
    )
    return ExportResult(content, f"returns-{setting_type}-{cycle}.{fmt}", FORMATS[fmt], len(rows))


def export_aggregates(
    session: Session,
    cycle: str,
    fmt: str,
    actor: str,
    *,
    steering: bool,
    setting_type: str = "school",
    view: SteeringView | None = None,
) -> ExportResult:
    """Completeness and compliance tables; `steering=True` gives the suppressed pack (of `view`,
    the steering snapshot, when given)."""
    _check_format(fmt)
    tables = (
        _steering_tables(session, cycle, setting_type, view)
        if steering
        else _full_tables(session, cycle, setting_type)
    )
    tables = [
        (name, [sheets.column_words(c) for c in header], rows) for name, header, rows in tables
    ]
    if fmt == "xlsx":
        content = _xlsx(tables)
    else:
        long_rows = [[name, *row] for name, header, rows in tables for row in _long(header, rows)]
        content = _csv([sheets.column_words(c) for c in LONG_COLUMNS], long_rows)
    count = sum(len(rows) for _, _, rows in tables)
    kind = "steering" if steering else "full"
    _log(
        session,
        actor,
        "export.aggregates",
        cycle,
        f"format={fmt} pack={kind} setting_type={setting_type} rows={count}",
    )
    suffix = "steering" if steering else "la"
    return ExportResult(
        content, f"aggregates-{suffix}-{setting_type}-{cycle}.{fmt}", FORMATS[fmt], count
    )


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; use xlsx or csv")


def _log(session: Session, actor: str, action: str, cycle: str, detail: str) -> None:
    session.add(AuditLogEntry(actor=actor[:100], action=action, target=cycle, detail=detail))


def _return_rows(
    session: Session, cycle: str, setting_type: str, standard_ids: list[str]
) -> Iterator[list[Any]]:
    current = (
        Submission.cycle == cycle,
        Submission.status != "superseded",
        Submission.setting_type == setting_type,
    )
    submissions = session.execute(
        select(
            Submission,
            Establishment.name,
            Establishment.type_group,
            Establishment.trust_name,
            Establishment.pupils,
        )
        .outerjoin(Establishment, Establishment.urn == Submission.urn)
        .where(*current)
        .order_by(Submission.urn)
    ).all()
    ratings: dict[str, dict[str, str]] = {}
    answers = (
        select(Answer.submission_id, Answer.standard_id, Answer.rating)
        .join(Submission, Submission.submission_id == Answer.submission_id)
        .where(*current)
    )
    for submission_id, standard_id, rating in session.execute(answers):
        ratings.setdefault(submission_id, {})[standard_id] = rating
    actions = _action_counts(session, cycle)
    answered = editions.cycle_editions(session.connection(), cycle)
    for submission, name, type_group, trust, pupils in submissions:
        own = ratings.get(submission.submission_id, {})
        tally = [sum(1 for r in own.values() if r == rating) for rating in RATINGS]
        # Each rating under the cycle template's id, whichever edition the school answered (a
        # 2025-26.1 answer to B11 fills the B11 and B13 columns of a 2025-26.2 cycle).
        ref = (submission.template_id, submission.template_version)
        mine: dict[str, str] = {}
        for standard_id, rating in own.items():
            for target in answered.cycle_ids(ref, standard_id):
                mine.setdefault(target, rating)
        yield [
            submission.urn, name or "", sheets.group_words("setting_type", submission.setting_type),
            sheets.group_words("phase", submission.phase), submission.district or "",
            sheets.group_words("type", type_group or ""), trust or NOT_IN_TRUST,
            size_band(pupils, submission.setting_type),
            sheets.STATUS_WORDS.get(submission.status, submission.status), submission.revision,
            submission.received_at, submission.signed_at,
            f"{submission.template_id} {submission.template_version}", *tally,
            *actions.get(submission.submission_id, (0, 0)),
            *(sheets.RATING_WORDS.get(mine.get(sid, ""), "") for sid in standard_ids),
        ]  # fmt: skip


def _action_counts(session: Session, cycle: str) -> dict[str, tuple[int, int]]:
    query = (
        select(
            ActionRow.submission_id,
            func.count(),
            func.sum(case((ActionRow.support_requested.is_(True), 1), else_=0)),
        )
        .where(ActionRow.cycle == cycle)
        .group_by(ActionRow.submission_id)
    )
    return {sid: (int(total), int(support or 0)) for sid, total, support in session.execute(query)}


def _full_tables(session: Session, cycle: str, setting_type: str) -> list[Table]:
    data = overview(session, cycle, setting_type=setting_type)
    columns = [
        "expected",
        "received",
        "received_by_first",
        "received_by_final",
        "accepted",
        "overdue",
    ]
    completeness = [
        [
            sheets.BREAKDOWN_WORDS[dimension],
            sheets.group_words(dimension, group),
            *(getattr(counts, c) for c in columns),
        ]
        for dimension in ("setting_type", *DIMENSIONS)
        for group, counts in data.by.get(dimension, {}).items()
    ]
    completeness.append(
        [sheets.BREAKDOWN_WORDS["total"], "Total", *(getattr(data.totals, c) for c in columns)]
    )
    tables: list[Table] = [("completeness", ["breakdown", "group", *columns], completeness)]
    report = compliance(session, cycle, setting_type)
    if report is None:
        return tables
    shares = ["share_met", "share_partially_met", "share_not_met"]
    tables.append(("standards", ["standard", "section", "statutory", "text", *RATINGS, *shares], [
        [s.standard_id, s.section_id, "Yes" if s.statutory else "No", s.text, *s.counts.as_dict().values(),
         *(_percent(getattr(s.counts, share)) for share in shares)]
        for s in report.standards
    ]))  # fmt: skip
    tables.append(("sections", ["section", "title", *RATINGS, *shares], [
        [s.section_id, s.title, *s.counts.as_dict().values(), *(_percent(getattr(s.counts, share)) for share in shares)]
        for s in report.sections
    ]))  # fmt: skip
    for dimension in DIMENSIONS:
        by = compliance(session, cycle, setting_type, dimension)
        rows = [
            [
                s.standard_id,
                sheets.group_words(dimension, group),
                *counts.as_dict().values(),
                _percent(counts.share_met),
            ]
            for s in (by.standards if by else [])
            for group, counts in s.by_group.items()
        ]
        tables.append(
            (f"standards by {dimension}", ["standard", dimension, *RATINGS, "share_met"], rows)
        )
    return tables


def _steering_tables(
    session: Session, cycle: str, setting_type: str, view: SteeringView | None = None
) -> list[Table]:
    view = view or steering_view(session, cycle, setting_type)
    tables: list[Table] = []
    for dimension, table in view.completeness.items():
        tables.append(
            (
                f"completeness by {dimension}",
                [dimension, "settings", *table.columns],
                _shown(table, dimension),
            )
        )
    for dimension in DIMENSIONS:
        header = ["standard", dimension, "settings", *RATINGS]
        rows = [
            [s.standard_id, *row]
            for s in view.standards
            for row in _shown(s.tables[dimension], dimension)
        ]
        tables.append((f"standards by {dimension}", header, rows))
        rows = [
            [s.section_id, *row]
            for s in view.sections
            for row in _shown(s.tables[dimension], dimension)
        ]
        tables.append(
            (f"sections by {dimension}", ["section", dimension, "settings", *RATINGS], rows)
        )
    return tables


def _shown(table: SteeringTable, dimension: str) -> list[list[Any]]:
    def cell(value: int | None) -> Any:
        return SUPPRESSED if value is None else value

    return [
        [
            sheets.group_words(dimension, row.group),
            cell(row.settings),
            *(cell(row.counts[c]) for c in table.columns),
        ]
        for row in [*table.rows, table.total]
    ]


def _percent(share: float | None) -> float | str:
    return "" if share is None else round(share * 100, 1)


def _long(header: list[str], rows: Iterable[list[Any]]) -> Iterator[list[Any]]:
    """A wide table as (item, group, measure, value) rows: one CSV holds every table. The first
    two columns of every table are its keys (e.g. standard and phase)."""
    for row in rows:
        for measure, value in zip(header[2:], row[2:], strict=True):
            yield [str(row[0]), str(row[1]), measure, value]


def _xlsx(tables: list[Table]) -> bytes:
    return sheets.xlsx(tables)


def _csv(header: list[str], rows: Iterable[list[Any]]) -> bytes:
    return sheets.csv_bytes(header, rows)

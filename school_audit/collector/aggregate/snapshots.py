"""Dated steering snapshots: the steering group's figures move one snapshot at a time, never one
return at a time, so two downloads cannot be subtracted to reveal a school.

Every steering page, export and PDF pack reads the latest snapshot of its cycle and kind of
setting. A snapshot is taken with `school-audit-collector snapshot take`, or automatically when
the steering figures are next opened and at least `snapshot_after_returns` settings have a new or
changed return since the last one (or the last is `snapshot_every_days` old and anything
changed); the first is taken when the figures are first opened. Each snapshot is suppressed
against the one before (`snapshot_rule`), so stacking the two gives no setting away.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from school_audit.collector.aggregate import snapshot_members as found
from school_audit.collector.aggregate.common import DIMENSIONS, RATINGS
from school_audit.collector.aggregate.compliance import ComplianceReport, compliance
from school_audit.collector.aggregate.overview import overview
from school_audit.collector.aggregate.snapshot_rule import FamilyRule, mask_family
from school_audit.collector.aggregate.snapshot_view import (
    section_table,
    view_from_json,
    view_to_json,
)
from school_audit.collector.aggregate.steering import (
    COMPLETENESS_COLUMNS,
    SteeringSection,
    SteeringStandard,
    SteeringView,
)
from school_audit.collector.aggregate.suppression import THRESHOLD, GroupCounts
from school_audit.collector.db.engine import Database
from school_audit.collector.db.tables import SteeringSnapshot


@dataclass(frozen=True)
class SnapshotRule:
    """The LA's choice of when a new snapshot is due (collector settings)."""

    after_returns: int = 10  # settings with a new or changed return; 0: not on that ground
    every_days: int = 0  # 0: not on that ground


@dataclass(frozen=True)
class Snapshot:
    id: int
    cycle: str
    setting_type: str
    taken_at: datetime
    taken_by: str
    reason: str
    returns: int
    view: SteeringView | None  # None only in `listing`, which never needs it


def take(
    session: Session, cycle: str, setting_type: str, taken_by: str, reason: str = ""
) -> Snapshot:
    """A new snapshot of the steering figures, suppressed against the latest one."""
    previous = _latest_row(session, cycle, setting_type)
    members = found.members(session, cycle, setting_type)
    before = json.loads(previous.members) if previous is not None else None
    earlier = view_from_json(previous.view) if previous is not None else None
    view = build_view(session, cycle, setting_type, earlier, before, members)
    returns = sum(1 for entry in members.values() if entry.get("counted"))
    row = SteeringSnapshot(
        cycle=cycle,
        setting_type=setting_type,
        taken_at=datetime.now(UTC),
        taken_by=taken_by[:100],
        reason=reason[:200],
        returns=returns,
        view=view_to_json(view),
        members=json.dumps(members, sort_keys=True),
    )
    session.add(row)
    session.flush()
    return _snapshot(row, view)


def latest(session: Session, cycle: str, setting_type: str) -> Snapshot | None:
    row = _latest_row(session, cycle, setting_type)
    return _snapshot(row, view_from_json(row.view)) if row is not None else None


def listing(session: Session, cycle: str | None = None) -> list[Snapshot]:
    query = select(SteeringSnapshot).order_by(SteeringSnapshot.id)
    if cycle:
        query = query.where(SteeringSnapshot.cycle == cycle)
    return [_snapshot(row, None) for row in session.scalars(query)]


def due(session: Session, cycle: str, setting_type: str, rule: SnapshotRule) -> str:
    """Why a new snapshot is due now ("" when it is not)."""
    previous = _latest_row(session, cycle, setting_type)
    if previous is None:
        return "first snapshot of the cycle"
    changed = _changed_returns(json.loads(previous.members), session, cycle, setting_type)
    if rule.after_returns and changed >= rule.after_returns:
        return f"{changed} settings sent or changed a return"
    age = datetime.now(UTC) - previous.taken_at
    if rule.every_days and changed and age >= timedelta(days=rule.every_days):
        return f"the last snapshot is {age.days} days old"
    return ""


def current_view(
    database: Database, cycle: str, setting_type: str, rule: SnapshotRule
) -> Snapshot | None:
    """The snapshot the steering group sees now, taking a new one first when one is due."""
    with database.read() as session:
        reason = due(session, cycle, setting_type, rule)
        if not reason:
            return latest(session, cycle, setting_type)
    with database.write() as session:  # another request may have taken it meanwhile
        return current_in(session, cycle, setting_type, rule)


def current_in(session: Session, cycle: str, setting_type: str, rule: SnapshotRule) -> Snapshot:
    """`current_view` within a writing session (e.g. a command's)."""
    reason = due(session, cycle, setting_type, rule)
    if reason:
        return take(session, cycle, setting_type, "automatic", reason)
    found = latest(session, cycle, setting_type)
    assert found is not None  # without one, the first is due
    return found


def build_view(
    session: Session,
    cycle: str,
    setting_type: str,
    previous: SteeringView | None,
    before: found.Members | None,
    members: found.Members,
) -> SteeringView:
    """The steering view as a snapshot: the one-view rule and, after a previous snapshot, the
    rule for pairs, each family of tables on its own."""
    view = SteeringView(cycle, setting_type, THRESHOLD)
    data = overview(session, cycle, setting_type=setting_type)
    raw = {
        d: [
            GroupCounts(g, c.received, {col: getattr(c, col) for col in COMPLETENESS_COLUMNS})
            for g, c in data.by.get(d, {}).items()
        ]
        for d in DIMENSIONS
    }
    change = found.completeness_change(before, members) if before is not None else None
    earlier = previous.completeness if previous is not None else None
    view.completeness = mask_family(raw, FamilyRule(COMPLETENESS_COLUMNS), earlier, change)
    reports = {d: compliance(session, cycle, setting_type, d) for d in DIMENSIONS}
    order = reports["phase"]
    if order is None:
        return view
    ready = {d: r for d, r in reports.items() if r is not None}
    _standards(session, view, ready, previous, before, members)
    for section in order.sections:
        tables = [s.tables for s in view.standards if s.section_id == section.section_id]
        view.sections.append(
            SteeringSection(
                section.section_id,
                section.title,
                {d: section_table(d, RATINGS, [t[d] for t in tables]) for d in DIMENSIONS},
            )
        )
    return view


def _standards(
    session: Session,
    view: SteeringView,
    reports: dict[str, ComplianceReport],
    previous: SteeringView | None,
    before: found.Members | None,
    members: found.Members,
) -> None:
    order = reports["phase"]
    # One order for extra suppression per breakdown, so every table hides the same groups.
    priority = {d: _by_size(r.returns_by_group) for d, r in reports.items()}
    rule = FamilyRule(RATINGS, hide_empty=False, priority=priority)
    ids = [s.standard_id for s in order.standards]
    changes = found.standard_changes(session, before, members, ids) if before is not None else {}
    earlier = {s.standard_id: s.tables for s in previous.standards} if previous else {}
    by_dimension = {d: {s.standard_id: s.by_group for s in r.standards} for d, r in reports.items()}
    for standard in order.standards:
        raw = {
            d: [
                GroupCounts(g, sum(c.as_dict().values()), c.as_dict())
                for g, c in by_dimension[d][standard.standard_id].items()
            ]
            for d in reports
        }
        tables = mask_family(
            raw, rule, earlier.get(standard.standard_id), changes.get(standard.standard_id)
        )
        view.standards.append(
            SteeringStandard(
                standard.standard_id, standard.section_id, standard.text, standard.statutory, tables
            )
        )


def _by_size(sizes: dict[str, int]) -> list[str]:
    return sorted(sizes, key=lambda g: (sizes[g], g))


def _changed_returns(before: found.Members, session: Session, cycle: str, setting_type: str) -> int:
    """Settings whose returns (or their status) differ from the snapshot's: a cheap count."""
    now = found.returns_by_urn(session, cycle, setting_type)
    then = {urn: entry.get("returns") for urn, entry in before.items() if entry.get("returns")}
    return sum(1 for urn in set(then) | set(now) if then.get(urn) != now.get(urn))


def _latest_row(session: Session, cycle: str, setting_type: str) -> SteeringSnapshot | None:
    query = (
        select(SteeringSnapshot)
        .where(SteeringSnapshot.cycle == cycle, SteeringSnapshot.setting_type == setting_type)
        .order_by(SteeringSnapshot.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def _snapshot(row: SteeringSnapshot, view: SteeringView | None) -> Snapshot:
    return Snapshot(
        row.id,
        row.cycle,
        row.setting_type,
        row.taken_at,
        row.taken_by,
        row.reason,
        row.returns,
        view,
    )

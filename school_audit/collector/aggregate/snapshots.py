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
from school_audit.collector.aggregate.folding import (
    Folding,
    fold_change,
    fold_map,
    fold_sizes,
    parse_areas,
    register_sizes,
)
from school_audit.collector.aggregate.overview import overview
from school_audit.collector.aggregate.snapshot_rule import FamilyRule, mask_family
from school_audit.collector.aggregate.snapshot_view import (
    section_table,
    view_from_json,
    view_to_json,
)
from school_audit.collector.aggregate.steering import (
    SteeringSection,
    SteeringStandard,
    SteeringView,
    completeness_rows,
    completeness_rule,
    fold_by_group,
)
from school_audit.collector.aggregate.steering_summary import steering_summary
from school_audit.collector.aggregate.suppression import THRESHOLD, GroupCounts
from school_audit.collector.db.engine import Database
from school_audit.collector.db.tables import SteeringSnapshot
from school_audit.collector.settings import CollectorSettings


@dataclass(frozen=True)
class SnapshotRule:
    """The LA's choice of when a new snapshot is due (collector settings)."""

    after_returns: int = 10  # settings with a new or changed return; 0: not on that ground
    every_days: int = 0  # 0: not on that ground
    areas: tuple[tuple[str, str], ...] = ()  # district -> wider area (`folding`)


def rule_from(settings: CollectorSettings) -> SnapshotRule:
    """The snapshot rule the collector's settings give (a clear error for malformed areas)."""
    areas = tuple(sorted(parse_areas(settings.steering_areas).items()))
    return SnapshotRule(settings.snapshot_after_returns, settings.snapshot_every_days, areas)


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
    session: Session,
    cycle: str,
    setting_type: str,
    taken_by: str,
    reason: str = "",
    areas: dict[str, str] | None = None,
) -> Snapshot:
    """A new snapshot of the steering figures, suppressed against the latest one. `areas`
    (district -> wider area) counts only for the first snapshot of a cycle (see `folding`)."""
    previous = _latest_row(session, cycle, setting_type)
    members = found.members(session, cycle, setting_type)
    before = json.loads(previous.members) if previous is not None else None
    earlier = view_from_json(previous.view) if previous is not None else None
    view = build_view(session, cycle, setting_type, earlier, before, members, areas)
    view.summary = steering_summary(session, view)
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
        return take(session, cycle, setting_type, "automatic", reason, dict(rule.areas))
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
    areas: dict[str, str] | None = None,
) -> SteeringView:
    """The steering view as a snapshot: small groups folded as the cycle's first snapshot folded
    them, then the one-view rule and, after a previous snapshot, the rule for pairs, each family
    of tables on its own."""
    view = SteeringView(cycle, setting_type, THRESHOLD)
    data = overview(session, cycle, setting_type=setting_type)
    view.folding = cycle_folding(register_sizes(data.by, DIMENSIONS), previous, areas)
    raw = completeness_rows(data.by, view.folding)
    change = (
        fold_change(found.completeness_change(before, members), view.folding)
        if before is not None
        else None
    )
    earlier = previous.completeness if previous is not None else None
    view.completeness = mask_family(raw, completeness_rule(), earlier, change)
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


def cycle_folding(
    sizes: dict[str, dict[str, int]], previous: SteeringView | None, areas: dict[str, str] | None
) -> Folding:
    """The folding of the cycle: the first snapshot's, extended to groups first seen since. A
    cycle whose first snapshot was taken unfolded stays unfolded, so two snapshots always show
    the same groups."""
    if previous is not None and not previous.folding:
        return {}
    return fold_map(sizes, previous.folding if previous is not None else None, areas)


def _standards(
    session: Session,
    view: SteeringView,
    reports: dict[str, ComplianceReport],
    previous: SteeringView | None,
    before: found.Members | None,
    members: found.Members,
) -> None:
    order = reports["phase"]
    folding = view.folding
    # One order for extra suppression per breakdown, so every table hides the same groups.
    priority = {
        d: _by_size(fold_sizes(r.returns_by_group, folding.get(d, {}), d))
        for d, r in reports.items()
    }
    rule = FamilyRule(RATINGS, hide_empty=False, priority=priority, shares=RATINGS)
    ids = [s.standard_id for s in order.standards]
    changes = (
        {
            sid: fold_change(c, folding)
            for sid, c in found.standard_changes(session, before, members, ids).items()
        }
        if before is not None
        else {}
    )
    earlier = {s.standard_id: s.tables for s in previous.standards} if previous else {}
    by_dimension = {
        d: {
            s.standard_id: fold_by_group(
                {g: c.as_dict() for g, c in s.by_group.items()}, folding.get(d, {}), d
            )
            for s in r.standards
        }
        for d, r in reports.items()
    }
    for standard in order.standards:
        raw = {
            d: [
                GroupCounts(g, sum(c.values()), c)
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

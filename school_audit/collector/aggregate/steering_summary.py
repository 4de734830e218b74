"""The steering pack's two summary pages, worked out once with each snapshot and kept in it.

Every figure here is either read from the snapshot's own (folded and suppressed) tables, so it
can give nothing away that the tables do not, or is an LA-wide count of settings rounded to the
nearest five, with counts under five shown only as "fewer than five":

- returns against both deadlines: the completeness total;
- the weakest standards LA-wide: the standards' totals, lowest share met first;
- change since last year: each section's share met against the previous cycle's (its latest
  snapshot, or its figures as they stand when it has none: a closed cycle no longer moves);
- risk counts: settings with each kind of triage flag (rounded);
- training needs asked for: the standards on which settings asked the LA for support in their
  action plans, most asked first (rounded; only those that five or more settings asked for).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from school_audit.collector.aggregate.common import RATINGS
from school_audit.collector.aggregate.risk import risk_triage
from school_audit.collector.aggregate.steering import SteeringView
from school_audit.collector.aggregate.suppression import THRESHOLD, ShownRow
from school_audit.collector.aggregate.themes import support_requests
from school_audit.collector.cycles import CycleError, cycle_info, previous_cycle
from school_audit.collector.db.tables import SteeringSnapshot

WEAKEST = 8
TRAINING = 8
RISK_KINDS = {
    "statutory_not_met": "A statutory standard not met",
    "dsl_training_expired": "DSL training expired",
    "dsl_training_expiring": "DSL training expiring within six months",
    "dsl_training_missing": "DSL training date not given",
    "no_filtering_review": "No filtering and monitoring review in date",
    "late_return": "Return sent after the first deadline",
    "missing_return": "No return yet, first deadline passed",
}


def rounded(count: int, threshold: int = THRESHOLD) -> int | None:
    """A count of settings as the pack prints it: to the nearest five; None under five."""
    if count < threshold:
        return None
    return max(threshold, 5 * round(count / 5))


def share_met(row: ShownRow) -> float | None:
    if row.suppressed:
        return None
    rated = sum(row.counts.get(r) or 0 for r in RATINGS if r != "not_applicable")
    return (row.counts.get("met") or 0) / rated if rated else None


def steering_summary(
    session: Session, view: SteeringView, today: date | None = None
) -> dict[str, Any]:
    info = cycle_info(session, view.cycle)
    total = view.completeness.get("phase")
    returns = dict(total.total.counts) if total is not None and not total.total.suppressed else None
    deadlines = [d.isoformat() if d else None for d in (info.first_deadline, info.final_deadline)]
    return {
        "cycle_title": info.title,
        "deadlines": deadlines,
        "returns": returns,
        "weakest": _weakest(view),
        "sections": _sections(session, view),
        "risks": _risks(session, view, today),
        "training": _training(session, view),
    }


def _weakest(view: SteeringView) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for standard in view.standards:
        total = standard.tables["phase"].total
        share = share_met(total)
        if share is None:
            continue
        rated = sum(total.counts.get(r) or 0 for r in RATINGS if r != "not_applicable")
        rows.append(
            {
                "standard_id": standard.standard_id,
                "text": standard.text,
                "statutory": standard.statutory,
                "share_met": share,
                "not_met": (total.counts.get("not_met") or 0) / rated,
                "rated": rated,
            }
        )
    rows.sort(key=lambda r: (r["share_met"], -r["not_met"], r["standard_id"]))
    return rows[:WEAKEST]


def _sections(session: Session, view: SteeringView) -> list[dict[str, Any]]:
    before = _previous_view(session, view)
    old = {}
    if before is not None:
        old = {(s.section_id, s.title): share_met(s.tables["phase"].total) for s in before.sections}
    return [
        {
            "section_id": s.section_id,
            "title": s.title,
            "share_met": share_met(s.tables["phase"].total),
            "previous": old.get((s.section_id, s.title)),
        }
        for s in view.sections
    ]


def _previous_view(session: Session, view: SteeringView) -> SteeringView | None:
    from school_audit.collector.aggregate.snapshot_view import view_from_json
    from school_audit.collector.aggregate.steering import steering_view

    cycle = previous_cycle(view.cycle)
    query = (
        select(SteeringSnapshot.view)
        .where(SteeringSnapshot.cycle == cycle, SteeringSnapshot.setting_type == view.setting_type)
        .order_by(SteeringSnapshot.id.desc())
        .limit(1)
    )
    stored = session.scalars(query).first()
    if stored is not None:
        return view_from_json(stored)
    try:
        info = cycle_info(session, cycle)
    except CycleError:  # no such cycle: nothing to compare with
        return None
    if info.is_open or view.setting_type not in info.templates:
        return None  # an open cycle still moves: only its snapshots may be shown
    return steering_view(session, cycle, view.setting_type)


def _risks(session: Session, view: SteeringView, today: date | None) -> list[dict[str, Any]]:
    entries = [
        e for e in risk_triage(session, view.cycle, today) if e.setting_type == view.setting_type
    ]
    counts = {kind: 0 for kind in RISK_KINDS}
    for entry in entries:
        for kind in entry.kinds:
            counts[kind] = counts.get(kind, 0) + 1
    return [
        {"kind": kind, "label": RISK_KINDS.get(kind, kind), "settings": rounded(n)}
        for kind, n in counts.items()
    ]


def _training(session: Session, view: SteeringView) -> dict[str, Any]:
    needs = support_requests(session, view.cycle, view.setting_type)
    shown = [n for n in needs if rounded(n.settings) is not None]
    return {
        "standards": [
            {
                "standard_id": n.standard_id,
                "section": f"{n.section_id}. {n.section_title}",
                "text": n.text,
                "settings": rounded(n.settings),
            }
            for n in shown[:TRAINING]
        ],
        "fewer_than_five": len(needs) - len(shown),
        "more": max(len(shown) - TRAINING, 0),
    }

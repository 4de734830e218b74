"""The steering group's view: aggregates only, small groups folded into "Other" (`folding`) and
then every group still small suppressed (see `suppression`).

Breakdowns by phase, district, type, trust and size band of completeness and of each standard's
ratings. Each standard's table decides its hidden rows from the settings that answered it; a
section's table adds up only the numbers its standards' tables show, so it cannot give a hidden
one back.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from school_audit.collector.aggregate.common import DIMENSIONS, RATINGS
from school_audit.collector.aggregate.compliance import compliance
from school_audit.collector.aggregate.folding import (
    Folding,
    fold_map,
    fold_rows,
    fold_sizes,
    register_sizes,
)
from school_audit.collector.aggregate.overview import overview
from school_audit.collector.aggregate.snapshot_rule import FamilyRule, mask_family
from school_audit.collector.aggregate.suppression import (
    THRESHOLD,
    GroupCounts,
    SteeringTable,
    suppress_section,
)

COMPLETENESS_COLUMNS = [
    "expected",
    "received",
    "received_by_first",
    "received_by_final",
    "accepted",
]


@dataclass(frozen=True)
class SteeringStandard:
    standard_id: str
    section_id: str
    text: str
    statutory: bool
    tables: dict[str, SteeringTable]  # dimension -> table


@dataclass(frozen=True)
class SteeringSection:
    section_id: str
    title: str
    tables: dict[str, SteeringTable]


@dataclass
class SteeringView:
    cycle: str
    setting_type: str
    threshold: int
    completeness: dict[str, SteeringTable] = field(default_factory=dict)
    standards: list[SteeringStandard] = field(default_factory=list)
    sections: list[SteeringSection] = field(default_factory=list)
    folding: Folding = field(default_factory=dict)  # dimension -> group -> group shown as
    summary: dict[str, Any] = field(default_factory=dict)  # `steering_summary`, JSON-ready

    def tables(self) -> Iterator[SteeringTable]:
        yield from self.completeness.values()
        for standard in self.standards:
            yield from standard.tables.values()
        for section in self.sections:
            yield from section.tables.values()

    def cells(self) -> tuple[int, int]:
        """(suppressed, shown) cells over every table, total rows included."""
        hidden = shown = 0
        for table in self.tables():
            for row in [*table.rows, table.total]:
                if row.suppressed:
                    hidden += len(table.columns)
                else:
                    shown += len(table.columns)
        return hidden, shown


def fold_by_group(
    by_group: dict[str, dict[str, int]], mapping: dict[str, str], dimension: str
) -> dict[str, dict[str, int]]:
    """Counts by group (group -> column -> count) with folded groups added together."""
    rows = [GroupCounts(g, 0, c) for g, c in by_group.items()]
    return {row.group: dict(row.counts) for row in fold_rows(rows, mapping, dimension)}


def steering_view(
    session: Session,
    cycle: str,
    setting_type: str = "school",
    threshold: int = THRESHOLD,
    *,
    fold: bool = True,
    areas: dict[str, str] | None = None,
) -> SteeringView:
    """The view of one cycle as it stands (snapshots keep it still; see `snapshots`).
    `fold=False` only to measure what folding saves (bench/bench_suppression.py)."""
    view = SteeringView(cycle, setting_type, threshold)
    data = overview(session, cycle, setting_type=setting_type)
    if fold:
        view.folding = fold_map(register_sizes(data.by, DIMENSIONS), areas=areas)
    view.completeness = _completeness(data.by, view.folding, threshold)
    reports = {d: compliance(session, cycle, setting_type, d) for d in DIMENSIONS}
    template_order = reports["phase"]
    if template_order is None:
        return view
    standard_tables: dict[str, dict[str, SteeringTable]] = {}
    section_tables: dict[str, dict[str, SteeringTable]] = {}
    for dimension, report in reports.items():
        assert report is not None  # all of them come from the same cycle template
        # One order for extra suppression per breakdown, so every table hides the same groups.
        mapping = view.folding.get(dimension, {})
        sizes = fold_sizes(report.returns_by_group, mapping, dimension)
        priority = sorted(sizes, key=lambda g: (sizes[g], g))
        for section in report.sections:
            members = {
                s.standard_id: fold_by_group(
                    {g: c.as_dict() for g, c in s.by_group.items()}, mapping, dimension
                )
                for s in report.standards
                if s.section_id == section.section_id
            }
            tables, section_table = suppress_section(
                dimension, RATINGS, members, priority, threshold
            )
            section_tables.setdefault(section.section_id, {})[dimension] = section_table
            for standard_id, table in tables.items():
                standard_tables.setdefault(standard_id, {})[dimension] = table
    view.standards = [
        SteeringStandard(
            s.standard_id, s.section_id, s.text, s.statutory, standard_tables[s.standard_id]
        )
        for s in template_order.standards
    ]
    view.sections = [
        SteeringSection(s.section_id, s.title, section_tables[s.section_id])
        for s in template_order.sections
    ]
    return view


def completeness_rows(
    by: dict[str, dict[str, Any]], folding: Folding
) -> dict[str, list[GroupCounts]]:
    """Completeness by every breakdown from `overview(...).by`, folded."""
    return {
        d: fold_rows(
            [
                GroupCounts(g, c.received, {col: getattr(c, col) for col in COMPLETENESS_COLUMNS})
                for g, c in by.get(d, {}).items()
            ],
            folding.get(d, {}),
            d,
        )
        for d in DIMENSIONS
    }


# Rule 4 of `suppression` for the completeness tables: each column within the one that holds
# it, so hidden rows never have none of their returns accepted (or all of them), none of their
# settings returned (or all), every return by the first deadline of those by the final one...
COMPLETENESS_SHARES = {
    "received": "expected",
    "received_by_final": "received",
    "received_by_first": "received_by_final",
    "accepted": "received",
}


def completeness_rule(threshold: int = THRESHOLD) -> FamilyRule:
    """The one-view rule for the completeness tables, live and in every snapshot."""
    return FamilyRule(
        COMPLETENESS_COLUMNS,
        threshold=threshold,
        shares=list(COMPLETENESS_SHARES),
        wholes=COMPLETENESS_SHARES,
    )


def _completeness(
    by: dict[str, dict[str, Any]], folding: Folding, threshold: int
) -> dict[str, SteeringTable]:
    return mask_family(completeness_rows(by, folding), completeness_rule(threshold))

"""The steering group's view: aggregates only, every small group suppressed (see `suppression`).

Breakdowns by phase, district, type, trust and size band of completeness and of each standard's
ratings. Each standard's table decides its hidden rows from the settings that answered it; a
section's table adds up only the numbers its standards' tables show, so it cannot give a hidden
one back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from school_audit.collector.aggregate.common import DIMENSIONS, RATINGS
from school_audit.collector.aggregate.compliance import compliance
from school_audit.collector.aggregate.overview import overview
from school_audit.collector.aggregate.suppression import (
    THRESHOLD,
    GroupCounts,
    SteeringTable,
    hide_totals_together,
    suppress,
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


def steering_view(
    session: Session, cycle: str, setting_type: str = "school", threshold: int = THRESHOLD
) -> SteeringView:
    view = SteeringView(cycle, setting_type, threshold)
    view.completeness = _completeness(session, cycle, setting_type, threshold)
    reports = {d: compliance(session, cycle, setting_type, d) for d in DIMENSIONS}
    template_order = reports["phase"]
    if template_order is None:
        return view
    standard_tables: dict[str, dict[str, SteeringTable]] = {}
    section_tables: dict[str, dict[str, SteeringTable]] = {}
    for dimension, report in reports.items():
        assert report is not None  # all of them come from the same cycle template
        # One order for extra suppression per breakdown, so every table hides the same groups.
        priority = sorted(report.returns_by_group, key=lambda g: (report.returns_by_group[g], g))
        for section in report.sections:
            members = {
                s.standard_id: {g: c.as_dict() for g, c in s.by_group.items()}
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


def _completeness(
    session: Session, cycle: str, setting_type: str, threshold: int
) -> dict[str, SteeringTable]:
    data = overview(session, cycle, setting_type=setting_type)
    tables = {}
    for dimension in DIMENSIONS:
        rows = [
            GroupCounts(g, c.received, {col: getattr(c, col) for col in COMPLETENESS_COLUMNS})
            for g, c in data.by.get(dimension, {}).items()
        ]
        tables[dimension] = suppress(dimension, COMPLETENESS_COLUMNS, rows, threshold)
    return hide_totals_together(tables)

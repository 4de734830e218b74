"""Trends: each standard against the previous cycle, following the template's `replaces`.

A renamed standard compares with its old id; a split one with the standard it came from; a merged
one with the old standards added together. "Red to green" counts settings whose answer to the
(mapped) standard went from not met last cycle to met this cycle.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from school_audit.collector.aggregate.common import RatingCounts, cycle_template
from school_audit.collector.aggregate.compliance import compliance, rating_counts
from school_audit.collector.cycles import previous_cycle
from school_audit.collector.db.tables import Answer
from school_audit.domain.template import ReplaceKind, Template


@dataclass(frozen=True)
class TrendRow:
    standard_id: str
    section_id: str
    text: str
    mapping: str  # same | renamed | split | merged | new
    previous_ids: tuple[str, ...]
    current: RatingCounts
    previous: RatingCounts | None
    red_to_green: int

    @property
    def change_in_met_share(self) -> float | None:
        if (
            self.previous is None
            or self.previous.share_met is None
            or self.current.share_met is None
        ):
            return None
        return self.current.share_met - self.previous.share_met


@dataclass
class TrendReport:
    cycle: str
    previous_cycle: str
    rows: list[TrendRow] = field(default_factory=list)
    retired: list[tuple[str, RatingCounts]] = field(default_factory=list)


def old_ids_for(
    template: Template, previous_ids: set[str]
) -> dict[str, tuple[str, tuple[str, ...]]]:
    """New standard id -> (mapping kind, old ids it compares with)."""
    mapped: dict[str, tuple[str, tuple[str, ...]]] = {}
    for item in template.replaces:
        if item.kind is not ReplaceKind.RETIRED:
            for new_id in item.new:
                mapped[new_id] = (item.kind.value, tuple(item.old))
    for standard in template.standards():
        if standard.id not in mapped:
            mapped[standard.id] = (
                ("same", (standard.id,)) if standard.id in previous_ids else ("new", ())
            )
    return mapped


def trends(session: Session, cycle: str, setting_type: str = "school") -> TrendReport | None:
    template = cycle_template(session, cycle, setting_type)
    if template is None:
        return None
    before = previous_cycle(cycle)
    report = TrendReport(cycle, before)
    current = compliance(session, cycle, setting_type)
    old_counts = {
        sid: RatingCounts.of(c) for (_, sid), c in rating_counts(session, before, None).items()
    }
    mapping = old_ids_for(template, set(old_counts))
    moved = _red_to_green(session, cycle, before, mapping)
    for row in current.standards if current else []:
        kind, old_ids = mapping.get(row.standard_id, ("new", ()))
        previous = None
        if old_ids and any(i in old_counts for i in old_ids):
            previous = RatingCounts()
            for old_id in old_ids:
                previous = previous + old_counts.get(old_id, RatingCounts())
        report.rows.append(TrendRow(row.standard_id, row.section_id, row.text, kind, old_ids, row.counts,
                                    previous, moved.get(row.standard_id, 0)))  # fmt: skip
    retired = [
        old for item in template.replaces if item.kind is ReplaceKind.RETIRED for old in item.old
    ]
    report.retired = [(old, old_counts[old]) for old in retired if old in old_counts]
    return report


def _red_to_green(
    session: Session, cycle: str, before: str, mapping: dict[str, tuple[str, tuple[str, ...]]]
) -> dict[str, int]:
    """Per new standard: settings not met last cycle (on a mapped old id) and met now."""
    old_to_new: dict[str, list[str]] = defaultdict(list)
    for new_id, (_, old_ids) in mapping.items():
        for old_id in old_ids:
            old_to_new[old_id].append(new_id)
    red = select(Answer.urn, Answer.standard_id).where(
        Answer.cycle == before, Answer.current.is_(True), Answer.rating == "not_met"
    )
    was_red = {(urn, new) for urn, old in session.execute(red) for new in old_to_new.get(old, [])}
    if not was_red:
        return {}
    green = (
        select(Answer.urn, Answer.standard_id)
        .where(Answer.cycle == cycle, Answer.current.is_(True), Answer.rating == "met")
        .where(Answer.urn.in_({urn for urn, _ in was_red}))
    )
    counts: dict[str, int] = defaultdict(int)
    for urn, standard_id in session.execute(green):
        if (urn, standard_id) in was_red:
            counts[standard_id] += 1
    return dict(counts)

"""Trends: each standard against the previous cycle, following the templates' `replaces`.

Every edition between the previous cycle's template and this cycle's is followed
(`mapped_from_previous`), and each cycle's answers count in its own template's ids whichever
edition a return answered (`editions`), as the compliance counts do.

A renamed standard compares with its old id; a split one with the standard it came from; a merged
one with the old standards added together. "Red to green" counts settings whose answer to the
(mapped) standard went from not met last cycle to met this cycle.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from school_audit.collector.aggregate import editions
from school_audit.collector.aggregate.common import RatingCounts, cycle_template
from school_audit.collector.aggregate.compliance import compliance, rating_counts
from school_audit.collector.cycles import previous_cycle
from school_audit.collector.db.tables import Answer, Submission
from school_audit.domain.carry_forward import standard_mapping
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


def mapped_from_previous(
    session: Session, before: str, setting_type: str, template: Template, previous_ids: set[str]
) -> tuple[dict[str, tuple[str, tuple[str, ...]]], list[str]]:
    """New standard id -> (mapping kind, old ids it compares with), and the old ids retired.

    Follows every edition between the previous cycle's template and this one (`previous` and
    each step's `replaces`, as `editions_between` finds them), so a cycle on 2025-26.2 compares
    with a 2024-25 cycle through 2025-26.1. Where no chain is known, this template's own
    `replaces` and the ids both share."""
    older = editions.cycle_refs(session.connection(), before).get(setting_type)
    found = (
        editions.chain(session.connection(), older, (template.id, template.version))
        if older
        else None
    )
    if found is None:
        retired = [
            old
            for item in template.replaces
            if item.kind is ReplaceKind.RETIRED
            for old in item.old
        ]
        return old_ids_for(template, previous_ids), retired
    old, new, via = found
    sources: dict[str, list[tuple[str, ReplaceKind | None]]] = defaultdict(list)
    retired = []
    for old_id, (new_ids, kind) in standard_mapping(old, new, via).items():
        if not new_ids or kind is ReplaceKind.RETIRED:
            retired.append(old_id)
        for new_id in new_ids:
            sources[new_id].append((old_id, kind))
    mapped: dict[str, tuple[str, tuple[str, ...]]] = {}
    for standard in template.standards():
        came = sources.get(standard.id, [])
        old_ids = tuple(old_id for old_id, _ in came)
        kinds = {kind for _, kind in came}
        if not came:
            mapped[standard.id] = ("new", ())
        elif len(came) > 1 or ReplaceKind.MERGED in kinds:
            mapped[standard.id] = ("merged", old_ids)
        elif ReplaceKind.SPLIT in kinds:
            mapped[standard.id] = ("split", old_ids)
        elif old_ids == (standard.id,):
            mapped[standard.id] = ("same", old_ids)
        else:
            mapped[standard.id] = ("renamed", old_ids)
    return mapped, retired


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
    mapping, retired = mapped_from_previous(
        session, before, setting_type, template, set(old_counts)
    )
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
    report.retired = [(old, old_counts[old]) for old in retired if old in old_counts]
    return report


def _red_to_green(
    session: Session, cycle: str, before: str, mapping: dict[str, tuple[str, tuple[str, ...]]]
) -> dict[str, int]:
    """Per new standard: settings not met last cycle (on a mapped old id) and met now. Each
    cycle's answers are read in its own template's ids first (`editions`), whichever edition
    the return answered, as the counts are."""
    old_to_new: dict[str, list[str]] = defaultdict(list)
    for new_id, (_, old_ids) in mapping.items():
        for old_id in old_ids:
            old_to_new[old_id].append(new_id)
    was_red = {
        (urn, new)
        for urn, old in _answers(session, before, "not_met")
        for new in old_to_new.get(old, [])
    }
    if not was_red:
        return {}
    urns = {urn for urn, _ in was_red}
    counts: dict[str, int] = defaultdict(int)
    for urn, standard_id in set(_answers(session, cycle, "met", urns)):
        if (urn, standard_id) in was_red:
            counts[standard_id] += 1
    return dict(counts)


def _answers(
    session: Session, cycle: str, rating: str, urns: set[str] | None = None
) -> Iterator[tuple[str, str]]:
    """(setting, standard id in the cycle template's ids) of the cycle's current answers."""
    answered = editions.cycle_editions(session.connection(), cycle)
    query = (
        select(Answer.urn, Answer.standard_id, Submission.template_id, Submission.template_version)
        .join(Submission, Submission.submission_id == Answer.submission_id)
        .where(Answer.cycle == cycle, Answer.current.is_(True), Answer.rating == rating)
    )
    if urns is not None:
        query = query.where(Answer.urn.in_(sorted(urns)))
    for urn, standard_id, template_id, version in session.execute(query):
        for target in answered.cycle_ids((template_id, version), standard_id):
            yield urn, target

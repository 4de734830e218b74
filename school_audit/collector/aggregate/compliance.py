"""Compliance: the share of settings meeting each standard and section, overall or by group.

The counts come from the kept counts (`kept`: per group, standard and rating, updated as returns
become current), so a page reads O(standards x groups) rows whatever the number of returns.
The scans they replace stay as `scanned_rating_counts` and `scanned_returns_by_group` (one GROUP
BY over current answers) for checking. Python only
arranges the few thousand counts that come back.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, func, literal, literal_column, select
from sqlalchemy.orm import Session

from school_audit.collector.aggregate import editions
from school_audit.collector.aggregate.common import (
    RATINGS,
    REGISTER_DIMENSIONS,
    RatingCounts,
    answer_group_column,
    cycle_template,
    group_name,
    group_sort_key,
)
from school_audit.collector.db.tables import (
    Answer,
    CurrentReturn,
    Establishment,
    KeptAnswerCount,
    KeptReturnCount,
    Submission,
)
from school_audit.domain.template import Template


@dataclass(frozen=True)
class StandardCompliance:
    standard_id: str
    section_id: str
    text: str
    statutory: bool
    counts: RatingCounts
    by_group: dict[str, RatingCounts] = field(default_factory=dict)


@dataclass(frozen=True)
class SectionCompliance:
    section_id: str
    title: str
    counts: RatingCounts  # answers across the section's standards
    by_group: dict[str, RatingCounts] = field(default_factory=dict)


@dataclass(frozen=True)
class ComplianceReport:
    cycle: str
    setting_type: str
    template_id: str
    template_version: str
    dimension: str | None
    groups: list[str]
    returns: int  # settings with a current return counted here
    returns_by_group: dict[str, int]
    standards: list[StandardCompliance]
    sections: list[SectionCompliance]


Counts = dict[tuple[str, str], dict[str, int]]  # (group, standard id) -> rating -> count


def rating_counts(session: Session, cycle: str, dimension: str | None) -> Counts:
    """Current answers of the cycle by (group, standard, rating), from the kept counts: a few
    thousand rows whatever the number of returns (see `kept`)."""
    table = KeptAnswerCount
    where = (table.cycle == cycle, table.dimension == (dimension or "phase"), table.n != 0)
    if dimension:  # one row per group, standard and rating: nothing to add up
        query = select(table.grp, table.standard_id, table.rating, table.n).where(*where)
    else:  # every return has a phase: the overall count is the sum over the phases
        columns = (table.standard_id, table.rating)
        query = select(literal(""), *columns, func.sum(table.n)).where(*where).group_by(*columns)
    counts: Counts = defaultdict(dict)
    for group, standard, rating, count in session.connection().execute(query):
        counts[(group, standard)][rating] = int(count)
    return counts


Vectors = dict[tuple[str, str], tuple[int, int, int, int]]  # (group, standard) -> RATINGS' counts


def rating_vectors(session: Session, cycle: str, dimension: str | None) -> Vectors:
    """`rating_counts` with the ratings side by side, summed in SQL along the kept counts' key:
    a row per group and standard (a quarter of the rows), ready for `build_report`."""
    table = KeptAnswerCount
    where = (table.cycle == cycle, table.dimension == (dimension or "phase"))
    sums = [func.sum(case((table.rating == literal_column(f"'{r}'"), table.n), else_=0))
            for r in RATINGS]  # fmt: skip
    group = table.grp if dimension else literal_column("''")
    keys = (table.grp, table.standard_id) if dimension else (table.standard_id,)
    query = select(group, table.standard_id, *sums).where(*where).group_by(*keys)
    return {
        (row[0], row[1]): (int(row[2]), int(row[3]), int(row[4]), int(row[5]))
        for row in session.connection().execute(query)
    }


def returns_by_group(
    session: Session, cycle: str, setting_type: str, dimension: str | None
) -> dict[str, int]:
    """Settings with a current return, by group (the denominator the pages quote), from the
    kept counts: one per establishment, as `current_returns` holds one per school and cycle."""
    table = KeptReturnCount
    query = select(table.grp, table.n).where(
        table.cycle == cycle,
        table.setting_type == setting_type,
        table.dimension == (dimension or ""),
        table.n != 0,
    )
    found = {group: int(n) for group, n in session.connection().execute(query)}
    return found if dimension else {"": found.get("", 0)}


def scanned_rating_counts(session: Session, cycle: str, dimension: str | None) -> Counts:
    """`rating_counts` by scanning the answer rows (one GROUP BY, by the edition answered as
    well, translated into the cycle template's ids as the kept counts are: `editions`): what
    the kept counts must equal; the property tests compare the two."""
    group = answer_group_column(dimension) if dimension else None
    ref = [Submission.template_id, Submission.template_version]
    columns = [Answer.standard_id, Answer.rating, *ref, func.count()]
    query = select(*columns) if group is None else select(group, *columns)
    query = query.where(Answer.cycle == cycle, Answer.current.is_(True))
    # Through the cycle's submissions: SQLite then reads each one's answers by the
    # submission index instead of looking the register up once per answer (2-3x faster).
    query = query.join(Submission, Submission.submission_id == Answer.submission_id).where(
        Submission.cycle == cycle
    )
    if dimension in REGISTER_DIMENSIONS:
        query = query.join(Establishment, Establishment.urn == Submission.urn)
    keys = [Answer.standard_id, Answer.rating, *ref]
    answered = editions.cycle_editions(session.connection(), cycle)
    counts: Counts = defaultdict(dict)
    for row in session.connection().execute(
        query.group_by(*keys, *([group] if group is not None else []))
    ):
        values = tuple(row)
        name = "" if group is None else group_name(values[0], dimension or "")
        standard, rating, template_id, version, count = values[-5:]
        for target in answered.cycle_ids((template_id, version), standard):
            bucket = counts[(name, target)]
            bucket[rating] = bucket.get(rating, 0) + int(count)
    return counts


def scanned_returns_by_group(
    session: Session, cycle: str, setting_type: str, dimension: str | None
) -> dict[str, int]:
    """`returns_by_group` by scanning the current returns and the register."""
    columns = {
        "phase": Submission.phase,
        "district": Submission.district,
        **{name: answer_group_column(name) for name in REGISTER_DIMENSIONS},
    }
    query = (
        select(func.count(func.distinct(Submission.urn)))
        .join(CurrentReturn, CurrentReturn.submission_id == Submission.submission_id)
        .where(Submission.cycle == cycle, Submission.setting_type == setting_type)
    )
    if dimension is None:
        return {"": int(session.scalar(query) or 0)}
    group = columns[dimension]
    grouped: Any = query.add_columns(group).group_by(group)
    if dimension in REGISTER_DIMENSIONS:
        grouped = grouped.join(Establishment, Establishment.urn == Submission.urn)
    result: dict[str, int] = defaultdict(int)
    for count, value in session.execute(grouped):
        result[group_name(value, dimension)] += int(count)  # e.g. no trust and an empty one
    return dict(result)


def compliance(
    session: Session, cycle: str, setting_type: str = "school", dimension: str | None = None
) -> ComplianceReport | None:
    """The compliance page's data; None when the cycle has no template for this setting type."""
    template = cycle_template(session, cycle, setting_type)
    if template is None:
        return None
    counts = rating_vectors(session, cycle, dimension)
    returns = returns_by_group(session, cycle, setting_type, dimension)
    return build_report(template, cycle, dimension, counts, returns)


def build_report(
    template: Template,
    cycle: str,
    dimension: str | None,
    counts: Counts | Vectors,
    returns: dict[str, int],
) -> ComplianceReport:
    """Arrange the counts (by rating, or `rating_vectors`' tuples) along the template. Plain
    tuples until the end: at 150 standards by forty trusts this is the only Python work the page
    does on top of the query, so it makes one pass and no intermediate dictionaries."""
    groups = sorted(returns, key=lambda g: group_sort_key(dimension or "", g)) if dimension else []
    keys = groups or [""]
    found = counts.get
    standards, sections = [], []
    for section in template.sections:
        rated = [standard for standard in section.standards if standard.is_rated]
        if not rated:
            continue
        sums = [[0, 0, 0, 0] for _ in keys]
        for standard in rated:
            vectors = [_vector(found((g, standard.id))) for g in keys]
            for bucket, (met, partly, not_met, na) in zip(sums, vectors, strict=True):
                bucket[0] += met
                bucket[1] += partly
                bucket[2] += not_met
                bucket[3] += na
            total = RatingCounts(*map(sum, zip(*vectors, strict=True)))
            by_group = {g: RatingCounts(*v) for g, v in zip(groups, vectors, strict=False)}
            standards.append(
                StandardCompliance(standard.id, section.id, standard.text, standard.statutory,
                                   total, by_group)
            )  # fmt: skip
        section_total = RatingCounts(*map(sum, zip(*sums, strict=True)))
        by_group = {g: RatingCounts(*v) for g, v in zip(groups, sums, strict=False)}
        sections.append(SectionCompliance(section.id, section.title, section_total, by_group))
    return ComplianceReport(
        cycle=cycle,
        setting_type=template.setting_type.value,
        template_id=template.id,
        template_version=template.version,
        dimension=dimension,
        groups=groups,
        returns=sum(returns.values()),
        returns_by_group={g: returns.get(g, 0) for g in groups},
        standards=standards,
        sections=sections,
    )


def _vector(counts: dict[str, int] | tuple[int, int, int, int] | None) -> tuple[int, ...]:
    if not counts:
        return (0, 0, 0, 0)
    if isinstance(counts, tuple):
        return counts
    return tuple(counts.get(rating, 0) for rating in RATINGS)

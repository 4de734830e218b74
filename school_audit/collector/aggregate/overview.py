"""Completeness: who was expected, who has returned (by the first and the final deadline), who
was accepted, and who is overdue, by phase, type, district, trust (MAT), size band and setting
type.

The counts are kept as returns, reviews, exemptions and register changes arrive
(`kept_status`): the page reads a row per setting type and group, never the returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from school_audit.collector.aggregate.common import (
    end_of_day,
    group_name,
    group_sort_key,
    size_code,
)
from school_audit.collector.aggregate.kept_status import completeness_rows
from school_audit.collector.cycles import CycleInfo, cycle_info, expected_query
from school_audit.collector.db.tables import CurrentReturn, Establishment, Exemption, Submission

BREAKDOWNS = ("setting_type", "phase", "type", "district", "trust", "size")
# The scan's groupings: crossing trust and size with the others would give a row per school.
# The first grouping also makes the totals.
GROUPINGS = (("setting_type", "phase", "type", "district"), ("trust",), ("size",))


@dataclass
class Completeness:
    expected: int = 0
    received: int = 0
    received_by_first: int = 0
    received_by_final: int = 0
    accepted: int = 0
    returned: int = 0  # sent back for changes, awaiting a new revision
    quarantined: int = 0
    overdue: int = 0  # expected, nothing received, first deadline passed

    def add(self, other: Completeness) -> None:
        for item in fields(self):
            setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))

    def share(self, name: str) -> float | None:
        return getattr(self, name) / self.expected if self.expected else None


@dataclass
class Overview:
    cycle: CycleInfo
    today: date
    totals: Completeness
    exempt: int
    by: dict[str, dict[str, Completeness]] = field(default_factory=dict)  # breakdown -> group

    @property
    def first_deadline_passed(self) -> bool:
        return bool(self.cycle.first_deadline and self.today > self.cycle.first_deadline)

    @property
    def final_deadline_passed(self) -> bool:
        return bool(self.cycle.final_deadline and self.today > self.cycle.final_deadline)


@dataclass(frozen=True)
class MissingReturn:
    """An expected setting with no return yet, and how to reach it (LA officers only)."""

    urn: str
    name: str
    setting_type: str
    phase: str
    district: str
    type_group: str
    head_name: str
    contact_name: str
    contact_email: str
    telephone: str
    overdue: str  # "not yet due", "past first deadline", "past final deadline"


def overview(
    session: Session, cycle: str, today: date | None = None, setting_type: str | None = None
) -> Overview:
    """Completeness of `cycle` (for one setting type, or all), from the kept counts: a row per
    setting type and group whatever the number of returns (see `kept_status`)."""
    info = cycle_info(session, cycle)
    today = today or date.today()
    kinds = (setting_type,) if setting_type else tuple(sorted(info.templates))
    late = bool(info.first_deadline and today > info.first_deadline)
    width = len(fields(Completeness))
    totals = [0] * width
    buckets: dict[tuple[str, str], list[int]] = {}
    for kind, dimension, group, *values in completeness_rows(session.connection(), cycle, kinds):
        counts = [int(v) for v in values]
        counts.append(counts[0] - counts[1] if late else 0)  # overdue
        if dimension == "":  # all of the setting type: the totals and the by-setting-type table
            targets = [totals, buckets.setdefault(("setting_type", group_name(kind)), [0] * width)]
        else:
            targets = [buckets.setdefault((dimension, group), [0] * width)]
        for bucket in targets:
            for index, value in enumerate(counts):
                bucket[index] += value
    result = Overview(info, today, Completeness(*totals), _exempt_count(session, cycle))
    result.by = {name: {} for name in BREAKDOWNS}
    for (name, group), values in sorted(
        buckets.items(), key=lambda item: (item[0][0], group_sort_key(*item[0]))
    ):
        result.by[name][group] = Completeness(*values)
    return result


def _returns_subquery(cycle: str):  # type: ignore[no-untyped-def]
    """One row per establishment that sent anything for the cycle: when it first did, whether
    its current return is accepted or returned, and whether a return of it waits in quarantine
    (a duplicate or a content-rule breach, not counted until an officer releases it)."""
    current = CurrentReturn.submission_id.is_not(None)
    return (
        select(
            Submission.urn.label("urn"),
            func.min(Submission.received_at).label("first_at"),
            func.max(case((current & (Submission.status == "accepted"), 1), else_=0)).label(
                "accepted"
            ),
            func.max(case((current & (Submission.status == "returned"), 1), else_=0)).label(
                "returned"
            ),
            func.max(case((Submission.status == "quarantined", 1), else_=0)).label("quarantined"),
        )
        .outerjoin(CurrentReturn, CurrentReturn.submission_id == Submission.submission_id)
        .where(Submission.cycle == cycle)
        .group_by(Submission.urn)
        .subquery()
    )


def scanned_overview(
    session: Session, cycle: str, today: date | None = None, setting_type: str | None = None
) -> Overview:
    """`overview` by joining the expected register to a grouping of the cycle's returns (a scan
    of them): what the kept counts must give; the property tests compare the two."""
    info = cycle_info(session, cycle)
    today = today or date.today()
    kinds = (setting_type,) if setting_type else tuple(sorted(info.templates))
    late = bool(info.first_deadline and today > info.first_deadline)
    width = len(fields(Completeness))
    totals = [0] * width
    buckets: dict[tuple[str, str], list[int]] = {}
    exempt = 0
    for names in GROUPINGS:
        query = _completeness_query(cycle, kinds, info.first_deadline, info.final_deadline, names)
        keys = len(names)
        for row in session.connection().execute(query):
            exempt = int(row[-1] or 0)
            counts = [int(v or 0) for v in row[keys:-1]]
            counts.append(counts[0] - counts[1] if late else 0)  # overdue
            for bucket in ([totals] if names == GROUPINGS[0] else []) + [
                buckets.setdefault((name, group_name(value, name)), [0] * width)
                for name, value in zip(names, row[:keys], strict=True)
            ]:
                for index, value in enumerate(counts):
                    bucket[index] += value
    if not buckets:  # no row came back to carry the count
        exempt = _exempt_count(session, cycle)
    result = Overview(info, today, Completeness(*totals), exempt)
    result.by = {name: {} for name in BREAKDOWNS}
    for (name, group), values in sorted(
        buckets.items(), key=lambda item: (item[0][0], group_sort_key(*item[0]))
    ):
        result.by[name][group] = Completeness(*values)
    return result


@lru_cache(maxsize=64)
def _completeness_query(
    cycle: str,
    kinds: tuple[str, ...],
    first_deadline: date | None,
    final_deadline: date | None,
    names: tuple[str, ...],
) -> Select[Any]:
    """Built once per cycle and deadlines: building the expression costs more than running it."""
    returns = _returns_subquery(cycle)
    expected = expected_query(cycle, list(kinds)).order_by(None).subquery()

    def on_time(limit: datetime | None) -> Any:
        if limit is None:  # no deadline set: everything received counts
            return func.count(returns.c.urn)
        return func.coalesce(func.sum(case((returns.c.first_at < limit, 1), else_=0)), 0)

    columns = {
        "setting_type": expected.c.setting_type,
        "phase": expected.c.phase,
        "type": expected.c.type_group,
        "district": expected.c.district,
        "trust": expected.c.trust_name,
        "size": size_code(expected.c.pupils, expected.c.setting_type),
    }
    keys = [columns[name] for name in names]
    return (
        select(
            *keys, func.count(), func.count(returns.c.urn),
            on_time(end_of_day(first_deadline)), on_time(end_of_day(final_deadline)),
            func.coalesce(func.sum(returns.c.accepted), 0),
            func.coalesce(func.sum(returns.c.returned), 0),
            func.coalesce(func.sum(returns.c.quarantined), 0),
            select(func.count()).where(Exemption.cycle == cycle).scalar_subquery(),
        )
        .select_from(expected)
        .outerjoin(returns, returns.c.urn == expected.c.urn)
        .group_by(*keys)
    )  # fmt: skip


def _exempt_count(session: Session, cycle: str) -> int:
    query = select(func.count()).select_from(Exemption).where(Exemption.cycle == cycle)
    return int(session.scalar(query) or 0)


def missing_returns(session: Session, cycle: str, today: date | None = None) -> list[MissingReturn]:
    """Expected settings with no return in the cycle, by district and name, for chasing."""
    info = cycle_info(session, cycle)
    today = today or date.today()
    status = "not yet due"
    if info.final_deadline and today > info.final_deadline:
        status = "past final deadline"
    elif info.first_deadline and today > info.first_deadline:
        status = "past first deadline"
    returned = select(Submission.urn).where(Submission.cycle == cycle)
    query = (
        expected_query(cycle, list(info.templates))
        .where(Establishment.urn.not_in(returned))
        .order_by(None)
        .order_by(Establishment.district, Establishment.name)
    )
    return [
        MissingReturn(
            urn=e.urn, name=e.name, setting_type=e.setting_type, phase=e.phase,
            district=e.district or "", type_group=e.type_group or "", head_name=e.head_name or "",
            contact_name=e.contact_name or "", contact_email=e.contact_email or "",
            telephone=e.telephone or "", overdue=status,
        )
        for e in session.scalars(query)
    ]  # fmt: skip

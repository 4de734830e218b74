"""Completeness: who was expected, who has returned (by the first and the final deadline), who
was accepted, and who is overdue, by phase, type, district, trust (MAT), size band and setting
type.

The counts are kept as returns, reviews, exemptions and register changes arrive
(`kept_status`): the page reads a row per setting type and group, never the returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from school_audit.collector.aggregate.common import group_name, group_sort_key
from school_audit.collector.aggregate.kept_status import completeness_rows
from school_audit.collector.cycles import CycleInfo, cycle_info, expected_query
from school_audit.collector.db.tables import Establishment, Exemption, Submission

BREAKDOWNS = ("setting_type", "phase", "type", "district", "trust", "size")


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

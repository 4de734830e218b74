"""Shared pieces of the aggregate queries: rating counts, breakdown dimensions, cycle templates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from school_audit.collector.catalog import TemplateCache
from school_audit.collector.cycles import CycleInfo, cycle_info
from school_audit.collector.db.tables import Answer, Establishment
from school_audit.domain.template import Template

RATINGS = ("met", "partially_met", "not_met", "not_applicable")
DIMENSIONS = {"phase": "Phase", "district": "District", "type": "Type"}
UNKNOWN_GROUP = "(not recorded)"
_templates = TemplateCache()


@dataclass(frozen=True)
class RatingCounts:
    """How many answers (or settings) gave each rating. Shares are of rated answers (no N/A)."""

    met: int = 0
    partially_met: int = 0
    not_met: int = 0
    not_applicable: int = 0

    @classmethod
    def of(cls, counts: dict[str, int]) -> RatingCounts:
        return cls(**{rating: int(counts.get(rating, 0)) for rating in RATINGS})

    def __add__(self, other: RatingCounts) -> RatingCounts:
        return RatingCounts(*(getattr(self, r) + getattr(other, r) for r in RATINGS))

    @property
    def rated(self) -> int:
        return self.met + self.partially_met + self.not_met

    @property
    def total(self) -> int:
        return self.rated + self.not_applicable

    @property
    def not_fully_met(self) -> int:
        return self.partially_met + self.not_met

    def share(self, rating: str) -> float | None:
        return getattr(self, rating) / self.rated if self.rated else None

    @property
    def share_met(self) -> float | None:
        return self.share("met")

    @property
    def share_partially_met(self) -> float | None:
        return self.share("partially_met")

    @property
    def share_not_met(self) -> float | None:
        return self.share("not_met")

    def as_dict(self) -> dict[str, int]:
        return {rating: getattr(self, rating) for rating in RATINGS}


def answer_group_column(dimension: str) -> Any:
    """The column of `answers` (phase, district) or of `establishments` (type) to group by."""
    columns: dict[str, Any] = {
        "phase": Answer.phase,
        "district": Answer.district,
        "type": Establishment.type_group,
    }
    if dimension not in columns:
        raise ValueError(f"unknown breakdown {dimension!r}; one of {', '.join(DIMENSIONS)}")
    return columns[dimension]


def establishment_group_column(dimension: str) -> Any:
    columns: dict[str, Any] = {
        "phase": Establishment.phase,
        "district": Establishment.district,
        "type": Establishment.type_group,
        "setting_type": Establishment.setting_type,
    }
    if dimension not in columns:
        raise ValueError(f"unknown breakdown {dimension!r}")
    return columns[dimension]


def group_name(value: object) -> str:
    return str(value) if value not in (None, "") else UNKNOWN_GROUP


def cycle_template(session: Session, cycle: str, setting_type: str) -> Template | None:
    """The template the cycle uses for this kind of setting (None if it has none)."""
    info = cycle_info(session, cycle)
    ref = info.templates.get(setting_type)
    if ref is None:
        return None
    published = _templates.get(session, *ref)
    return published.template if published else None


def end_of_day(day: date | None) -> datetime | None:
    """Deadlines are days: a return counts as on time until midnight at the end of the day."""
    if day is None:
        return None
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=UTC)


def get_cycle(session: Session, cycle: str) -> CycleInfo:
    return cycle_info(session, cycle)


def template_standard_ids(session: Session, cycle: str, setting_type: str) -> list[str]:
    template = cycle_template(session, cycle, setting_type)
    return [s.id for s in template.standards() if s.is_rated] if template else []

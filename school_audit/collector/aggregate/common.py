"""Shared pieces of the aggregate queries: rating counts, breakdown dimensions, cycle templates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import case, literal_column
from sqlalchemy.orm import Session

from school_audit.collector.catalog import TemplateCache
from school_audit.collector.cycles import CycleInfo, cycle_info
from school_audit.collector.db.tables import Answer, Establishment
from school_audit.collector.register.sizes import BAND_ORDER, SIZE_NOT_KNOWN, bands_for
from school_audit.domain.template import Template

RATINGS = ("met", "partially_met", "not_met", "not_applicable")
DIMENSIONS = {
    "phase": "Phase",
    "district": "District",
    "type": "Type",
    "trust": "Trust",  # the multi-academy trust (MAT)
    "size": "Size band",
}
# Breakdowns read from the register, so their queries join `establishments`.
REGISTER_DIMENSIONS = {"type", "trust", "size"}
UNKNOWN_GROUP = "(not recorded)"
NOT_IN_TRUST = "Not in a trust"
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
    """The column of `answers` (phase, district) or the register expression (type, trust, size)
    to group by; the caller joins `establishments` for those in REGISTER_DIMENSIONS."""
    return _group_column(
        {"phase": Answer.phase, "district": Answer.district, **_register_columns()}, dimension
    )


def establishment_group_column(dimension: str) -> Any:
    columns = {
        "phase": Establishment.phase,
        "district": Establishment.district,
        "setting_type": Establishment.setting_type,
        **_register_columns(),
    }
    return _group_column(columns, dimension)


def _register_columns() -> dict[str, Any]:
    """The breakdowns read from the register as it is now (REGISTER_DIMENSIONS)."""
    return {
        "type": Establishment.type_group,
        "trust": Establishment.trust_name,
        "size": size_code(Establishment.pupils, Establishment.setting_type),
    }


def _group_column(columns: dict[str, Any], dimension: str) -> Any:
    if dimension not in columns:
        raise ValueError(f"unknown breakdown {dimension!r}; one of {', '.join(columns)}")
    return columns[dimension]


def size_code(pupils: Any, setting_type: Any) -> Any:
    """SQL for the size band's position in BAND_ORDER (see `register.sizes.size_band`).

    Constants are written into the SQL, not bound: PostgreSQL only accepts a grouped expression
    in the select list if it reads exactly as in GROUP BY, and two binds of 100 do not."""

    def banded(kind: str) -> Any:
        bands = bands_for(kind)
        whens: list[tuple[Any, Any]] = [
            (pupils <= literal_column(str(largest)), literal_column(str(BAND_ORDER.index(label))))
            for largest, label in bands
            if largest is not None
        ]
        return case(*whens, else_=literal_column(str(BAND_ORDER.index(bands[-1][1]))))

    return case(
        (pupils.is_(None), literal_column(str(BAND_ORDER.index(SIZE_NOT_KNOWN)))),
        (setting_type == literal_column("'early_years'"), banded("early_years")),
        else_=banded("school"),
    )


def group_name(value: object, dimension: str = "") -> str:
    """A group's key as the pages and exports name it."""
    if dimension == "size":
        return BAND_ORDER[int(str(value))] if value is not None else SIZE_NOT_KNOWN
    if dimension == "trust":
        return str(value) if value not in (None, "") else NOT_IN_TRUST
    return str(value) if value not in (None, "") else UNKNOWN_GROUP


def group_sort_key(dimension: str, group: str) -> tuple[int, str]:
    """Size bands smallest first; settings outside any trust after the trusts; others by name."""
    if dimension == "size" and group in BAND_ORDER:
        return (BAND_ORDER.index(group), "")
    if dimension == "trust":
        return (int(group == NOT_IN_TRUST), group)
    return (0, group)


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

"""The choices at the top of the analysis pages: cycle, kind of setting and breakdown."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from school_audit.collector.aggregate.common import DIMENSIONS as BREAKDOWN_LABELS
from school_audit.collector.cycles import list_cycles
from school_audit.collector.register.model import TYPE_GROUPS
from school_audit.domain.setting import EARLY_YEARS_PHASES, SCHOOL_PHASES

SETTING_TYPES = {"school": "Schools", "early_years": "Early years"}
PHASE_LABELS = {**SCHOOL_PHASES, **EARLY_YEARS_PHASES}
DIMENSIONS = {"": "No breakdown", **BREAKDOWN_LABELS}


@dataclass(frozen=True)
class Choice:
    cycle: str
    cycles: list[str]
    setting_type: str
    dimension: str

    @property
    def dimension_label(self) -> str:
        return DIMENSIONS.get(self.dimension, "")

    @property
    def setting_label(self) -> str:
        return SETTING_TYPES[self.setting_type]


def choose(
    session: Session, cycle: str = "", setting_type: str = "", dimension: str = ""
) -> Choice:
    """Unknown values fall back to the defaults (newest cycle, schools, no breakdown)."""
    cycles = [
        info.cycle for info in sorted(list_cycles(session), key=lambda c: c.cycle, reverse=True)
    ]
    return Choice(
        cycle=cycle if cycle in cycles else (cycles[0] if cycles else ""),
        cycles=cycles,
        setting_type=setting_type if setting_type in SETTING_TYPES else "school",
        dimension=dimension if dimension in DIMENSIONS else "",
    )


def group_label(dimension: str, key: str) -> str:
    """How a breakdown's group is named on the page (type and setting keys become words)."""
    if dimension == "type":
        return TYPE_GROUPS.get(key, key)
    if dimension == "setting_type":
        return SETTING_TYPES.get(key, key)
    if dimension == "phase":
        return PHASE_LABELS.get(key, key)
    return key

"""From GIAS type, phase, name and ages to our phase and type group.

GIAS says "Primary" for first, infant and junior schools and "Secondary" for high schools; the
three-tier areas need those told apart, so the name and the statutory ages refine the GIAS phase.
Special schools, PRUs / alternative provision and independent schools are known by their type.
"""

from __future__ import annotations

import re

SPECIAL_TYPES = {
    "community special school",
    "foundation special school",
    "non-maintained special school",
    "academy special converter",
    "academy special sponsor led",
    "free schools special",
    "other independent special school",
}
PRU_AP_TYPES = {
    "pupil referral unit",
    "academy alternative provision converter",
    "academy alternative provision sponsor led",
    "free schools alternative provision",
}
INDEPENDENT_TYPES = {"other independent school", "independent schools approved for sen pupils"}
COLLEGE_TYPES = {
    "further education",
    "sixth form centres",
    "academy 16-19 converter",
    "academy 16-19 sponsor led",
    "free schools 16 to 19",
    "academy 16 to 19 sponsor led",
    "special post 16 institution",
}
# Establishments that do not make a section 175/157 return to the LA.
OUT_OF_SCOPE_TYPES = {
    "higher education institutions",
    "welsh establishment",
    "british schools overseas",
    "offshore schools",
    "service children's education",
    "children's centre",
    "children's centre linked site",
    "online provider",
    "institution funded by other government department",
    "miscellaneous",
    "secure units",
}

GIAS_PHASES = {
    "nursery": "nursery",
    "primary": "primary",
    "middle deemed primary": "middle_deemed_primary",
    "middle deemed secondary": "middle_deemed_secondary",
    "secondary": "secondary",
    "16 plus": "sixteen_plus",
    "all-through": "all_through",
    "all through": "all_through",
}

TYPE_GROUP_BY_GIAS_GROUP = {
    "local authority maintained schools": "maintained",
    "academies": "academy",
    "free schools": "free_school",
    "independent schools": "independent",
    "colleges": "college",
}


def school_phase(
    type_name: str, gias_phase: str, name: str, low_age: int | None, high_age: int | None
) -> str | None:
    """Our phase for a school, or None when nothing identifies one."""
    kind = type_name.strip().lower()
    if kind in SPECIAL_TYPES:
        return "special"
    if kind in PRU_AP_TYPES:
        return "pru_ap"
    if kind in INDEPENDENT_TYPES:
        return "independent"
    phase = GIAS_PHASES.get(gias_phase.strip().lower())
    if phase == "primary":
        return _primary_kind(name, low_age, high_age)
    if phase == "secondary":
        return _secondary_kind(name, low_age)
    if phase is None and kind in COLLEGE_TYPES:
        return "sixteen_plus"
    return phase


def _has(name: str, words: str) -> bool:
    return re.search(rf"\b{words}\b", name, flags=re.IGNORECASE) is not None


def _primary_kind(name: str, low_age: int | None, high_age: int | None) -> str:
    if _has(name, "(juniors?|infants?) and (infants?|juniors?)"):
        return "primary"  # "Junior and Infant School": both, so a primary
    if _has(name, "first( school)?"):
        return "first"
    if _has(name, "infants?'?( school)?"):
        return "infant"
    if _has(name, "junior( school)?"):
        return "junior"
    if _has(name, "primary"):
        return "primary"
    # No telling word in the name: a first school runs to 9 (or 10), an infant to 7.
    if high_age in (9, 10) and (low_age or 0) <= 5:
        return "first"
    if high_age == 7:
        return "infant"
    if low_age == 7:
        return "junior"
    return "primary"


def _secondary_kind(name: str, low_age: int | None) -> str:
    # High schools of three-tier areas take pupils from 12 or 13; some two-tier secondaries
    # are also called "High School", which the LA calls high too.
    if _has(name, "high( school)?") or low_age in (12, 13):
        return "high"
    return "secondary"


def type_group(gias_group: str, type_name: str) -> str:
    group = gias_group.strip().lower()
    if group == "special schools":  # community and foundation special schools are maintained
        nonmaintained = type_name.strip().lower() == "non-maintained special school"
        return "special_non_maintained" if nonmaintained else "maintained"
    return TYPE_GROUP_BY_GIAS_GROUP.get(gias_group.strip().lower(), "other")


def is_out_of_scope(type_name: str) -> bool:
    return type_name.strip().lower() in OUT_OF_SCOPE_TYPES

"""What the app asks and says for each kind of setting.

Early-years providers and childminders are not small schools: a childminder is never asked about
a sixth form, boarding or a multi-academy trust, nor for a "head teacher", and signs alone. The
profile keeps the same fields for everyone (the head's place holds a group setting's manager, the
chair's the registered person); these tables say which are asked and what they are called.
"""

from __future__ import annotations

from enum import StrEnum

from school_audit.domain.setting import SettingType


class SettingKind(StrEnum):
    SCHOOL = "school"
    GROUP_EARLY_YEARS = "group_early_years"  # nursery, pre-school, club: a manager and staff
    CHILDMINDER = "childminder"


def kind_of(setting_type: SettingType, phase: str) -> SettingKind:
    if setting_type is SettingType.SCHOOL:
        return SettingKind.SCHOOL
    return SettingKind.CHILDMINDER if phase == "childminder" else SettingKind.GROUP_EARLY_YEARS


# The profile flags each kind is asked about (the others are saved as "no").
FLAGS_ASKED: dict[SettingKind, tuple[str, ...]] = {
    SettingKind.SCHOOL: (
        "has_eyfs",
        "has_sixth_form",
        "boarding",
        "uses_alternative_provision",
        "lets_premises",
        "is_mat_or_federation",
        "is_maintained",
    ),  # fmt: skip
    SettingKind.GROUP_EARLY_YEARS: ("lets_premises",),
    SettingKind.CHILDMINDER: ("works_alone",),
}

# What each of the profile's people is called for each kind; None: not asked.
PEOPLE: dict[SettingKind, dict[str, str | None]] = {
    SettingKind.SCHOOL: {
        "dsl": "Designated safeguarding lead",
        "head": "Head teacher",
        "chair_of_governors": "Chair of governors or proprietor",
        "safeguarding_governor": "Safeguarding governor",
    },
    SettingKind.GROUP_EARLY_YEARS: {
        "dsl": "Designated safeguarding lead",
        "head": "Manager",
        "chair_of_governors": "Registered person",
        "safeguarding_governor": None,
    },
    SettingKind.CHILDMINDER: {
        "dsl": "Childminder (you)",
        "head": None,
        "chair_of_governors": None,
        "safeguarding_governor": None,
    },
}

DEPUTIES_ASKED = {SettingKind.SCHOOL: True, SettingKind.GROUP_EARLY_YEARS: True,
                  SettingKind.CHILDMINDER: False}  # fmt: skip

# The owners an action plan offers (the box also takes any role typed): the setting's own roles.
# Roles, never names: an action belongs to a post, and a post outlives the person in it.
ACTION_OWNERS: dict[SettingKind, tuple[str, ...]] = {
    SettingKind.SCHOOL: (
        "Designated safeguarding lead",
        "Deputy DSL",
        "Head teacher",
        "Chair of governors",
        "Safeguarding governor",
        "School business manager",
        "Online safety lead",
        "Attendance lead",
    ),
    SettingKind.GROUP_EARLY_YEARS: (
        "Manager",
        "Designated safeguarding lead",
        "Deputy manager",
        "Room leader",
        "Key person",
        "Registered person",
    ),
    SettingKind.CHILDMINDER: ("Me", "Childminder", "My assistant"),
}

# What the printed copy of the audit is called: a school's is for its governors; an early-years
# provider's for its registered person (or, for a childminder, her own records and Ofsted).
REPORT_NAME = {
    SettingKind.SCHOOL: "Governors' report",
    SettingKind.GROUP_EARLY_YEARS: "Report for the registered person",
    SettingKind.CHILDMINDER: "Audit report",
}

APP_TITLE = {
    SettingKind.SCHOOL: "School Safeguarding Audit",
    SettingKind.GROUP_EARLY_YEARS: "Early Years Safeguarding Audit",
    SettingKind.CHILDMINDER: "Early Years Safeguarding Audit",
}

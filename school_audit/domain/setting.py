"""Kinds of setting, phases and profile flags: the vocabulary that decides which standards apply."""

from enum import StrEnum


class SettingType(StrEnum):
    SCHOOL = "school"
    EARLY_YEARS = "early_years"


# School phases follow Get Information About Schools, plus the first/middle/high schools of
# three-tier areas. Early-years "phases" are the kinds of provider.
SCHOOL_PHASES: dict[str, str] = {
    "nursery": "Nursery school",
    "primary": "Primary",
    "infant": "Infant",
    "junior": "Junior",
    "first": "First",
    "middle_deemed_primary": "Middle (deemed primary)",
    "middle_deemed_secondary": "Middle (deemed secondary)",
    "secondary": "Secondary",
    "high": "High",
    "all_through": "All-through",
    "special": "Special",
    "pru_ap": "Pupil referral unit / alternative provision",
    "independent": "Independent",
    "sixteen_plus": "16 plus / further education",
}

EARLY_YEARS_PHASES: dict[str, str] = {
    "childminder": "Childminder",
    "day_nursery": "Day nursery",
    "pre_school": "Pre-school or playgroup",
    "out_of_school": "Out-of-school or holiday club",
    "domestic_premises": "Childcare on domestic premises",
    "school_run_nursery": "School-run or maintained nursery",
}


def phases_for(setting_type: SettingType) -> dict[str, str]:
    return SCHOOL_PHASES if setting_type is SettingType.SCHOOL else EARLY_YEARS_PHASES


# Yes/no facts about a setting that switch standards on or off.
PROFILE_FLAGS: dict[str, str] = {
    "has_eyfs": "Has nursery or reception (EYFS) provision",
    "has_sixth_form": "Has a sixth form or post-16 learners",
    "boarding": "Has boarding or residential provision",
    "uses_alternative_provision": "Places pupils in alternative provision",
    "lets_premises": "Lets its premises to other organisations",
    "is_mat_or_federation": "Is part of a multi-academy trust or federation",
    "is_maintained": "Is a maintained school",
    "childminder": "Is a childminder",
    "employs_assistants": "Employs assistants",  # a childminder who works with others
}

"""The built-in school s175/157 templates: valid, complete, correctly flagged and mapped."""

from __future__ import annotations

import json
import string
from importlib import resources

import pytest

from school_audit.content import builtin_templates
from school_audit.domain.template import ReplaceKind, Template
from school_audit.domain.template_loading import load_template

CURRENT = "school-s175-2025-26.json"
SECOND = "school-s175-2025-26.2.json"
PREVIOUS = "school-s175-2024-25.json"
LETTERED = list(string.ascii_uppercase[: string.ascii_uppercase.index("Q") + 1])

# The items the domain research marks as statutory ("must") for every school, written out by hand so
# that a flag dropped from the JSON fails here. D9 is deliberately absent: the trained-panel duty is
# statutory only for maintained schools, and the all-schools version of it is rated under I5.
STATUTORY_2025 = {
    "A1", "A3", "A5",
    "B1", "B2", "B3", "B4", "B5", "B12",
    "C1", "C2", "C3", "C4", "C5", "C6",
    "D1", "D2", "D3", "D4",
    "E1", "E2", "E4", "E6", "E7", "E11",
    "F2", "F7",
    "G1", "G2", "G3", "G4",
    "H1", "H2", "H3",
    "I1", "I2", "I3", "I5", "I6", "I7", "I8", "I13",
    "J1", "J2", "J4", "J5", "J8",
    "K1", "K4", "K6",
    "L1",
    "M1", "M2",
    "Q1", "Q2", "Q3", "Q4", "Q5",
}  # fmt: skip


def _raw(name: str) -> bytes:
    return resources.files("school_audit.content").joinpath("templates", name).read_bytes()


@pytest.fixture(scope="module")
def current() -> Template:
    return load_template(_raw(CURRENT))


@pytest.fixture(scope="module")
def previous() -> Template:
    return load_template(_raw(PREVIOUS))


def _ids(template: Template) -> set[str]:
    return {standard.id for standard in template.standards()}


def _applicable_ids(template: Template, phase: str, **flags: bool) -> set[str]:
    return {standard.id for standard in template.applicable(phase, flags)}


def test_both_editions_load_with_their_identity(current, previous):
    assert (current.id, current.version, current.edition, current.cycle) == (
        "school-s175", "2025-26.1", "KCSIE 2025", "2025-26",
    )  # fmt: skip
    assert (previous.id, previous.version, previous.edition, previous.cycle) == (
        "school-s175", "2024-25.1", "KCSIE 2024", "2024-25",
    )  # fmt: skip
    assert current.setting_type == previous.setting_type == "school"
    assert current.previous is not None and current.previous == previous.ref


def test_sections_a_to_q_are_all_present_with_enough_standards(current):
    section_ids = [section.id for section in current.sections]
    assert section_ids[: len(LETTERED)] == LETTERED
    assert {"R", "LP"} <= set(section_ids)
    rated = [standard for standard in current.standards() if standard.is_rated]
    assert len(rated) >= 140


@pytest.mark.parametrize("letter", LETTERED)
def test_each_lettered_section_keeps_its_numbered_ids(current, letter):
    section = next(s for s in current.sections if s.id == letter)
    numbers = [int(standard.id[1:]) for standard in section.standards]
    assert numbers == list(range(1, len(numbers) + 1))


@pytest.mark.parametrize("name", [CURRENT, SECOND, PREVIOUS])
def test_every_rated_standard_has_reference_and_guidance(name):
    template = load_template(_raw(name))
    missing = [
        standard.id
        for standard in template.standards()
        if standard.is_rated and not (standard.reference.strip() and standard.guidance.strip())
    ]
    assert missing == []


def test_statutory_flags_match_the_expected_list(current):
    flagged = {standard.id for standard in current.standards() if standard.statutory}
    assert flagged == STATUTORY_2025


def test_local_partnership_questions_are_optional_and_varied(current):
    local = next(section for section in current.sections if section.id == "LP")
    assert local.local
    assert not any(standard.statutory for standard in local.standards)
    kinds = {standard.answer.value for standard in local.standards}
    assert {"yes_no", "number", "choice", "text"} <= kinds


def test_expiring_dates_are_captured_where_the_la_computes_currency(current):
    ages = {
        (standard.id, field.key): (field.max_age_months, field.required)
        for standard in current.standards()
        for field in standard.dates
    }
    assert ages[("C4", "dsl_training")] == (24, True)
    assert ages[("C4", "dsl_update")][0] == 12
    assert ages[("B1", "policy_review")] == (12, True)
    assert ages[("H3", "filtering_review")] == (12, True)
    assert ages[("I11", "scr_check")][0] == 4
    assert ages[("Q2", "pfa_certificate")][0] == 36


def test_first_school_with_eyfs_gets_the_eyfs_standards(current):
    applicable = _applicable_ids(current, "first", has_eyfs=True)
    assert {"Q1", "Q2", "Q3", "Q4", "Q5", "C12", "O4"} <= applicable
    assert not applicable & {"O7", "R1", "F7", "J8", "A11"}


def test_plain_secondary_skips_eyfs_boarding_and_post_16(current):
    applicable = _applicable_ids(current, "secondary")
    assert not applicable & {"Q1", "Q5", "C12", "O7", "O4", "R1", "R5"}
    assert {"A1", "I7", "H3", "L1"} <= applicable


def test_profile_flags_switch_on_their_standards(current):
    applicable = _applicable_ids(
        current,
        "high",
        has_sixth_form=True,
        boarding=True,
        uses_alternative_provision=True,
        lets_premises=True,
        is_mat_or_federation=True,
    )
    assert {"R1", "R2", "R3", "R4", "R5", "O7", "F7", "J8", "A11"} <= applicable


def test_nursery_school_is_not_asked_about_rse(current):
    assert "L1" not in _applicable_ids(current, "nursery", has_eyfs=True)


def test_replacements_point_to_real_standards_in_each_edition(current, previous):
    old_ids, new_ids = _ids(previous), _ids(current)
    kinds = {item.kind for item in current.replaces}
    assert kinds == set(ReplaceKind)
    for item in current.replaces:
        assert set(item.old) <= old_ids, item
        assert set(item.new) <= new_ids, item
        # an id that moved away is not reused for something else, and a new id is really new
        assert not (set(item.old) - set(item.new)) & new_ids, item
        assert not (set(item.new) - set(item.old)) & old_ids, item


def test_every_change_between_editions_is_accounted_for(current, previous):
    old_ids, new_ids = _ids(previous), _ids(current)
    mapped_old = {old for item in current.replaces for old in item.old}
    mapped_new = {new for item in current.replaces for new in item.new}
    assert old_ids - new_ids == mapped_old
    # H9 (cyber security) and H10 (generative AI) are new in KCSIE 2025 and have no predecessor
    assert new_ids - old_ids - mapped_new == {"H9", "H10"}
    assert current.orphan_actions_to == "P1"


def test_sha256_is_stable_and_follows_the_content():
    first, second = load_template(_raw(CURRENT)), load_template(_raw(CURRENT))
    assert first.sha256 == second.sha256
    data = json.loads(_raw(CURRENT))
    data["sections"][0]["standards"][0]["text"] += " Reworded."
    assert load_template(data).sha256 != first.sha256


def test_builtin_catalogue_includes_both_editions():
    refs = {(template.id, template.version) for template in builtin_templates()}
    assert {("school-s175", "2025-26.1"), ("school-s175", "2024-25.1")} <= refs


@pytest.mark.parametrize("name", [CURRENT, SECOND, PREVIOUS])
def test_guidance_asks_for_descriptions_not_uploaded_documents(name):
    template = load_template(_raw(name))
    for standard in template.standards():
        words = standard.guidance.lower().replace("do not attach", "").replace("never upload", "")
        assert "attach" not in words and "upload" not in words, standard.id


def test_last_years_audit_carries_forward_onto_this_edition(current, previous, school_profile):
    from school_audit.domain.audit import Action, Audit, Rating, Response
    from school_audit.domain.carry_forward import carry_forward

    profile = school_profile.model_copy(
        update={"flags": {"has_eyfs": True, "uses_alternative_provision": True}}
    )
    last_year = Audit.start(previous, profile)
    ratings = {"N10": "met", "F10": "partially_met", "F2a": "met", "F2b": "not_met", "A1": "met"}
    for standard_id, rating in ratings.items():
        last_year.responses[standard_id] = Response(standard_id=standard_id, rating=Rating(rating))
    last_year.actions += [
        Action(standard_id="G9", description="Name a senior attendance lead"),
        Action(standard_id="F10", description="Review reduced timetables"),
    ]

    this_year = carry_forward(last_year, previous, current, profile)

    assert this_year.previous_responses["E12"].rating is Rating.MET  # renamed from N10
    assert this_year.previous_responses["A1"].rating is Rating.MET  # kept
    assert this_year.previous_responses["F2"].rating is Rating.NOT_MET  # merged: the weaker part
    assert {"F7", "F8", "F2", "H9", "H10"} <= set(this_year.answer_afresh)
    moved = {action.description: action.standard_id for action in this_year.actions}
    assert moved == {"Name a senior attendance lead": "P1", "Review reduced timetables": "F7"}

"""The built-in early-years (EYFS 2025) template: complete, statutory flags right, childminder rules."""

from __future__ import annotations

from importlib import resources

import pytest

from school_audit.content import builtin_templates
from school_audit.domain.profile import EstablishmentProfile
from school_audit.domain.template import AnswerKind, Template
from school_audit.domain.template_loading import load_template

TEMPLATE_FILE = "early-years-eyfs-2025-26.json"

# Every item marked [S] in the EYFS section-3 brief, after splitting compound items. Written out by
# hand on purpose: dropping (or adding) a statutory flag in the JSON must fail this test.
EXPECTED_STATUTORY = {
    "EY2.1", "EY2.2", "EY2.3", "EY2.4", "EY2.5",
    "EY3.1a", "EY3.1b", "EY3.2", "EY3.3",
    "EY4.1", "EY4.2", "EY4.3",
    "EY5.1", "EY5.2", "EY5.3", "EY5.4",
    "EY6.1", "EY6.2",
    "EY7.1",
    "EY8.1a", "EY8.1b", "EY8.2", "EY8.3", "EY8.4", "EY8.5", "EY8.6", "EY8.7",
    "EY9.1", "EY9.2a", "EY9.2b", "EY9.3",
    "EY10.1a", "EY10.1b", "EY10.2", "EY10.3",
    "EY11.1",
    "EY12.1", "EY12.2",
    "EY13.1", "EY13.2", "EY13.3", "EY13.4",
    "EY13.5a", "EY13.5b", "EY13.5c", "EY13.5d", "EY13.5e",
    "EY13.6a", "EY13.6b", "EY13.7", "EY13.8",
    "EY14.1", "EY14.2",
    "EY15.1", "EY15.2", "EY15.3", "EY15.4", "EY15.5", "EY15.6", "EY15.7a", "EY15.7b", "EY15.8",
    "EY16.1a", "EY16.1b",
    "EY17.1", "EY17.2", "EY17.3", "EY17.4", "EY17.5",
}  # fmt: skip

GROUP_ONLY = {"EY1.3", "EY3.1a", "EY9.1", "EY9.2a", "EY9.2b", "EY10.2", "EY12.1", "EY16.1b"}
CHILDMINDER_ONLY = {"EY3.1b", "EY8.1b", "EY10.1b", "EY12.2"}


def _raw_bytes() -> bytes:
    folder = resources.files("school_audit.content").joinpath("templates")
    return folder.joinpath(TEMPLATE_FILE).read_bytes()


@pytest.fixture(scope="module")
def template() -> Template:
    return load_template(_raw_bytes())


def _profile(phase: str) -> EstablishmentProfile:
    return EstablishmentProfile(
        urn="EY123456", name="Orchard Lane Childcare", setting_type="early_years", phase=phase
    )


def _applicable_ids(template: Template, phase: str) -> set[str]:
    profile = _profile(phase)
    return {standard.id for standard in template.applicable(profile.phase, profile.flags)}


def _rated(template: Template) -> list:
    return [standard for standard in template.standards() if standard.is_rated]


def test_identity_and_metadata(template):
    assert template.id == "early-years-eyfs"
    assert template.version == "2025-26.1"
    assert template.setting_type == "early_years"
    assert template.cycle == "2025-26"
    assert "September 2025" in template.edition
    assert template.orphan_actions_to == "EY20.1"


def test_all_twenty_sections_in_order_plus_local(template):
    ids = [section.id for section in template.sections]
    assert ids == [f"EY{n}" for n in range(1, 21)] + ["LP"]


def test_standard_ids_belong_to_their_section(template):
    for section in template.sections:
        for standard in section.standards:
            assert standard.id.startswith(section.id + ("" if section.local else ".")), standard.id


def test_at_least_75_rated_standards(template):
    assert len(_rated(template)) >= 75


def test_every_rated_standard_has_reference_and_guidance(template):
    for standard in _rated(template):
        assert standard.reference.strip(), standard.id
        assert standard.guidance.strip(), standard.id


def test_eyfs_references_name_the_2025_frameworks(template):
    for standard in _rated(template):
        if standard.statutory:
            assert "Sept 2025, section 3" in standard.reference, standard.id


def test_statutory_set_matches_the_brief(template):
    statutory = {standard.id for standard in template.standards() if standard.statutory}
    assert statutory == EXPECTED_STATUTORY


def test_local_section_is_optional_and_never_statutory(template):
    local = template.sections[-1]
    assert local.local
    assert 3 <= len(local.standards) <= 4
    assert not any(standard.statutory for standard in local.standards)
    kinds = {standard.answer for standard in local.standards}
    assert {AnswerKind.YES_NO, AnswerKind.NUMBER, AnswerKind.CHOICE, AnswerKind.TEXT} <= kinds


def test_childminder_gets_childminder_items_only(template):
    ids = _applicable_ids(template, "childminder")
    assert ids >= CHILDMINDER_ONLY
    assert not ids & GROUP_ONLY
    assert "EY12.2" in ids and "EY12.1" not in ids and "EY9.1" not in ids


@pytest.mark.parametrize("phase", ["day_nursery", "pre_school", "school_run_nursery"])
def test_group_settings_get_group_items_only(template, phase):
    ids = _applicable_ids(template, phase)
    assert ids >= GROUP_ONLY
    assert not ids & CHILDMINDER_ONLY
    assert "EY12.1" in ids and "EY9.1" in ids and "EY12.2" not in ids


def test_shared_items_apply_to_both_and_totals_add_up(template):
    all_ids = {standard.id for standard in template.standards()}
    childminder = _applicable_ids(template, "childminder")
    nursery = _applicable_ids(template, "day_nursery")
    assert childminder | nursery == all_ids
    assert childminder & nursery == all_ids - GROUP_ONLY - CHILDMINDER_ONLY


def test_items_that_differ_for_childminders_carry_a_note(template):
    for standard_id in ("EY2.1", "EY3.2", "EY3.3", "EY4.1", "EY10.1a", "EY11.1", "EY20.1"):
        assert template.standard(standard_id).childminder_note.strip(), standard_id
    for standard_id in GROUP_ONLY | CHILDMINDER_ONLY:
        # a note on an item only one kind of setting sees would never be useful
        assert not template.standard(standard_id).childminder_note, standard_id


@pytest.mark.parametrize(
    ("standard_id", "key", "months", "required"),
    [
        ("EY3.3", "dsl_training", 24, True),
        ("EY4.1", "staff_safeguarding_training", 24, False),
        ("EY10.1a", "pfa_certificate", 36, True),
        ("EY10.3", "pfa_certificate", 36, True),
        ("EY2.6", "policy_review", 12, True),
        ("EY15.1", "risk_assessment_review", 12, True),
        ("EY15.2", "evacuation_practice", 6, True),
    ],
)
def test_expiring_dates(template, standard_id, key, months, required):
    fields = {field.key: field for field in template.standard(standard_id).dates}
    assert fields[key].max_age_months == months
    assert fields[key].required is required


def test_is_a_builtin_template(template):
    found = [
        t for t in builtin_templates() if t.id == template.id and t.version == template.version
    ]
    assert len(found) == 1
    assert found[0].sha256 == template.sha256


def test_sha256_is_stable_across_loads(template):
    again = load_template(_raw_bytes())
    assert again.sha256 == template.sha256
    assert load_template(again.to_json()).sha256 == template.sha256
    assert len(template.sha256) == 64

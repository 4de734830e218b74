"""Edition 2025-26.2 of both built-in templates: corrected flags, references from the registry,
a national core without local terms, and a "what changed" line on every changed standard."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import pytest

from school_audit.content import builtin_template
from school_audit.domain.references import reference_text
from school_audit.domain.template import Template

SCHOOL, EARLY_YEARS = "school-s175", "early-years-eyfs"
FILES = {SCHOOL: "school-s175-2025-26.2.json", EARLY_YEARS: "early-years-eyfs-2025-26.2.json"}
# Signed returns name these hashes: the 2025-26.1 files must never change.
FIRST_EDITION_SHA256 = {
    SCHOOL: "8181790b541686f0430ec33aecede1c928c060fb081b282917fd98bc3c7f32af",
    EARLY_YEARS: "9895c56e3beafe91e4e563e7bbf44b0778dc20084d014bce6dd96f0549609aaa",
}
# Words that belong to one partnership (Worcestershire's); its local pack carries them.
LOCAL_TERMS = re.compile(
    r"Worcestershire|WSCP|Family Front Door|Levels of Need|GET SAFE|GET THERE|West Mercia|"
    r"Children First|Herefordshire|Redditch|Bromsgrove|Wyre Forest|Malvern",
)

STATUTORY_SCHOOL = {
    "A1", "A3", "A5", "A12",
    "B1", "B2", "B3", "B4", "B5", "B11", "B12",
    "C1", "C3", "C4", "C5", "C6",
    "D1", "D2", "D3", "D4", "D9",
    "E1", "E2", "E4", "E6", "E7", "E11",
    "F2", "F7",
    "G1", "G2", "G3", "G4",
    "H1", "H2", "H3",
    "I1", "I2", "I3", "I5", "I6", "I7", "I8", "I13", "I15", "I16",
    "J1", "J2", "J4", "J5", "J8",
    "K1", "K4", "K6",
    "L1", "L6",
    "M1", "M2",
    "Q1", "Q2", "Q3", "Q4", "Q5",
}  # fmt: skip
NO_LONGER_STATUTORY = {SCHOOL: {"C2"}, EARLY_YEARS: set()}
NOW_STATUTORY = {SCHOOL: {"A12", "B11", "D9", "I15", "I16", "L6"}, EARLY_YEARS: {"EY1.2", "EY6.3"}}
ASSISTANT_STANDARDS = {"EY2.5", "EY3.4", "EY7.1", "EY7.2", "EY8.2", "EY8.3", "EY8.6"}


def _template(template_id: str, version: str = "2025-26.2") -> Template:
    return builtin_template(template_id, version)


def _ids(template: Template, phase: str, **flags: bool) -> set[str]:
    return {s.id for s in template.applicable(phase, flags)}


@pytest.mark.parametrize("template_id", [SCHOOL, EARLY_YEARS])
def test_the_new_edition_follows_the_first_in_the_same_cycle(template_id):
    first, second = _template(template_id, "2025-26.1"), _template(template_id)
    assert second.previous == first.ref and second.cycle == first.cycle == "2025-26"
    assert first.sha256 == FIRST_EDITION_SHA256[template_id]
    assert builtin_template(template_id).version == "2025-26.2"  # the newest is offered


@pytest.mark.parametrize("template_id", [SCHOOL, EARLY_YEARS])
def test_every_rated_standard_cites_the_registry_and_reads_the_same_everywhere(template_id):
    template = _template(template_id)
    for standard in template.standards():
        assert standard.references, standard.id
        assert standard.reference == reference_text(standard), standard.id
    # no paragraph number is cited in 2025-26.2: none has been checked against the 2025 texts
    assert not [r for s in template.standards() for r in s.references or [] if r.paragraphs]


@pytest.mark.parametrize("template_id", [SCHOOL, EARLY_YEARS])
def test_the_national_templates_hold_no_local_terms(template_id):
    text = (
        resources.files("school_audit.content")
        .joinpath("templates", FILES[template_id])
        .read_text()
    )
    assert LOCAL_TERMS.findall(text) == []
    # the check itself would find them: the first edition still has them (its hash is signed)
    first = json.dumps(_template(template_id, "2025-26.1").to_json())
    assert LOCAL_TERMS.search(first)


def test_school_statutory_flags_match_the_corrected_list():
    assert {s.id for s in _template(SCHOOL).standards() if s.statutory} == STATUTORY_SCHOOL


@pytest.mark.parametrize("template_id", [SCHOOL, EARLY_YEARS])
def test_every_changed_standard_says_what_changed_and_nothing_else_does(template_id):
    first, second = _template(template_id, "2025-26.1"), _template(template_id)
    old = {s.id: s for s in first.standards()}
    for standard in second.standards():
        before = old.get(standard.id)
        changed = before is None or any(
            getattr(before, name) != getattr(standard, name)
            for name in ("text", "guidance", "statutory", "applies_when", "evidence", "dates")
        )
        assert bool(standard.changes) == changed, standard.id
        if before is not None and before.statutory != standard.statutory:
            assert any("statutory" in line for line in standard.changes or []), standard.id
    flipped_on = {
        s.id
        for s in second.standards()
        if s.statutory and not getattr(old.get(s.id), "statutory", False)
    }
    flipped_off = {
        s.id
        for s in second.standards()
        if not s.statutory and getattr(old.get(s.id), "statutory", False)
    }
    assert flipped_on == NOW_STATUTORY[template_id]
    assert flipped_off == NO_LONGER_STATUTORY[template_id]


def test_school_applicability_follows_the_law():
    template = _template(SCHOOL)
    maintained = _ids(template, "primary", is_maintained=True)
    academy = _ids(template, "secondary")
    independent = _ids(template, "independent", is_independent=True, boarding=True)
    college = _ids(template, "sixteen_plus", has_sixth_form=True)
    assert {"D9", "F2", "B11", "L1", "L6"} <= maintained and "D12" not in maintained
    assert {"D12", "F2", "B11", "L6"} <= academy and "D9" not in academy
    assert {"F11", "I15", "I16", "L1", "D12"} <= independent
    assert not independent & {"F2", "B11", "L6", "D9"}
    assert not college & {"L1", "L6"}
    assert "R6" in college and "I15" not in academy and "I16" not in academy


def test_a_childminder_who_works_alone_is_not_asked_about_assistants():
    template = _template(EARLY_YEARS)
    alone = _ids(template, "childminder", childminder=True, works_alone=True)
    with_assistants = _ids(template, "childminder", childminder=True)
    nursery = _ids(template, "day_nursery")
    assert not alone & ASSISTANT_STANDARDS
    assert with_assistants >= ASSISTANT_STANDARDS
    assert nursery >= ASSISTANT_STANDARDS


def test_no_new_standard_reuses_an_id_of_an_earlier_edition():
    """An id keeps one meaning for ever: last year's answers to N10 (Operation Encompass in
    2024-25) must never be carried onto some other standard."""
    earlier = {
        s.id
        for version in ("2024-25.1", "2025-26.1")
        for s in _template(SCHOOL, version).standards()
    }
    first = {s.id for s in _template(SCHOOL, "2025-26.1").standards()}
    new_ids = {s.id for s in _template(SCHOOL).standards()} - first
    assert new_ids and not new_ids & earlier


@pytest.mark.parametrize("template_id", [SCHOOL, EARLY_YEARS])
def test_the_docs_list_every_statutory_standard_and_every_change(template_id):
    docs = (Path(__file__).parents[2] / "docs" / "templates.md").read_text()
    statutory_table = docs.split(f"#### {template_id} 2025-26.2: statutory standards")[1]
    statutory_table = statutory_table.split("\n\n#")[0]
    changes_table = docs.split(f"#### {template_id}: every change from 2025-26.1")[1]
    changes_table = changes_table.split("\n\n#")[0]
    listed = set(re.findall(r"^\| ([A-Z]+[\d.a-z]*)", statutory_table, re.MULTILINE))
    changed = set(re.findall(r"^\| ([A-Z]+[\d.a-z]*) \|", changes_table, re.MULTILINE))
    template = _template(template_id)
    assert listed == {s.id for s in template.standards() if s.statutory}
    assert changed == {s.id for s in template.standards() if s.changes}

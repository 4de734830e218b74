"""A local pack adds local questions, notes and references; it can never change the national core."""

from __future__ import annotations

import copy
import json

import pytest

from school_audit.domain.local_pack import (
    LocalPackError,
    check_pack_against,
    load_local_pack,
)
from school_audit.domain.local_pack_merge import merge_pack
from school_audit.domain.template import AnswerKind
from school_audit.domain.template_loading import load_template
from tests.conftest import FIXTURES

BASE = json.loads((FIXTURES / "mini_local_pack.json").read_text())
TEMPLATE = load_template((FIXTURES / "mini_school_template.json").read_bytes())


def variant(change) -> dict:
    data = copy.deepcopy(BASE)
    change(data)
    return data


def problems_of(data) -> list[str]:
    with pytest.raises(LocalPackError) as caught:
        load_local_pack(data)
    return [str(p) for p in caught.value.problems]


def test_the_fixture_is_valid_and_hashed_canonically():
    pack = load_local_pack(json.dumps(BASE).encode())
    assert (pack.id, pack.version, pack.la.name) == ("mini-county", "2025-26.1", "Mini County")
    reordered = json.dumps(dict(reversed(list(BASE.items()))), indent=4)
    assert load_local_pack(reordered).sha256 == pack.sha256
    changed = variant(lambda d: d["notes"][0].update(note="refer by telephone."))
    assert load_local_pack(changed).sha256 != pack.sha256


def test_a_note_cannot_make_a_national_standard_statutory():
    data = variant(lambda d: d["notes"][0].update(statutory=True))
    assert problems_of(data) == [
        "notes[0].statutory: a local pack cannot make a national standard statutory, "
        "or stop it being so"
    ]


def test_a_local_question_cannot_be_statutory_or_rated():
    def change(d):
        d["sections"][0]["questions"][0]["statutory"] = True
        d["sections"][0]["questions"][1]["answer"] = "rating"

    assert problems_of(variant(change)) == [
        "sections[0].questions[0].statutory: local questions are never statutory",
        "sections[0].questions[1].answer: local questions are not rated: "
        "answer yes_no, number, choice or text",
    ]


def test_a_note_cannot_change_a_standards_text_or_rating_rules():
    def change(d):
        d["notes"][0]["text"] = "A new statement"
        d["notes"][0]["evidence"] = "optional"
        d["notes"][0]["applies_when"] = {"requires": ["boarding"]}

    assert problems_of(variant(change)) == [
        "notes[0].text: a local pack cannot change a national standard's text: "
        "add a guidance note instead",
        "notes[0].evidence: a local pack cannot change a national standard's rating rules",
        "notes[0].applies_when: a local pack cannot change a national standard's rating rules",
    ]


def test_a_pack_cannot_add_an_ordinary_section():
    data = variant(lambda d: d["sections"][0].update(local=False))
    assert problems_of(data) == ["sections[0].local: a local pack adds local sections only"]


def test_a_question_cannot_redefine_a_national_standard_id():
    data = variant(lambda d: d["sections"][0]["questions"][0].update(id="A2"))
    pack = load_local_pack(data)  # on its own the pack is well formed ...
    problems = [str(p) for p in check_pack_against(pack, [TEMPLATE])]
    assert problems == [
        "sections[0].questions[0].id: 'A2' is a national standard of mini-school: "
        "a local pack cannot redefine it"
    ]
    with pytest.raises(LocalPackError, match="cannot redefine"):  # ... and never merges
        merge_pack(TEMPLATE, pack)


def test_a_section_cannot_reuse_a_national_section_id():
    pack = load_local_pack(variant(lambda d: d["sections"][0].update(id="LOCAL")))
    assert [str(p) for p in check_pack_against(pack, [TEMPLATE])] == [
        "sections[0].id: section id 'LOCAL' is a section of mini-school"
    ]


def test_notes_and_templates_must_resolve():
    def change(d):
        d["notes"][0]["references"] = ["nowhere"]
        d["notes"].append({"standard": "Z9", "note": "no such standard"})
        d["applies_to"].append("other-template")

    pack_problems = problems_of(variant(lambda d: d["notes"][0].update(references=["nowhere"])))
    assert pack_problems == ["notes[0].references: no reference 'nowhere' in the pack's references"]
    data = variant(change)
    data["notes"][0]["references"] = []
    problems = [str(p) for p in check_pack_against(load_local_pack(data), [TEMPLATE])]
    assert problems == [
        "applies_to[1]: no national template 'other-template' published for 2025-26 "
        "(publish the templates before the pack)",
        "notes[1].standard: no national standard 'Z9' in mini-school",
    ]


def test_unknown_fields_and_bad_json_are_refused_with_their_path():
    assert problems_of(variant(lambda d: d.update(extra=1))) == [
        "extra: unknown field (check the spelling)"
    ]
    assert problems_of(b"{") == [
        "invalid JSON at line 1, column 2: Expecting property name enclosed in double quotes"
    ]


def test_merge_keeps_the_core_and_adds_notes_questions_and_the_stamp():
    pack = load_local_pack(BASE)
    merged = merge_pack(TEMPLATE, pack)
    assert (merged.id, merged.version) == (TEMPLATE.id, TEMPLATE.version)
    assert merged.core_sha256 == TEMPLATE.sha256 != merged.sha256
    assert merged.local_pack.sha256 == pack.sha256
    a1, national_a1 = merged.standard("A1"), TEMPLATE.standard("A1")
    assert (a1.text, a1.statutory, a1.answer) == (
        national_a1.text,
        national_a1.statutory,
        national_a1.answer,
    )
    assert a1.guidance.startswith(national_a1.guidance)
    assert a1.guidance.endswith("In Mini County: refer through the county's front door.")
    assert "Mini County child protection procedures" in a1.reference
    section = merged.section_of("MC2")
    assert section.local and merged.sections[-1] is section
    assert merged.standard("MC2").answer is AnswerKind.CHOICE
    assert not any(s.statutory for s in section.standards)
    # every national standard is still there, with the same rules
    for standard in TEMPLATE.standards():
        assert merged.standard(standard.id).statutory == standard.statutory


def test_a_merged_template_survives_storing_and_a_pack_merges_once():
    merged = merge_pack(TEMPLATE, load_local_pack(BASE))
    again = load_template(merged.to_json())
    assert again.sha256 == merged.sha256 and again.local_pack == merged.local_pack
    with pytest.raises(LocalPackError, match="already has a local pack"):
        merge_pack(merged, load_local_pack(BASE))


def test_a_pack_for_another_cycle_does_not_merge():
    pack = load_local_pack(variant(lambda d: d.update(cycle="2026-27")))
    with pytest.raises(LocalPackError, match="the pack is for 2026-27"):
        merge_pack(TEMPLATE, pack)

"""Bad templates, as an LA officer might write them, give errors that name the field and the fault."""

from __future__ import annotations

import copy
import json

import pytest

from school_audit.domain.template_loading import TemplateError, load_template
from tests.conftest import FIXTURES

BASE = json.loads((FIXTURES / "mini_school_template.json").read_text())


def variant(change) -> dict:
    data = copy.deepcopy(BASE)
    change(data)
    return data


def problems_of(data) -> list[str]:
    with pytest.raises(TemplateError) as caught:
        load_template(data)
    return [str(p) for p in caught.value.problems]


def test_the_fixture_is_valid():
    template = load_template(BASE)
    assert template.id == "mini-school"
    assert [s.id for s in template.standards()][:3] == ["A1", "A2", "C4"]


def test_duplicate_standard_ids_are_named_with_their_path():
    def dup(d):
        d["sections"][1]["standards"][0]["id"] = "A1"

    assert problems_of(variant(dup)) == ["sections[1].standards[0].id: duplicate standard id 'A1'"]


def test_duplicate_section_ids():
    assert "sections[1].id: duplicate section id 'A'" in problems_of(
        variant(lambda d: d["sections"][1].update(id="A"))
    )


def test_unknown_keys_are_refused_with_a_hint():
    found = problems_of(variant(lambda d: d["sections"][0]["standards"][0].update(statutary=True)))
    assert found == ["sections[0].standards[0].statutary: unknown field (check the spelling)"]


def test_missing_text():
    found = problems_of(variant(lambda d: d["sections"][0]["standards"][1].pop("text")))
    assert found == ["sections[0].standards[1].text: Field required"]


def test_blank_text_is_missing_text():
    found = problems_of(variant(lambda d: d["sections"][0]["standards"][1].update(text="   ")))
    assert found[0].startswith("sections[0].standards[1].text:")


def test_wrong_types():
    found = problems_of(variant(lambda d: d["sections"][0]["standards"][0].update(statutory="yes")))
    assert found[0].startswith("sections[0].standards[0].statutory:")


def test_empty_section():
    found = problems_of(variant(lambda d: d["sections"][2].update(standards=[])))
    assert found[0].startswith("sections[2].standards:")


def test_replaces_pointing_nowhere():
    def change(d):
        d["previous"] = {"id": "mini-school", "version": "2024-25.1"}
        d["replaces"] = [{"kind": "renamed", "old": ["Z1"], "new": ["Z9"]}]

    assert problems_of(variant(change)) == ["replaces[0].new[0]: points to no standard 'Z9'"]


def test_replaces_without_a_previous_edition():
    def change(d):
        d["replaces"] = [{"kind": "retired", "old": ["Z1"]}]

    assert problems_of(variant(change)) == ["previous: replaces needs the previous edition named"]


def test_replaces_cycle_is_found():
    def change(d):
        d["previous"] = {"id": "mini-school", "version": "2024-25.1"}
        d["replaces"] = [
            {"kind": "renamed", "old": ["A1"], "new": ["A2"]},
            {"kind": "renamed", "old": ["A2"], "new": ["A1"]},
        ]

    found = problems_of(variant(change))
    assert any(p.startswith("replaces: mappings form a cycle: A1 → A2 → A1") for p in found)


def test_replacement_shapes_are_checked():
    def change(d):
        d["previous"] = {"id": "mini-school", "version": "2024-25.1"}
        d["replaces"] = [{"kind": "split", "old": ["X"], "new": ["A1"]}]

    assert problems_of(variant(change)) == [
        "replaces[0]: split maps one old id to two or more new ids"
    ]


def test_local_questions_are_never_statutory_and_only_local_sections_have_them():
    def change(d):
        d["sections"][3]["standards"][0]["statutory"] = True
        d["sections"][0]["standards"][1]["answer"] = "number"

    found = problems_of(variant(change))
    assert "sections[3].standards[0].statutory: local questions are never statutory" in found
    assert "sections[0].standards[1].answer: 'number' answers belong in a local section" in found


def test_unknown_phase_and_flag():
    def change(d):
        d["sections"][1]["standards"][1]["applies_when"] = {"phases": ["college"], "requires": ["eyfs"]}

    found = problems_of(variant(change))
    assert "sections[1].standards[1].applies_when.phases: unknown phase 'college'" in found
    assert "sections[1].standards[1].applies_when.requires: unknown profile flag 'eyfs'" in found


def test_invalid_json_names_line_and_column():
    found = problems_of(b'{\n  "id": "x",\n  oops\n}')
    assert found == ["invalid JSON at line 3, column 3: Expecting property name enclosed in double quotes"]


def test_non_utf8_bytes_are_unreadable():
    with pytest.raises(TemplateError) as caught:
        load_template("{}".encode("utf-16"))
    assert caught.value.unreadable
    assert "not UTF-8" in str(caught.value)


def test_duplicate_json_keys_are_refused():
    assert problems_of(b'{"id": "a", "id": "b"}') == ["duplicate key 'id' in one object"]


def test_a_json_array_is_not_a_template():
    assert problems_of(b"[]") == ["a template must be a JSON object"]


def test_sha256_is_over_canonical_bytes_and_follows_content():
    first = load_template(BASE)
    reordered = json.loads(json.dumps(BASE, sort_keys=True))
    assert load_template(reordered).sha256 == first.sha256
    changed = variant(lambda d: d["sections"][0]["standards"][0].update(text="Changed."))
    assert load_template(changed).sha256 != first.sha256


def test_a_cycle_in_look_alike_digits_is_refused():
    # "２０２５-２６" (fullwidth) and Arabic-Indic digits would pass a \d pattern.
    for cycle in ("２０２５-２６", "٢٠٢٥-٢٦"):
        problems = problems_of(variant(lambda d, c=cycle: d.update(cycle=c)))
        assert any("cycle" in p for p in problems)

"""Carrying last cycle's audit into a new edition of the template."""

from __future__ import annotations

import copy
import json
from datetime import date

from school_audit.domain.audit import Action, ActionStatus, Audit, Rating, Response
from school_audit.domain.carry_forward import carry_forward
from school_audit.domain.template_loading import load_template
from tests.conftest import FIXTURES


def next_edition():
    data = json.loads((FIXTURES / "mini_school_template.json").read_text())
    new = copy.deepcopy(data)
    new.update(version="2026-27.1", cycle="2026-27", orphan_actions_to="A1")
    new["previous"] = {"id": "mini-school", "version": "2025-26.1"}
    leadership = new["sections"][0]["standards"]
    leadership[1] = {"id": "A2a", "text": "Link governor visits.", "reference": "r"}
    leadership.append({"id": "A2b", "text": "Visit notes go to the board.", "reference": "r"})
    leadership.append({"id": "A9", "text": "A brand new standard.", "reference": "r"})
    site = new["sections"][2]["standards"]
    new["sections"][2]["standards"] = [s for s in site if s["id"] != "O2"]
    new["sections"][2]["standards"].append({"id": "O10", "text": "Site safety.", "reference": "r"})
    new["replaces"] = [
        {"kind": "split", "old": ["A2"], "new": ["A2a", "A2b"]},
        {"kind": "renamed", "old": ["O2"], "new": ["O10"]},
        {"kind": "retired", "old": ["O7"]},
    ]
    return load_template(data), load_template(new)


def last_year(template, profile) -> Audit:
    audit = Audit.start(template, profile)
    audit.responses = {
        "A1": Response(standard_id="A1", rating=Rating.MET, evidence="Minutes"),
        "A2": Response(standard_id="A2", rating=Rating.PARTIALLY_MET, evidence="Two visits"),
        "C4": Response(standard_id="C4", rating=Rating.MET, evidence="Cert", dates={"dsl_training": date(2024, 9, 1)}),
        "O2": Response(standard_id="O2", rating=Rating.NOT_MET, evidence=""),
    }
    audit.actions = [
        Action(standard_id="A2", description="Termly visits", owner_role="Chair", target_date=date(2025, 3, 1)),
        Action(standard_id="O2", description="Rehearse lockdown", owner_role="Head", target_date=date(2025, 2, 1)),
        Action(standard_id="A1", description="Done", owner_role="Clerk", target_date=date(2025, 1, 1), status=ActionStatus.COMPLETE),
        Action(standard_id="O7", description="Boarding check", owner_role="Head", target_date=date(2025, 1, 1)),
    ]
    return audit


def test_previous_answers_follow_renames_and_splits(school_profile):
    old_t, new_t = next_edition()
    new = carry_forward(last_year(old_t, school_profile), old_t, new_t, school_profile)
    assert new.template.version == "2026-27.1" and new.cycle == "2026-27"
    assert new.previous_responses["O10"].rating is Rating.NOT_MET
    assert new.previous_responses["A2a"].evidence == "Two visits"
    assert new.previous_responses["A2b"].standard_id == "A2b"
    assert new.responses == {}  # reference only unless asked to pre-fill


def test_what_must_be_answered_afresh_is_listed_with_reasons(school_profile):
    old_t, new_t = next_edition()
    new = carry_forward(last_year(old_t, school_profile), old_t, new_t, school_profile)
    assert new.answer_afresh == {
        "A2a": "split from last year's A2",
        "A2b": "split from last year's A2",
        "A9": "new in this edition",
    }


def test_prefill_copies_unchanged_and_renamed_answers_only(school_profile):
    old_t, new_t = next_edition()
    new = carry_forward(last_year(old_t, school_profile), old_t, new_t, school_profile, prefill=True)
    assert set(new.responses) == {"A1", "C4", "O10"}
    assert new.responses["C4"].dates == {"dsl_training": date(2024, 9, 1)}
    assert new.responses["O10"].standard_id == "O10"


def test_open_actions_are_carried_and_follow_their_standard(school_profile):
    old_t, new_t = next_edition()
    previous = last_year(old_t, school_profile)
    new = carry_forward(previous, old_t, new_t, school_profile)
    carried = {(a.description, a.standard_id) for a in new.actions}
    assert carried == {
        ("Termly visits", "A2a"),
        ("Rehearse lockdown", "O10"),
        ("Boarding check", "A1"),  # retired standard: goes to orphan_actions_to
    }
    assert all(a.carried_forward for a in new.actions)
    assert previous.actions[0].standard_id == "A2"  # last year's audit is untouched


def test_merged_standards_take_the_weakest_rating(school_profile):
    old_t, _ = next_edition()
    data = json.loads(json.dumps(old_t.to_json()))
    data.update(version="2026-27.1", cycle="2026-27", previous={"id": "mini-school", "version": "2025-26.1"})
    data["sections"][0]["standards"] = [{"id": "A12", "text": "Merged.", "reference": "r"}]
    data["replaces"] = [{"kind": "merged", "old": ["A1", "A2"], "new": ["A12"]}]
    merged_t = load_template(data)
    new = carry_forward(last_year(old_t, school_profile), old_t, merged_t, school_profile, prefill=True)
    assert new.previous_responses["A12"].rating is Rating.PARTIALLY_MET
    assert new.previous_responses["A12"].evidence == "A1: Minutes\nA2: Two visits"
    assert new.answer_afresh["A12"] == "merged from last year's A1 and A2"
    assert "A12" not in new.responses


def test_statutory_na_is_never_prefilled(mini_template, school_profile):
    previous = Audit.start(mini_template, school_profile)
    previous.responses["A1"] = Response(standard_id="A1", rating=Rating.NOT_APPLICABLE, na_reason="x")
    new = carry_forward(previous, mini_template, mini_template, school_profile, prefill=True)
    assert "A1" not in new.responses
    assert new.previous_responses["A1"].rating is Rating.NOT_APPLICABLE


def test_last_years_audit_carries_onto_a_later_edition_through_the_one_between(school_profile):
    """2024-25.1 onto 2025-26.2 follows the 2025-26.1 mappings too: N10 became E12 there."""
    from school_audit.content import builtin_template

    versions = ("2024-25.1", "2025-26.1", "2025-26.2")
    last, between, now = (builtin_template("school-s175", version) for version in versions)
    audit = Audit.start(last, school_profile)
    for standard_id in ("N10", "F10", "F2a", "F2b", "B11"):
        audit.responses[standard_id] = Response(
            standard_id=standard_id, rating=Rating.MET, evidence=standard_id
        )
    audit.actions = [
        Action(standard_id="G9", description="Attendance readiness", target_date=date(2025, 6, 1))
    ]

    carried = carry_forward(audit, last, now, school_profile, via=[between])

    assert carried.previous_responses["E12"].evidence == "N10"  # renamed in 2025-26.1
    assert "N10" not in carried.previous_responses and "N11" not in carried.previous_responses
    # split or merged on the way
    assert set(carried.answer_afresh) >= {"F7", "F8", "F2", "B11", "B13"}
    assert carried.actions[0].standard_id == "P1"  # retired in 2025-26.1


def test_the_editions_between_are_found_from_the_catalogue():
    from school_audit.content import builtin_template, builtin_templates
    from school_audit.domain.carry_forward import editions_between

    versions = ("2024-25.1", "2025-26.1", "2025-26.2")
    last, between, now = (builtin_template("school-s175", version) for version in versions)
    assert editions_between(last, now, builtin_templates()) == [between]
    assert editions_between(between, now, builtin_templates()) == []
    assert editions_between(last, now, [last, now]) == []  # the chain is broken: direct mapping

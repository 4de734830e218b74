"""A draft on edition 2025-26.1 moves to 2025-26.2 with every answer, date and action kept."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from school_audit.content import builtin_template
from school_audit.domain.audit import Action, ActionStatus, Audit, AuditState, Rating, Response
from school_audit.domain.edition_move import (
    EditionMoveError,
    can_move,
    move_to_edition,
    what_changed,
)
from school_audit.domain.profile import EstablishmentProfile

RATINGS = [Rating.MET, Rating.PARTIALLY_MET, Rating.NOT_MET]


def _answer_everything(audit: Audit, template) -> Audit:
    """Every standard of the edition answered (applicable or not), with evidence, every dated
    field filled, and an action on every third standard."""
    for index, standard in enumerate(template.standards()):
        if standard.is_rated:
            response = Response(
                standard_id=standard.id,
                rating=RATINGS[index % 3],
                evidence=f"Evidence note {index} for {standard.id}",
                dates={f.key: date(2025, 9, 1 + index % 28) for f in standard.dates},
            )
        else:
            value = {"yes_no": True, "number": 3, "choice": standard.choices[0] if standard.choices else None,
                     "text": "Training on the new threshold guidance"}[standard.answer.value]  # fmt: skip
            response = Response(standard_id=standard.id, value=value)
        audit.responses[standard.id] = response
        if index % 3 == 0:
            audit.actions.append(
                Action(standard_id=standard.id, description=f"Action on {standard.id}",
                       owner_role="DSL", target_date=date(2026, 3, 1), status=ActionStatus.IN_PROGRESS)
            )  # fmt: skip
    return audit


def _content(response: Response) -> tuple:
    return (response.rating, response.evidence, response.na_reason, response.dates, response.value)


@pytest.fixture
def school():
    return builtin_template("school-s175", "2025-26.1"), builtin_template(
        "school-s175", "2025-26.2"
    )


@pytest.fixture
def early_years():
    return (
        builtin_template("early-years-eyfs", "2025-26.1"),
        builtin_template("early-years-eyfs", "2025-26.2"),
    )


def _school_profile(**flags: bool) -> EstablishmentProfile:
    return EstablishmentProfile(
        urn="123456", name="Hollybank First School", setting_type="school", phase="first",
        flags={"has_eyfs": True, **flags},
    )  # fmt: skip


@pytest.mark.parametrize(
    "flags", [{"is_maintained": True}, {"is_independent": True, "boarding": True}]
)
def test_a_fully_answered_school_audit_moves_with_nothing_lost(school, flags):
    old_template, new_template = school
    audit = _answer_everything(Audit.start(old_template, _school_profile(**flags)), old_template)
    before = copy.deepcopy(audit)

    moved = move_to_edition(audit, old_template, new_template).audit

    assert audit == before  # the draft on .1 is untouched
    assert (moved.audit_id, moved.cycle) == (audit.audit_id, audit.cycle)
    assert moved.template == new_template.ref and moved.template_sha256 == new_template.sha256
    new_ids = {s.id for s in new_template.standards()}
    split = {item.old[0]: item.new for item in new_template.replaces}
    for old_id, response in audit.responses.items():
        for new_id in split.get(old_id, [old_id]):
            assert new_id in new_ids
            assert _content(moved.responses[new_id]) == _content(response), new_id
    assert [(a.action_id, a.description, a.status, a.target_date) for a in moved.actions] == [
        (a.action_id, a.description, a.status, a.target_date) for a in audit.actions
    ]
    # every answered standard of .1 still shows an answer wherever the school is asked it now
    applicable = new_template.applicable(moved.profile.phase, moved.profile.flags)
    unanswered = {s.id for s in applicable if s.id not in moved.responses}
    assert unanswered == {"A12", "H12", "N11"} | (
        {"I15", "I16"} if "is_independent" in flags else set()
    )


def test_answers_whose_statutory_flag_changed_are_kept_and_marked_to_recheck(school):
    old_template, new_template = school
    audit = _answer_everything(
        Audit.start(old_template, _school_profile(is_maintained=True)), old_template
    )
    move = move_to_edition(audit, old_template, new_template)
    afresh = move.audit.answer_afresh
    assert move.audit.responses["C2"].rating == audit.responses["C2"].rating
    assert afresh["C2"].startswith("no longer statutory in edition 2025-26.2")
    assert afresh["B11"].startswith("now statutory in edition 2025-26.2")
    assert afresh["D9"].startswith("now statutory")
    assert "split" in afresh["B13"] and "split" in afresh["L6"]
    assert afresh["A12"] == "new in edition 2025-26.2"
    assert "A2" not in afresh  # unchanged standards need no second look


def test_the_early_years_audit_moves_too(early_years):
    old_template, new_template = early_years
    profile = EstablishmentProfile(
        urn="EY123456", name="Little Acorns", setting_type="early_years", phase="day_nursery"
    )
    audit = _answer_everything(Audit.start(old_template, profile), old_template)
    moved = move_to_edition(audit, old_template, new_template).audit
    for old_id, response in audit.responses.items():
        assert _content(moved.responses[old_id]) == _content(response)
    assert moved.answer_afresh["EY1.2"].startswith("now statutory")
    assert moved.answer_afresh["EY6.3"].startswith("now statutory")
    assert len(moved.actions) == len(audit.actions)


def test_only_a_draft_of_the_edition_before_can_move(school, early_years):
    old_template, new_template = school
    audit = Audit.start(old_template, _school_profile())
    assert can_move(audit, new_template)
    assert not can_move(audit, early_years[1])
    signed = audit.model_copy(update={"state": AuditState.SIGNED})
    assert not can_move(signed, new_template)
    with pytest.raises(EditionMoveError):
        move_to_edition(signed, old_template, new_template)
    on_new = Audit.start(new_template, _school_profile())
    assert not can_move(on_new, new_template)


def test_what_changed_lists_each_changed_standard_and_its_statutory_change(school):
    old_template, new_template = school
    changed = {c.standard_id: c for c in what_changed(old_template, new_template)}
    assert changed["C2"].statutory_changed and changed["B11"].statutory_changed
    assert not changed["A1"].statutory_changed and changed["A1"].changes
    assert "A2" not in changed
    assert {"A12", "B13", "D12", "F11", "H12", "I15", "I16", "L6", "N11", "R6"} <= set(changed)

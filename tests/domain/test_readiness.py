"""Each readiness rule, alone, on the small template."""

from __future__ import annotations

from datetime import date

import pytest

from school_audit.domain.audit import Action, Audit, Rating, Response
from school_audit.domain.readiness import ProblemCode, check_readiness, describe, is_ready

TODAY = date(2025, 11, 1)


def complete_audit(template, profile) -> Audit:
    audit = Audit.start(template, profile)
    for standard in template.applicable(profile.phase, profile.flags):
        if standard.is_rated:
            audit.responses[standard.id] = Response(
                standard_id=standard.id, rating=Rating.MET, evidence="Minutes of the board, May."
            )
    audit.responses["C4"].dates["dsl_training"] = date(2025, 9, 1)
    return audit


def codes(audit, template, sid=None):
    found = check_readiness(audit, template, TODAY)
    return [p.code for p in found if sid is None or p.standard_id == sid]


def test_a_complete_audit_is_ready(mini_template, school_profile):
    audit = complete_audit(mini_template, school_profile)
    assert check_readiness(audit, mini_template, TODAY) == []


def test_unanswered_standards_block(mini_template, school_profile):
    audit = Audit.start(mini_template, school_profile)
    problems = check_readiness(audit, mini_template, TODAY)
    assert {p.standard_id for p in problems} == {"A1", "A2", "C4", "C12", "O2"}
    assert not is_ready(problems)


def test_only_applicable_standards_are_checked(mini_template, school_profile):
    audit = complete_audit(mini_template, school_profile)
    assert "O7" not in audit.responses  # boarding only
    no_eyfs = school_profile.model_copy(update={"flags": {}})
    assert "C12" not in [s.id for s in mini_template.applicable(no_eyfs.phase, no_eyfs.flags)]


def test_na_on_a_statutory_standard_blocks(mini_template, school_profile):
    audit = complete_audit(mini_template, school_profile)
    audit.responses["A1"] = Response(standard_id="A1", rating=Rating.NOT_APPLICABLE, na_reason="x")
    assert codes(audit, mini_template, "A1") == [ProblemCode.NA_ON_STATUTORY]


def test_na_needs_a_reason(mini_template, school_profile):
    audit = complete_audit(mini_template, school_profile)
    audit.responses["A2"] = Response(standard_id="A2", rating=Rating.NOT_APPLICABLE)
    assert codes(audit, mini_template, "A2") == [ProblemCode.NA_WITHOUT_REASON]
    audit.responses["A2"].na_reason = "We have no link governor: the whole board visits."
    assert codes(audit, mini_template, "A2") == []


def test_statutory_met_needs_evidence_but_others_do_not(mini_template, school_profile):
    audit = complete_audit(mini_template, school_profile)
    audit.responses["A1"].evidence = "  "
    audit.responses["A2"].evidence = ""
    assert codes(audit, mini_template) == [ProblemCode.MET_WITHOUT_EVIDENCE]


@pytest.mark.parametrize("rating", [Rating.PARTIALLY_MET, Rating.NOT_MET])
def test_partial_or_not_met_needs_a_complete_action(mini_template, school_profile, rating):
    audit = complete_audit(mini_template, school_profile)
    audit.responses["A2"].rating = rating
    assert codes(audit, mini_template, "A2") == [ProblemCode.NEEDS_ACTION]
    audit.actions.append(Action(standard_id="A2", description="Book termly visits"))
    assert codes(audit, mini_template, "A2") == [ProblemCode.NEEDS_ACTION, ProblemCode.ACTION_INCOMPLETE]
    audit.actions[0].owner_role = "Chair of governors"
    audit.actions[0].target_date = date(2026, 1, 31)
    assert codes(audit, mini_template, "A2") == []


def test_required_date_missing(mini_template, school_profile):
    audit = complete_audit(mini_template, school_profile)
    audit.responses["C4"].dates.clear()
    assert codes(audit, mini_template, "C4") == [ProblemCode.DATE_MISSING]


def test_expired_and_expiring_dates_warn_without_blocking(mini_template, school_profile):
    audit = complete_audit(mini_template, school_profile)
    audit.responses["C4"].dates["dsl_training"] = date(2023, 10, 31)  # due 2025-10-31
    problems = check_readiness(audit, mini_template, TODAY)
    assert [p.code for p in problems] == [ProblemCode.DATE_EXPIRED]
    assert is_ready(problems)
    assert "2025-10-31" in describe(problems[0])
    audit.responses["C4"].dates["dsl_training"] = date(2024, 4, 30)  # due 2026-04-30
    assert codes(audit, mini_template) == [ProblemCode.DATE_EXPIRING]
    audit.responses["C4"].dates["dsl_training"] = date(2024, 5, 2)  # due 2026-05-02: > 6 months
    assert codes(audit, mini_template) == []


def test_answer_afresh_blocks_until_cleared(mini_template, school_profile):
    audit = complete_audit(mini_template, school_profile)
    audit.answer_afresh["A2"] = "split from last year's A2"
    problems = check_readiness(audit, mini_template, TODAY)
    assert [p.code for p in problems] == [ProblemCode.ANSWER_AFRESH]
    assert "split from last year's A2" in describe(problems[0])


def test_every_code_has_words():
    from school_audit.domain.readiness import MESSAGES

    assert set(MESSAGES) == set(ProblemCode)


def test_short_lived_dates_warn_later(mini_template, school_profile):
    from school_audit.domain.readiness import warning_months

    assert [warning_months(m) for m in (24, 12, 6, 4, 1)] == [6, 6, 3, 2, 1]


def test_text_that_may_identify_a_child_warns_before_signing(mini_template, school_profile):
    audit = complete_audit(mini_template, school_profile)
    audit.responses["A2"].evidence = "Link governor met pupil Jack Smith's class"
    audit.actions.append(
        Action(standard_id="O2", description="Follow up CP ref 2024-0113", owner_role="DSL", target_date=date(2026, 1, 1))
    )
    audit.responses["LP1"] = Response(standard_id="LP1", value="DOB 01/02/2017")
    problems = check_readiness(audit, mini_template, TODAY)
    assert [(p.code, p.standard_id, p.field) for p in problems] == [
        (ProblemCode.PRIVACY, "A2", "Evidence"),
        (ProblemCode.PRIVACY, "O2", "Action"),
        (ProblemCode.PRIVACY, "LP1", "Answer"),
    ]
    assert is_ready(problems)  # a warning, not a block
    assert describe(problems[0]).startswith("Evidence: This looks like a child's name")

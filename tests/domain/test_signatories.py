"""Who signs, as pure rules: the problems come back coded, with the roles they concern."""

from __future__ import annotations

from datetime import UTC, datetime

from school_audit.domain.audit import SignOff, SignOffRole
from school_audit.domain.signatories import (
    ROLE_DECLARATIONS,
    ROLE_LABELS,
    SignOffProblem,
    SignOffProblemCode,
    declaration_text,
    sign_off_problems,
    signatories_for,
)

R, C = SignOffRole, SignOffProblemCode
NOW = datetime(2025, 11, 20, 10, 0, tzinfo=UTC)


def signed(role, name="A Person", statement="I agree."):
    return SignOff(role=role, name=name, statement=statement, signed_at=NOW)


def test_a_school_missing_its_board_gets_a_coded_problem(school_profile):
    rules = signatories_for(school_profile)
    problems = sign_off_problems(rules, [signed(R.DSL), signed(R.HEAD_TEACHER)])
    assert problems == [SignOffProblem(C.SIGNATURE_MISSING, (R.CHAIR_OF_GOVERNORS, R.PROPRIETOR))]


def test_twice_a_stranger_and_blanks_are_each_coded(school_profile):
    rules = signatories_for(school_profile)
    people = [signed(R.DSL), signed(R.DSL, name=" "), signed(R.HEAD_TEACHER, statement=""),
              signed(R.CHAIR_OF_GOVERNORS), signed(R.CHILDMINDER)]  # fmt: skip
    codes = {(p.code, p.roles) for p in sign_off_problems(rules, people)}
    assert codes == {(C.SIGNED_TWICE, (R.DSL,)), (C.NOT_A_SIGNATORY, (R.CHILDMINDER,)),
                     (C.NAME_MISSING, (R.DSL,)), (C.DECLARATION_MISSING, (R.HEAD_TEACHER,))}  # fmt: skip


def test_complete_sign_offs_have_no_problems(school_profile):
    rules = signatories_for(school_profile)
    people = [signed(R.DSL), signed(R.HEAD_TEACHER), signed(R.CHAIR_OF_GOVERNORS)]
    assert sign_off_problems(rules, people) == []


def test_every_role_has_a_label_and_a_declaration():
    assert set(ROLE_LABELS) == set(ROLE_DECLARATIONS) == set(SignOffRole)
    assert all("no information that identifies a child" in declaration_text(r) for r in SignOffRole)

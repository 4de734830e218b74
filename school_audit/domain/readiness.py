"""The readiness check: what stops an audit being signed, and what the DSL should look at.

Rules return typed `ReadinessProblem`s (a code and the standard concerned); the UI and reports turn
codes into words with `describe`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from school_audit.domain.audit import Audit, Rating
from school_audit.domain.dates import add_months
from school_audit.domain.privacy import check_text
from school_audit.domain.template import EvidenceRule, Standard, Template

EXPIRY_WARNING_MONTHS = 6  # at most; shorter for dates that are only valid a few months


def warning_months(max_age_months: int) -> int:
    """How long before expiry to warn: six months, or half the validity for short-lived dates
    (a six-monthly fire drill would otherwise warn from the day it is entered)."""
    return max(1, min(EXPIRY_WARNING_MONTHS, max_age_months // 2))


class Severity(StrEnum):
    BLOCKING = "blocking"  # must be fixed before sign-off
    WARNING = "warning"  # worth a look; does not stop sign-off


class ProblemCode(StrEnum):
    UNANSWERED = "unanswered"
    NA_ON_STATUTORY = "na_on_statutory"
    NA_WITHOUT_REASON = "na_without_reason"
    MET_WITHOUT_EVIDENCE = "met_without_evidence"
    EVIDENCE_MISSING = "evidence_missing"
    NEEDS_ACTION = "needs_action"
    ACTION_INCOMPLETE = "action_incomplete"
    DATE_MISSING = "date_missing"
    DATE_EXPIRED = "date_expired"
    DATE_EXPIRING = "date_expiring"
    ANSWER_AFRESH = "answer_afresh"
    PRIVACY = "privacy"


SEVERITY = {
    ProblemCode.DATE_EXPIRED: Severity.WARNING,
    ProblemCode.DATE_EXPIRING: Severity.WARNING,
    ProblemCode.PRIVACY: Severity.WARNING,
}

MESSAGES = {
    ProblemCode.UNANSWERED: "Not answered yet.",
    ProblemCode.NA_ON_STATUTORY: "This is a statutory standard: it cannot be marked not applicable.",
    ProblemCode.NA_WITHOUT_REASON: "Say why this standard does not apply.",
    ProblemCode.MET_WITHOUT_EVIDENCE: "A statutory standard marked met needs evidence.",
    ProblemCode.EVIDENCE_MISSING: "This standard needs evidence whatever the rating.",
    ProblemCode.NEEDS_ACTION: "Partially met or not met: add an action with an owner and a target date.",
    ProblemCode.ACTION_INCOMPLETE: "An action is missing its description, owner or target date.",
    ProblemCode.DATE_MISSING: "Enter the date for {field}.",
    ProblemCode.DATE_EXPIRED: "{field} is out of date (was due by {due}).",
    ProblemCode.DATE_EXPIRING: "{field} expires soon, on {due}.",
    ProblemCode.ANSWER_AFRESH: "Changed since last year: check and confirm the answer ({detail}).",
    ProblemCode.PRIVACY: "{field}: {detail}",
}


@dataclass(frozen=True)
class ReadinessProblem:
    code: ProblemCode
    standard_id: str
    field: str = ""  # the dated field's label, where one is concerned
    due: date | None = None
    detail: str = ""

    @property
    def severity(self) -> Severity:
        return SEVERITY.get(self.code, Severity.BLOCKING)

    @property
    def blocking(self) -> bool:
        return self.severity is Severity.BLOCKING


def describe(problem: ReadinessProblem) -> str:
    """Plain English for one problem (the UI passes it through the translation function)."""
    return MESSAGES[problem.code].format(
        field=problem.field, due=problem.due.isoformat() if problem.due else "", detail=problem.detail
    )


def check_readiness(audit: Audit, template: Template, today: date) -> list[ReadinessProblem]:
    """Every problem in template order; an empty list means ready to sign."""
    problems: list[ReadinessProblem] = []
    for standard in audit.applicable_standards(template):
        problems += check_standard(audit, standard, today)
    return problems


def is_ready(problems: list[ReadinessProblem]) -> bool:
    return not any(problem.blocking for problem in problems)


def check_standard(audit: Audit, standard: Standard, today: date) -> list[ReadinessProblem]:
    response = audit.response(standard.id)
    sid = standard.id
    if standard.id in audit.answer_afresh:
        return [ReadinessProblem(ProblemCode.ANSWER_AFRESH, sid, detail=audit.answer_afresh[sid])]
    if not standard.is_rated:
        return _privacy_problems(audit, sid)  # local questions are optional
    if response.rating is None:
        return [ReadinessProblem(ProblemCode.UNANSWERED, sid)]
    problems = _rating_problems(audit, standard)
    if response.rating is not Rating.NOT_APPLICABLE:
        problems += _date_problems(audit, standard, today)
    return problems + _privacy_problems(audit, standard.id)


def _privacy_problems(audit: Audit, standard_id: str) -> list[ReadinessProblem]:
    """Free text that looks as if it identifies a child: a warning before anything is signed."""
    response = audit.response(standard_id)
    texts = [("Evidence", response.evidence), ("Reason for N/A", response.na_reason)]
    texts += [("Action", action.description) for action in audit.actions_for(standard_id)]
    if isinstance(response.value, str):
        texts.append(("Answer", response.value))
    return [
        ReadinessProblem(ProblemCode.PRIVACY, standard_id, field=label, detail=warning.message)
        for label, text in texts
        for warning in check_text(text)[:1]
    ]


def _rating_problems(audit: Audit, standard: Standard) -> list[ReadinessProblem]:
    response = audit.response(standard.id)
    sid = standard.id
    has_evidence = bool(response.evidence.strip())
    problems: list[ReadinessProblem] = []
    if response.rating is Rating.NOT_APPLICABLE:
        if standard.statutory:
            problems.append(ReadinessProblem(ProblemCode.NA_ON_STATUTORY, sid))
        elif not response.na_reason.strip():
            problems.append(ReadinessProblem(ProblemCode.NA_WITHOUT_REASON, sid))
        return problems
    rule = standard.evidence_rule
    if rule is EvidenceRule.REQUIRED and not has_evidence:
        problems.append(ReadinessProblem(ProblemCode.EVIDENCE_MISSING, sid))
    elif rule is EvidenceRule.REQUIRED_WHEN_MET and response.rating is Rating.MET and not has_evidence:
        problems.append(ReadinessProblem(ProblemCode.MET_WITHOUT_EVIDENCE, sid))
    actions = audit.actions_for(sid)
    complete = [a for a in actions if a.description.strip() and a.owner_role.strip() and a.target_date]
    if response.rating is not None and response.rating.falls_short and not complete:
        problems.append(ReadinessProblem(ProblemCode.NEEDS_ACTION, sid))
    if len(complete) < len(actions):
        problems.append(ReadinessProblem(ProblemCode.ACTION_INCOMPLETE, sid))
    return problems


def _date_problems(audit: Audit, standard: Standard, today: date) -> list[ReadinessProblem]:
    response = audit.response(standard.id)
    problems: list[ReadinessProblem] = []
    for field in standard.dates:
        value = response.dates.get(field.key)
        if value is None:
            if field.required:
                problems.append(
                    ReadinessProblem(ProblemCode.DATE_MISSING, standard.id, field=field.label)
                )
            continue
        if field.max_age_months is None:
            continue
        due = add_months(value, field.max_age_months)
        if due < today:
            problems.append(
                ReadinessProblem(ProblemCode.DATE_EXPIRED, standard.id, field=field.label, due=due)
            )
        elif due <= add_months(today, warning_months(field.max_age_months)):
            problems.append(
                ReadinessProblem(ProblemCode.DATE_EXPIRING, standard.id, field=field.label, due=due)
            )
    return problems

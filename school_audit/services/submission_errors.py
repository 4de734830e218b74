"""The errors sign-off and sending raise, each with a plain-English message."""

from __future__ import annotations

from school_audit.domain.readiness import ReadinessProblem, describe
from school_audit.domain.signatories import ROLE_LABELS, SIGN_OFF_MESSAGES, SignOffProblem
from school_audit.i18n import tr


class NotEnrolledError(Exception):
    def __init__(self, message: str = "") -> None:
        super().__init__(message or tr(
            "This computer is not enrolled with your local authority yet. Enrol it with the "
            "address and one-time code the local authority sent you."
        ))  # fmt: skip


class NotReadyError(Exception):
    """Blocking readiness problems: each listed, in template order."""

    def __init__(self, problems: list[ReadinessProblem]) -> None:
        self.problems = problems
        lines = [f"{problem.standard_id}: {describe(problem, tr)}" for problem in problems]
        super().__init__(tr("The audit is not ready to sign:") + "\n" + "\n".join(lines))


class SignOffIncomplete(ValueError):
    """The sign-offs are not complete: each problem coded (`domain.signatories`) and said."""

    def __init__(self, problems: list[SignOffProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(describe_sign_off_problem(p) for p in problems))


def describe_sign_off_problem(problem: SignOffProblem) -> str:
    """A coded sign-off problem in the user's words."""
    role = tr(" or ").join(tr(ROLE_LABELS[role]) for role in problem.roles)
    return tr(SIGN_OFF_MESSAGES[problem.code], role=role)


class EstablishmentMismatch(Exception):
    """The audit is for another establishment than the one this computer is enrolled for."""


class SealBroken(Exception):
    """The sealed content no longer builds to the hash the signatories signed."""

    def __init__(self) -> None:
        super().__init__(tr(
            "The audit no longer matches what was sealed, so the signatures collected do not "
            "cover it. Unseal it and ask everyone to sign again."
        ))  # fmt: skip

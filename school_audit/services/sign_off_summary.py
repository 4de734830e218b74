"""The one-page summary a signatory reads before signing: facts the app works out, no answer text.

The same facts go to the collector with a remote request (its `summary` field) and are shown on
the sign-here-now step: statutory standards not fully met, how many actions are overdue, the
warnings the readiness check raises, and which ratings changed since last year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from school_audit.domain.audit import Audit
from school_audit.domain.readiness import ProblemCode, check_readiness, describe
from school_audit.domain.template import Template
from school_audit.i18n import tr

LINE = 500  # the collector's limit per line


@dataclass(frozen=True)
class SigningSummary:
    statutory_not_met: list[str] = field(default_factory=list)
    overdue_actions: int = 0
    warnings: list[str] = field(default_factory=list)
    changed_since_last_year: list[str] = field(default_factory=list)

    def api_json(self) -> dict[str, Any]:
        """The `summary` of `POST /api/v1/sign-off-requests`."""
        return {
            "statutory_not_met": self.statutory_not_met[:200],
            "overdue_actions": min(self.overdue_actions, 10_000),
            "warnings": self.warnings[:200],
            "changed_since_last_year": self.changed_since_last_year[:200],
        }


def signing_summary(audit: Audit, template: Template, today: date) -> SigningSummary:
    standards = audit.applicable_standards(template)
    not_met = []
    changed = []
    for standard in standards:
        rating = audit.response(standard.id).rating
        if standard.statutory and rating is not None and rating.falls_short:
            not_met.append(_line(f"{standard.id}: {standard.text} ({tr(rating.label)})"))
        before = audit.previous_responses.get(standard.id)
        last = before.rating if before is not None else None
        if last is not None and rating is not None and last is not rating:
            changed.append(_line(tr(
                "{id}: {before} last year, {now} now",
                id=standard.id, before=tr(last.label), now=tr(rating.label),
            )))  # fmt: skip
    warnings = []
    for problem in check_readiness(audit, template, today):
        if problem.blocking:
            continue
        if problem.code is ProblemCode.PRIVACY:
            # Never the text itself: it may be what names a child.
            text = tr("{field} may identify someone: check it", field=tr(problem.field))
        else:
            text = describe(problem, tr)
        warnings.append(_line(f"{problem.standard_id}: {text}"))
    overdue = sum(1 for action in audit.actions if action.is_overdue(today))
    return SigningSummary(not_met, overdue, warnings, changed)


def _line(text: str) -> str:
    return text if len(text) <= LINE else text[: LINE - 1] + "…"

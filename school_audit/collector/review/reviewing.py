"""Recording an LA officer's review: accept, or return for changes with comments per standard.

The review row and the return's new status are written together, with an audit-log line. The
school's app reads them through `GET /api/v1/submissions/{id}` (status, and the review's comments).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from school_audit.collector.db.engine import Database
from school_audit.collector.db.tables import AuditLogEntry, Review, Submission
from school_audit.collector.mail import notices
from school_audit.i18n import tr

DECISIONS = ("accepted", "returned")
MAX_COMMENT = 5000
COMMENT_PREFIX = "comment_"


class ReviewRefused(ValueError):
    """The review cannot be recorded as given; the message says why, in plain words."""


@dataclass(frozen=True)
class ReviewInput:
    decision: str
    general: str
    per_standard: dict[str, str]


def read_form(form: Mapping[str, object], standard_ids: set[str]) -> ReviewInput:
    decision = str(form.get("decision") or "")
    if decision not in DECISIONS:
        raise ReviewRefused(tr("Choose whether to accept the return or return it for changes."))
    general = _clean(form.get("general_comment"))
    per_standard = {}
    for key, value in form.items():
        if key.startswith(COMMENT_PREFIX) and (text := _clean(value)):
            standard_id = key[len(COMMENT_PREFIX) :]
            if standard_id not in standard_ids:
                raise ReviewRefused(tr("A comment names a standard that is not in this return."))
            per_standard[standard_id] = text
    if decision == "returned" and not general and not per_standard:
        raise ReviewRefused(
            tr(
                "Say what the school needs to change: add a general comment or a comment on a standard."
            )
        )
    return ReviewInput(decision, general, per_standard)


def _clean(value: object) -> str:
    text = str(value or "").replace("\x00", "").strip()
    if len(text) > MAX_COMMENT:
        raise ReviewRefused(tr("A comment is longer than {limit} characters.", limit=MAX_COMMENT))
    return text


def record_review(
    database: Database, submission_id: str, reviewer: str, review: ReviewInput
) -> None:
    with database.write() as session:
        submission = session.get(Submission, submission_id)
        if submission is None or submission.status == "superseded":
            raise ReviewRefused(
                tr("This return has been superseded by a newer revision; review that one.")
            )
        if submission.status == "quarantined":  # not counted: the officer releases it first
            raise ReviewRefused(
                tr("This return is quarantined: release it as the current return first.")
            )
        session.add(
            Review(
                submission_id=submission_id,
                decision=review.decision,
                comments=json.dumps(review.per_standard, sort_keys=True),
                general_comment=review.general,
                reviewer=reviewer,
            )
        )
        submission.status = review.decision
        notices.queue_return_notice(session, review.decision, urn=submission.urn,
                                    cycle=submission.cycle, submission_id=submission_id)  # fmt: skip
        detail = f"{len(review.per_standard)} standard comment(s)"
        session.add(AuditLogEntry(actor=reviewer[:100], action=f"review_{review.decision}",
                                  target=submission_id, detail=detail))  # fmt: skip

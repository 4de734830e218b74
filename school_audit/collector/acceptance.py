"""The collector's acceptance record of a return: issued by the API to the school's app and put
in the portable archive, the same record both ways (`signing.acceptance`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from school_audit.collector.db.tables import Review, Submission
from school_audit.domain.envelope import rfc3339
from school_audit.signing.acceptance import sign_acceptance
from school_audit.signing.keys import SigningKey


def latest_review(session: Session, submission_id: str) -> Review | None:
    return session.scalar(
        select(Review)
        .where(Review.submission_id == submission_id)
        .order_by(Review.reviewed_at.desc(), Review.id.desc())
        .limit(1)
    )


def acceptance_record(
    key: SigningKey, row: Submission, decision: str | None, reviewed_at: str | None
) -> dict[str, Any] | None:
    """The signed record while the return stands accepted by its latest review, else None
    (Ed25519 is deterministic: asking again gives the same record while the key is the same)."""
    if row.status != "accepted" or decision != "accepted" or not reviewed_at:
        return None
    return sign_acceptance(
        key, submission_id=row.submission_id, envelope_sha256=row.envelope_sha256,
        accepted_at=reviewed_at,
    )  # fmt: skip


def acceptance_from_rows(key: SigningKey, session: Session, row: Submission) -> dict[str, Any] | None:
    review = latest_review(session, row.submission_id)
    if review is None:
        return None
    return acceptance_record(key, row, review.decision, rfc3339(review.reviewed_at))

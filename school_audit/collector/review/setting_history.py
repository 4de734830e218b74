"""A setting's page: its register details and its history, every cycle, newest first.

Returns (every revision, with its state), reviews of them, reminders sent (from the mail
package's `reminders_sent`) and triage notes, for LA staff.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from school_audit.collector.db.tables import (
    Establishment,
    ReminderSent,
    Review,
    Submission,
    TriageNote,
)
from school_audit.collector.review.triage_notes import notes_for


@dataclass(frozen=True)
class History:
    establishment: Establishment | None
    returns: list[Submission]
    reviews: list[Review]
    reminders: list[ReminderSent]
    notes: list[TriageNote]

    @property
    def name(self) -> str:
        return self.establishment.name if self.establishment else ""

    def reviews_of(self, submission_id: str) -> list[Review]:
        return [r for r in self.reviews if r.submission_id == submission_id]


def load(session: Session, urn: str) -> History | None:
    """None when the register does not know the setting and no return names it."""
    place = session.get(Establishment, urn)
    returns = list(
        session.scalars(
            select(Submission)
            .where(Submission.urn == urn)
            .order_by(Submission.cycle.desc(), Submission.revision.desc())
        )
    )
    if place is None and not returns:
        return None
    ids = [s.submission_id for s in returns]
    reviews = (
        list(
            session.scalars(
                select(Review)
                .where(Review.submission_id.in_(ids))
                .order_by(Review.reviewed_at.desc())
            )
        )
        if ids
        else []
    )
    reminders = list(
        session.scalars(
            select(ReminderSent)
            .where(ReminderSent.urn == urn)
            .order_by(ReminderSent.sent_at.desc())
        )
    )
    return History(place, returns, reviews, reminders, notes_for(session, urn))

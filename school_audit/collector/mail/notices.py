"""Notices to the DSL when a return is received, accepted or returned for changes.

Each is queued in the transaction that stores the return or records the review, so the email
goes out exactly when the event happened. The message says what happened and what to do; the
reviewer's comments stay in the app, which shows them beside the standards concerned.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from school_audit.collector.db.tables import CycleRow, Establishment, EstablishmentContact
from school_audit.collector.db.types import utc_now
from school_audit.collector.mail.contacts import Recipient
from school_audit.collector.mail.queue import enqueue

EVENTS = ("received", "accepted", "returned")


def return_received(session: Session, submission: Mapping[str, Any]) -> None:
    """From ingest: a new return was stored (a superseded late arrival gets no notice)."""
    if submission["status"] == "superseded":
        return
    queue_return_notice(
        session,
        "received",
        urn=submission["urn"],
        cycle=submission["cycle"],
        submission_id=submission["submission_id"],
        when=submission["received_at"],
        quarantined=submission["status"] == "quarantined",
    )


def queue_return_notice(
    session: Session,
    event: str,
    *,
    urn: str,
    cycle: str,
    submission_id: str,
    when: datetime | None = None,
    quarantined: bool = False,
) -> bool:
    """Queue the DSL's email about `event`; False when no usable DSL address is on file."""
    if event not in EVENTS:
        raise ValueError(f"unknown notice {event!r}")
    found = _dsl_and_place(session, urn, cycle)
    if found is None:
        return False
    recipient, place = found
    day = (when or utc_now()).date().isoformat()
    facts = {**place, "submission_id": submission_id, "received_on": day, "reviewed_on": day,
             "quarantined": quarantined}  # fmt: skip
    enqueue(session, f"return_{event}", recipient, facts, urn=urn, cycle=cycle)
    return True


_DSL = EstablishmentContact
# Built once (ingest runs it for every return; building a statement costs more than running it).
_DSL_AND_PLACE = (
    select(Establishment.name, Establishment.contact_email, Establishment.contact_name,
           _DSL.email, _DSL.name, _DSL.bounced_at, CycleRow.final_deadline)
    .select_from(Establishment)
    .outerjoin(_DSL, (_DSL.urn == Establishment.urn) & (_DSL.role == "dsl"))
    .outerjoin(CycleRow, CycleRow.cycle == bindparam("cycle"))
    .where(Establishment.urn == bindparam("urn"))
)  # fmt: skip


def _dsl_and_place(
    session: Session, urn: str, cycle: str
) -> tuple[Recipient, dict[str, Any]] | None:
    """The DSL (as `contacts.recipients` would choose) and the setting's facts, in one query:
    this runs inside every return's ingest transaction."""
    row = session.execute(_DSL_AND_PLACE, {"urn": urn, "cycle": cycle}).first()
    if row is None:
        return None
    name, register_email, register_name, email, person, bounced_at, deadline = row
    if email is not None:
        if bounced_at is not None:
            return None
        recipient = Recipient("dsl", email, person or "")
    elif register_email:
        recipient = Recipient("dsl", register_email, register_name or "")
    else:
        return None
    place = {"establishment_name": name, "urn": urn, "cycle": cycle,
             "deadline": deadline.isoformat() if deadline else ""}  # fmt: skip
    return recipient, place


def place_facts(session: Session, urn: str, cycle: str) -> dict[str, Any]:
    """The names and dates every message about one setting's cycle may show."""
    place = session.get(Establishment, urn)
    row = session.get(CycleRow, cycle)
    deadline: date | None = row.final_deadline if row is not None else None
    return {
        "establishment_name": place.name if place is not None else f"URN {urn}",
        "urn": urn,
        "cycle": cycle,
        "deadline": deadline.isoformat() if deadline else "",
    }

"""Each establishment's DSL, head and chair of governors: who gets which mail.

An address comes from an LA officer (`contact set`), from the school's app at enrolment (the
DSL's, an optional field), or from the register (an early-years provider's contact email). An
officer's correction is never overwritten by the app or the register. Every change and every
address the relay refused is written to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from school_audit.collector.db.tables import AuditLogEntry, Establishment, EstablishmentContact
from school_audit.collector.db.types import utc_now
from school_audit.collector.mail.config import is_address

ROLES = ("dsl", "head", "chair")
ROLE_LABELS = {"dsl": "the designated safeguarding lead", "head": "the head teacher",
               "chair": "the chair of governors"}  # fmt: skip
SOURCES = ("officer", "app", "register")


class ContactError(ValueError):
    """The contact cannot be saved as given; the message says why."""


@dataclass(frozen=True)
class Recipient:
    role: str
    email: str
    name: str


def set_contact(
    session: Session,
    urn: str,
    role: str,
    email: str,
    *,
    actor: str,
    name: str | None = None,
    source: str = "officer",
) -> bool:
    """Save one address; False (and nothing changed) when an officer's correction would be
    overwritten by the app or the register."""
    email = email.strip()
    if role not in ROLES:
        raise ContactError(f"the role must be one of {', '.join(ROLES)}")
    if not is_address(email):
        raise ContactError(f"{email!r} is not an email address")
    if session.get(Establishment, urn) is None:
        raise ContactError(f"no establishment with URN {urn} in the register")
    row = _row(session, urn, role)
    if row is not None and row.source == "officer" and source != "officer":
        return False
    old = row.email if row is not None else ""
    if row is None:
        row = EstablishmentContact(urn=urn, role=role)
        session.add(row)
    row.email, row.source, row.updated_by, row.updated_at = email, source, actor, utc_now()
    row.bounced_at = row.bounce_reason = None
    if name is not None:
        row.name = name.strip() or None
    detail = f"{role}: {old or '(none)'} -> {email} ({source})"
    session.add(AuditLogEntry(actor=actor[:100], action="contact.set", target=urn, detail=detail))
    return True


def app_dsl_address(session: Session, urn: str, email: str) -> None:
    """The DSL's address as the school's app sent it (an officer's correction stays)."""
    set_contact(session, urn, "dsl", email, actor="app", source="app")


def _row(session: Session, urn: str, role: str) -> EstablishmentContact | None:
    return session.scalar(
        select(EstablishmentContact).where(
            EstablishmentContact.urn == urn, EstablishmentContact.role == role
        )
    )


def recipients(session: Session, urn: str, roles: tuple[str, ...]) -> list[Recipient]:
    """The addresses on file for `roles`, in that order. A role with none is left out, and so is
    an address the relay refused for good (it would only be refused again) until it is corrected."""
    place = session.get(Establishment, urn)
    found = []
    for role in roles:
        row = _row(session, urn, role)
        if row is not None:
            if row.bounced_at is None:
                found.append(Recipient(role, row.email, row.name or _default_name(place, role)))
        elif role == "dsl" and place is not None and place.contact_email:
            found.append(Recipient(role, place.contact_email, place.contact_name or ""))
    return found


def _default_name(place: Establishment | None, role: str) -> str:
    return (place.head_name or "") if place is not None and role == "head" else ""


def record_bounce(
    session: Session, urn: str | None, role: str | None, email: str, reason: str, when: datetime
) -> None:
    """The relay refused `email` for good: mark the contact and log it, so the LA fixes it."""
    if urn and role:
        row = _row(session, urn, role)
        if row is not None and row.email == email:
            row.bounced_at, row.bounce_reason = when, reason[:500]
    session.add(AuditLogEntry(actor="mail", action="mail.bounce", target=urn or "",
                              detail=f"{role or 'recipient'} {email}: {reason}"[:1000]))  # fmt: skip


def list_contacts(session: Session, urn: str | None = None) -> list[EstablishmentContact]:
    query = select(EstablishmentContact).order_by(
        EstablishmentContact.urn, EstablishmentContact.role
    )
    if urn:
        query = query.where(EstablishmentContact.urn == urn)
    return list(session.scalars(query))

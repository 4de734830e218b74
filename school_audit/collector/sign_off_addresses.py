"""Where each remote signature's link and code went, and whether the LA holds that address.

A remote signature (by emailed code, or by passkey after an emailed link) proves that someone
could read mail at the address the setting's app named, not that the address is the right
person's. So the return page shows the address and compares it with the LA's own contact for
the role (`establishment_contacts`: dsl, head, chair). A mismatch is a flag for the officer, never
a quarantine: the LA's list may be incomplete or out of date.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from school_audit.collector.db.tables import EstablishmentContact, SignOffRequest
from school_audit.domain.envelope import Envelope

# Sign-off roles the LA keeps a contact for (mail/contacts.py ROLES).
CONTACT_ROLE = {"dsl": "dsl", "head_teacher": "head", "chair_of_governors": "chair"}
REMOTE_METHODS = ("email_code", "passkey")


@dataclass(frozen=True)
class CodeAddress:
    """Signature `index` in `sign_off[]` was made from a request emailed to `address`."""

    index: int
    role: str
    address: str
    la_holds: bool  # the LA's contact for this role at this setting has this address


def same_address(one: str, other: str) -> bool:
    return one.strip().casefold() == other.strip().casefold()


def code_addresses(session: Session, urn: str, envelope: Envelope) -> list[CodeAddress]:
    """One entry per remote signature this collector made for `urn` (found by its attestation);
    a signature with no request here is left out (its attestation check says why)."""
    found = []
    contacts = {
        row.role: row.email
        for row in session.scalars(
            select(EstablishmentContact).where(EstablishmentContact.urn == urn)
        )
    }
    for index, entry in enumerate(envelope.sign_off):
        attestation = entry.attestation
        if attestation is None or attestation.method not in REMOTE_METHODS:
            continue
        if not attestation.signature or not attestation.content_sha256:
            continue
        rows = session.scalars(
            select(SignOffRequest).where(
                SignOffRequest.urn == urn,
                SignOffRequest.content_sha256 == attestation.content_sha256,
                SignOffRequest.role == entry.role.value,
                SignOffRequest.status == "signed",
            )
        ).all()
        row = next((r for r in rows if _signature(r) == attestation.signature), None)
        if row is None:
            continue
        held = contacts.get(CONTACT_ROLE.get(entry.role.value, ""))
        found.append(
            CodeAddress(
                index,
                entry.role.value,
                row.email,
                held is not None and same_address(held, row.email),
            )
        )
    return found


def _signature(row: SignOffRequest) -> str | None:
    try:
        value = json.loads(row.attestation or "{}").get("signature")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None

"""What the public `/verify/{code}` page may say about a return: that it was received, when, its
review state, and how each role signed (method and date). Never names, answers or the setting.

The code is the one printed on the governors' PDF: the first sixteen hex digits of the SHA-256 of
the signed envelope bytes, in groups of four. The collector keeps those bytes, so it re-derives
the hash from them rather than trusting the stored one.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from school_audit.collector.db.tables import Submission
from school_audit.domain.audit import SIGN_OFF_ROLE_LABELS

CODE_DIGITS = 16
_NOT_CODE = re.compile(r"[\s-]")

STATE_WORDS = {
    "received": "Received; not reviewed yet",
    "accepted": "Accepted by the local authority",
    "returned": "Returned to the setting for changes",
    "quarantined": "Held by the local authority for checking",
    "superseded": "Replaced by a later revision",
}
METHOD_WORDS = {
    "in_person": "in person on the setting's computer",
    "email_code": "remotely, with a code sent to their email address",
    "passkey": "remotely, with a passkey",
    None: "on the setting's computer (before separate signatures existed)",
}
ROLE_WORDS = SIGN_OFF_ROLE_LABELS  # the domain says each role's words once


def normalise_code(text: str) -> str | None:
    """Sixteen hex digits in lower case, or None: dashes, spaces and case do not matter."""
    code = _NOT_CODE.sub("", text).lower()
    return code if re.fullmatch(r"[0-9a-f]{16}", code) else None


@dataclass(frozen=True)
class RoleSigned:
    role: str
    method: str
    signed_on: date | None


@dataclass(frozen=True)
class Verified:
    received_at: datetime
    state: str
    roles: list[RoleSigned]


def look_up(session: Session, code: str) -> list[Verified]:
    """Every return whose envelope hash starts with `code` (normally one)."""
    rows = session.execute(
        select(Submission.envelope, Submission.received_at, Submission.status)
        .where(func.substr(Submission.envelope_sha256, 1, CODE_DIGITS) == code)
        .order_by(Submission.received_at)
    ).all()
    found = []
    for envelope, received_at, status in rows:
        if hashlib.sha256(envelope).hexdigest()[:CODE_DIGITS] != code:
            continue  # the stored hash does not match the stored bytes: say nothing of it
        found.append(Verified(received_at, STATE_WORDS.get(status, status), _roles(envelope)))
    return found


def _roles(envelope: bytes) -> list[RoleSigned]:
    signed = []
    for entry in json.loads(envelope).get("sign_off", []):
        attestation = entry.get("attestation") or {}
        method = attestation.get("method")
        signed.append(
            RoleSigned(
                ROLE_WORDS.get(entry.get("role"), str(entry.get("role"))),
                METHOD_WORDS.get(method, METHOD_WORDS[None]),
                _day(attestation.get("at") or entry.get("signed_at")),
            )
        )
    return signed


def _day(text: object) -> date | None:
    if not isinstance(text, str):
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        return None

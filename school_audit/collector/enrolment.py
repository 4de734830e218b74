"""Enrolment codes (one-time, expiring, stored only as a hash) and enrolling a device with one."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from school_audit.collector.db.tables import Device, EnrolmentCode, Establishment
from school_audit.collector.db.types import utc_now
from school_audit.collector.devices import secret_hash
from school_audit.signing import SigningKey, check_public_key, key_id_for

# No 0/O, 1/I/L: codes are read over the phone and typed by hand.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16  # about 79 bits
MAX_CODE_TRIES = 10  # a code tried this often is burnt, whatever the rate limiter says


class UnknownEstablishment(LookupError):
    pass


class CodeRefused(Exception):
    """Unknown, used, expired or burnt: deliberately one exception for all four."""


class KeyAlreadyEnrolled(Exception):
    pass


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def issue_code(session: Session, urn: str, days: int, issued_by: str = "admin") -> str:
    """A new code for `urn`, valid for `days`; the plain code is returned once and never stored."""
    if session.get(Establishment, urn) is None:
        raise UnknownEstablishment(urn)
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    session.add(
        EnrolmentCode(
            code_hash=secret_hash(code),
            urn=urn,
            expires_at=utc_now() + timedelta(days=days),
            issued_by=issued_by,
        )
    )
    return format_code(code)


@dataclass(frozen=True)
class Enrolled:
    device: Device
    establishment: Establishment
    token: str  # shown to the device once; only its hash is kept


def enrol(session: Session, code: str, public_key: str, device_name: str) -> Enrolled:
    """Use `code` to enrol a device with `public_key`.

    A key that is malformed or weak (a small-order point, with which a trivial signature verifies
    for any message) raises SignatureInvalid before the code is looked at.
    """
    check_public_key(public_key)
    now = utc_now()
    # FOR UPDATE: on PostgreSQL two devices racing with one code queue here (SQLite's writer
    # lock already serialises them), so only the first finds the code unused.
    row = session.scalar(
        select(EnrolmentCode)
        .where(EnrolmentCode.code_hash == secret_hash(normalise_code(code)))
        .with_for_update()
    )
    if row is None:
        raise CodeRefused()
    row.attempts += 1
    if not _usable(row, now):
        raise CodeRefused()
    key_id = key_id_for(public_key)
    if session.scalar(select(Device.device_id).where(Device.device_key_id == key_id)):
        raise KeyAlreadyEnrolled(key_id)
    token = secrets.token_urlsafe(32)
    device = Device(
        device_id=str(uuid.uuid4()),
        device_key_id=key_id,
        urn=row.urn,
        public_key=public_key,
        token_hash=secret_hash(token),
        name=device_name,
        enrolled_at=now,
    )
    row.used_at = now
    session.add(device)
    establishment = session.get(Establishment, row.urn)
    assert establishment is not None  # enrolment_codes.urn is a foreign key
    return Enrolled(device, establishment, token)


def _usable(row: EnrolmentCode, now: datetime) -> bool:
    return code_state(row, now) == "unused"


def code_state(row: EnrolmentCode, now: datetime) -> str:
    """unused, used, revoked, expired or burnt (tried too often)."""
    if row.used_at is not None:
        return "used"
    if row.revoked_at is not None:
        return "revoked"
    if row.expires_at <= now:
        return "expired"
    return "burnt" if row.attempts > MAX_CODE_TRIES else "unused"


@dataclass(frozen=True)
class CodeListing:
    id: int
    urn: str
    name: str
    issued_by: str
    created_at: datetime
    expires_at: datetime
    state: str


def list_codes(session: Session, limit: int = 500) -> list[CodeListing]:
    """The latest codes, newest first, by state only: the code itself was never kept."""
    now = utc_now()
    rows = session.execute(
        select(EnrolmentCode, Establishment.name)
        .join(Establishment, Establishment.urn == EnrolmentCode.urn)
        .order_by(EnrolmentCode.id.desc())
        .limit(limit)
    ).all()
    return [
        CodeListing(row.id, row.urn, name, row.issued_by or "", row.created_at, row.expires_at,
                    code_state(row, now))
        for row, name in rows
    ]  # fmt: skip


def revoke_code(session: Session, code_id: int) -> str | None:
    """Withdraw an unused code; the URN it was for, or None if there is no such unused code."""
    row = session.get(EnrolmentCode, code_id)
    if row is None or code_state(row, utc_now()) != "unused":
        return None
    row.revoked_at = utc_now()
    return row.urn


def collector_public_identity(key: SigningKey) -> dict[str, str]:
    return {"collector_public_key": key.public_key_b64, "collector_key_id": key.key_id}

"""Remote signing by email code: a signatory reads the sealed return's summary at a link sent to
them and signs with a one-time code sent to the same address (or declines with a comment).

The collector then attests, with its Ed25519 key, that this person signed this content in this
role (signing/attestations.py); the app collects the attestation and puts it in the envelope.
Only hashes of the link token and of the code are stored in this table; the address the link
and the code went to is kept, so the return page can show it and compare it with the LA's own
contacts for the role (`code_addresses`).

A request is only for a cycle the collector has open, its link starts with the collector's
configured public address (never the Host a request named), and there are limits: open requests
per establishment and new requests per device per day (RequestLimited). The limits are counted
and acted on under one lock (the establishment's row, which every device of it shares), so two
requests made at the same moment cannot both pass a limit that only one of them fits under.
"""

from __future__ import annotations

import hmac
import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from school_audit.collector.db.tables import CycleRow, Establishment, SignOffRequest
from school_audit.collector.devices import DeviceIdentity, secret_hash
from school_audit.collector.mail.contacts import Recipient
from school_audit.collector.mail.notices import place_facts
from school_audit.collector.mail.queue import enqueue
from school_audit.domain.envelope import rfc3339
from school_audit.signing import SigningKey, sign_attestation

LINK_DAYS = 14
CODE_MINUTES = 15
MAX_CODE_ATTEMPTS = 5
MAX_OPEN_PER_ESTABLISHMENT = 10  # pending and not expired, whichever device asked
MAX_NEW_PER_DEVICE_PER_DAY = 30
ROLE_WORDS = {
    "dsl": "designated safeguarding lead",
    "head_teacher": "head teacher",
    "chair_of_governors": "chair of governors",
    "safeguarding_governor": "safeguarding governor",
    "proprietor": "proprietor",
    "manager": "setting manager",
    "registered_person": "registered person",
    "childminder": "childminder",
}


class RequestRefused(Exception):
    """Why a step cannot be taken, in words for the signatory or the app."""


class RequestLimited(RequestRefused):
    """Too many requests for now; `retry_after` is in seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class NewRequest:
    cycle: str
    content_sha256: str
    role: str
    name: str
    email: str
    summary: dict[str, Any]


def create(
    session: Session, device: DeviceIdentity, new: NewRequest, public_url: str, now: datetime
) -> dict[str, Any]:
    """Store the request and queue the email with its single-use link, which starts with
    `public_url` (the collector's configured address). RequestRefused if the cycle is not open,
    RequestLimited past a limit."""
    _check_allowed(session, device, new.cycle, now)
    token = secrets.token_urlsafe(32)
    row = SignOffRequest(
        request_id=str(uuid.uuid4()), urn=device.urn, device_id=device.device_id,
        cycle=new.cycle,
        content_sha256=new.content_sha256, role=new.role, name=new.name, email=new.email,
        summary=json.dumps(new.summary, sort_keys=True), status="pending",
        link_hash=secret_hash(token), code_attempts=0, expires_at=now + timedelta(days=LINK_DAYS),
        created_at=now,
    )  # fmt: skip
    session.add(row)
    facts = {**place_facts(session, device.urn, new.cycle),
             "role_words": ROLE_WORDS.get(new.role, new.role),
             "sign_link": f"{public_url.rstrip('/')}/sign/{token}",
             "expires_on": row.expires_at.date().isoformat()}  # fmt: skip
    enqueue(session, "sign_off_request", Recipient("signatory", new.email, new.name), facts,
            urn=device.urn, cycle=new.cycle, now=now)  # fmt: skip
    session.flush()
    return status_json(row, now)


def _check_allowed(session: Session, device: DeviceIdentity, cycle: str, now: datetime) -> None:
    """RequestRefused / RequestLimited, or the way is clear until the transaction ends.

    The establishment's row is locked first, so the counts below and the insert that follows are
    one step for every request of this setting (any device): on PostgreSQL `FOR NO KEY UPDATE`
    (the next request waits for this one to commit, then counts it; rows that only refer to the
    establishment are not held up), on SQLite the write transaction (`BEGIN IMMEDIATE`, one
    writer at a time) does the same."""
    session.execute(
        select(Establishment.urn).where(Establishment.urn == device.urn)
        .with_for_update(key_share=True)
    )  # fmt: skip
    is_open = session.scalar(select(CycleRow.is_open).where(CycleRow.cycle == cycle))
    if not is_open:
        raise RequestRefused(
            f"The collector has no open cycle {cycle}: there is nothing to sign for it."
        )
    open_now = session.scalar(
        select(func.count()).select_from(SignOffRequest).where(
            SignOffRequest.urn == device.urn, SignOffRequest.status == "pending",
            SignOffRequest.expires_at > now)
    )  # fmt: skip
    if (open_now or 0) >= MAX_OPEN_PER_ESTABLISHMENT:
        raise RequestLimited(
            f"This setting already has {MAX_OPEN_PER_ESTABLISHMENT} sign-off requests waiting. "
            "Cancel one that is no longer needed, or wait for one to be answered.",
            retry_after=3600,
        )
    day_ago = now - timedelta(days=1)
    recent = session.scalars(
        select(SignOffRequest.created_at).where(
            SignOffRequest.device_id == device.device_id, SignOffRequest.created_at > day_ago)
        .order_by(SignOffRequest.created_at)
    ).all()  # fmt: skip
    if len(recent) >= MAX_NEW_PER_DEVICE_PER_DAY:
        wait = recent[len(recent) - MAX_NEW_PER_DEVICE_PER_DAY] + timedelta(days=1) - now
        raise RequestLimited(
            f"This computer has asked for {MAX_NEW_PER_DEVICE_PER_DAY} signatures in a day. "
            "Try again later.",
            retry_after=max(1, int(wait.total_seconds()) + 1),
        )


def for_device(session: Session, device: DeviceIdentity, request_id: str) -> SignOffRequest | None:
    row = session.get(SignOffRequest, request_id)
    return row if row is not None and row.urn == device.urn else None


def status_json(row: SignOffRequest, now: datetime) -> dict[str, Any]:
    value: dict[str, Any] = {
        "request_id": row.request_id,
        "content_sha256": row.content_sha256,
        "cycle": row.cycle,
        "role": row.role,
        "name": row.name,
        "status": "expired" if _expired(row, now) else row.status,
        "expires_at": rfc3339(row.expires_at),
    }
    if row.status == "declined":
        value["comment"] = row.comment or ""
    if row.attestation:
        value["attestation"] = json.loads(row.attestation)
    return value


def cancel(row: SignOffRequest, now: datetime) -> None:
    if row.status != "pending":
        raise RequestRefused(f"This request is already {row.status}.")
    row.status, row.finished_at = "cancelled", now


def _expired(row: SignOffRequest, now: datetime) -> bool:
    return row.status == "pending" and row.expires_at <= now


def by_link(session: Session, token: str, now: datetime) -> SignOffRequest | None:
    """The open request behind a link, or None (unknown, used, cancelled or expired alike)."""
    if not token or len(token) > 100:
        return None
    row = session.scalar(
        select(SignOffRequest).where(SignOffRequest.link_hash == secret_hash(token))
    )
    if row is None or row.status != "pending" or _expired(row, now):
        return None
    return row


def _code_hash(row: SignOffRequest, code: str) -> str:
    return secret_hash(f"{row.request_id}:{code}")


def send_code(session: Session, row: SignOffRequest, now: datetime) -> None:
    """A new six-digit code to the request's address; any earlier code stops working."""
    code = f"{secrets.randbelow(1_000_000):06d}"
    row.code_hash, row.code_expires_at, row.code_attempts = _code_hash(row, code), now + timedelta(minutes=CODE_MINUTES), 0  # fmt: skip
    facts = {
        **place_facts(session, row.urn, row.cycle),
        "code": code,
        "minutes": CODE_MINUTES,
        "role_words": ROLE_WORDS.get(row.role, row.role),
    }
    enqueue(session, "sign_off_code", Recipient("signatory", row.email, row.name), facts,
            urn=row.urn, cycle=row.cycle, now=now)  # fmt: skip


def confirm(row: SignOffRequest, code: str, key: SigningKey, now: datetime) -> dict[str, Any]:
    """Check the code and return the collector's attestation; RequestRefused says why not."""
    check_code(row, code, now)
    attestation = sign_attestation(key, content_sha256=row.content_sha256, role=row.role,
                                   name=row.name, verified_at=rfc3339(now))  # fmt: skip
    row.status, row.finished_at, row.code_hash = "signed", now, None
    row.attestation = json.dumps(attestation, sort_keys=True)
    return attestation


def check_code(row: SignOffRequest, code: str, now: datetime) -> None:
    """RequestRefused unless `code` is the live code sent for this request (each try counts)."""
    if row.code_hash is None or row.code_expires_at is None or row.code_expires_at <= now:
        raise RequestRefused("The code has expired or was never sent. Ask for a new code.")
    if row.code_attempts >= MAX_CODE_ATTEMPTS:
        raise RequestRefused("Too many wrong codes. Ask for a new code.")
    row.code_attempts += 1
    typed = "".join(ch for ch in code if ch.isdigit())
    if not hmac.compare_digest(_code_hash(row, typed), row.code_hash):
        raise RequestRefused("That code is not right. Check the latest email and try again.")


def decline(row: SignOffRequest, comment: str, now: datetime) -> None:
    row.status, row.finished_at, row.comment, row.code_hash = "declined", now, comment[:2000], None

"""Re-check a stored return: do its bytes still match their hash, and the device's signature?"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from school_audit.collector.db.tables import Device, Submission
from school_audit.signing import SignatureInvalid, verify


@dataclass(frozen=True)
class Verification:
    hash_ok: bool
    signature_ok: bool
    device_name: str | None
    message: str

    @property
    def ok(self) -> bool:
        return self.hash_ok and self.signature_ok


def verify_submission(session: Session, submission: Submission) -> Verification:
    hash_ok = hashlib.sha256(submission.envelope).hexdigest() == submission.envelope_sha256
    device = session.scalar(select(Device).where(Device.device_key_id == submission.device_key_id))
    if device is None:
        return Verification(
            hash_ok, False, None, "The signing device is not known to this collector."
        )
    try:
        verify(device.public_key, submission.envelope, submission.signature)
    except SignatureInvalid as problem:
        return Verification(hash_ok, False, device.name, f"Signature check failed: {problem}.")
    if not hash_ok:
        return Verification(
            False, True, device.name, "The stored bytes no longer match their recorded hash."
        )
    return Verification(
        True, True, device.name, "Stored bytes match their hash; the device's signature is valid."
    )

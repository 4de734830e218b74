"""The checks that refuse a return: who signed it, for whom, against which template.

Order matters for what a caller can learn: the signature is checked before anything is looked up
by the envelope's own ids, so an unsigned probe learns nothing about other submissions.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from school_audit.collector.devices import DeviceIdentity
from school_audit.collector.ingest.errors import IngestRejected
from school_audit.collector.ingest.fast_canonical import fast_canonical_bytes, is_simple
from school_audit.domain.envelope import Envelope
from school_audit.signing import SignatureInvalid, verify


@dataclass(frozen=True)
class SignedReturn:
    envelope: Envelope
    canonical: bytes  # exactly the bytes the device signed
    sha256: str
    signature: str
    simple: bool = False  # the envelope took the fast canonical path, and so does any part of it


def canonicalise(raw: dict[str, Any], simple: bool | None = None) -> bytes:
    try:
        return fast_canonical_bytes(raw, simple)
    except (TypeError, ValueError) as error:  # rfc8785 refuses what JSON cannot carry exactly
        raise IngestRejected(
            422, "schema_invalid", f"The envelope cannot be canonicalised: {error}"
        ) from None


def check_signed_return(
    raw: dict[str, Any], envelope: Envelope, signature: str, device: DeviceIdentity
) -> SignedReturn:
    if envelope.device_key_id != device.device_key_id:
        raise IngestRejected(
            422, "signature_invalid", "The envelope names another device's key, not this device's."
        )
    simple = is_simple(raw)
    canonical = canonicalise(raw, simple)
    try:
        verify(device.public_key, canonical, signature)
    except SignatureInvalid:
        raise IngestRejected(
            422,
            "signature_invalid",
            "The signature does not match the envelope and this device's key.",
        ) from None
    if envelope.establishment.urn != device.urn:
        raise IngestRejected(
            403, "forbidden", "This device may only send returns for its own establishment."
        )
    digest = hashlib.sha256(canonical).hexdigest()
    return SignedReturn(envelope, canonical, digest, signature, simple)

"""The collector's signed receipt (ARCHITECTURE §4.2), made by the collector, checked by clients.

`{submission_id, received_at, envelope_sha256, status, collector_key_id, signature}`; the signature
covers the RFC 8785 bytes of the receipt without its `signature` field. Fields added later are
covered too, since everything but `signature` is signed.
"""

from __future__ import annotations

from typing import Any

from school_audit.signing.errors import SignatureInvalid
from school_audit.signing.keys import SigningKey
from school_audit.signing.signatures import sign_canonical, verify_canonical

RECEIPT_FIELDS = ("submission_id", "received_at", "envelope_sha256", "status", "collector_key_id")


def receipt_body(receipt: dict[str, Any]) -> dict[str, Any]:
    """What the signature covers: the receipt without `signature`."""
    return {key: value for key, value in receipt.items() if key != "signature"}


def sign_receipt(fields: dict[str, Any], collector_key: SigningKey) -> dict[str, Any]:
    """The receipt with its signature added (any existing `signature` is replaced)."""
    body = receipt_body(fields)
    missing = [name for name in RECEIPT_FIELDS if name not in body]
    if missing:
        raise ValueError(f"receipt is missing {', '.join(missing)}")
    return {**body, "signature": sign_canonical(collector_key, body)}


def verify_receipt(receipt: dict[str, Any], collector_public_key_b64: str) -> None:
    """Raise SignatureInvalid unless the receipt is complete and signed by that collector key."""
    if not isinstance(receipt, dict):
        raise SignatureInvalid("the receipt is not a JSON object")
    missing = [name for name in (*RECEIPT_FIELDS, "signature") if name not in receipt]
    if missing:
        raise SignatureInvalid(f"the receipt is missing {', '.join(missing)}")
    signature = receipt["signature"]
    if not isinstance(signature, str):
        raise SignatureInvalid("the receipt signature is not text")
    try:
        verify_canonical(collector_public_key_b64, receipt_body(receipt), signature)
    except SignatureInvalid:
        raise
    except (TypeError, ValueError):  # values JSON cannot canonicalise (NaN, huge integers)
        raise SignatureInvalid("the receipt cannot be canonicalised") from None

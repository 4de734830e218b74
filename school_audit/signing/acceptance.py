"""The collector's signed acceptance record: the LA accepted this exact return.

`{format, submission_id, envelope_sha256, accepted_at, collector_key_id, signature}`, like the
receipt: the signature covers the RFC 8785 bytes of the record without `signature`, so fields
added later are covered too. The school keeps it with the receipt; anyone with the collector's
public key can check it offline.
"""

from __future__ import annotations

from typing import Any

from school_audit.signing.errors import SignatureInvalid
from school_audit.signing.keys import SigningKey
from school_audit.signing.signatures import sign_canonical, verify_canonical

ACCEPTANCE_FORMAT = "school-audit/acceptance/v1"
ACCEPTANCE_FIELDS = (
    "format", "submission_id", "envelope_sha256", "accepted_at", "collector_key_id",
)  # fmt: skip


def sign_acceptance(
    key: SigningKey, *, submission_id: str, envelope_sha256: str, accepted_at: str
) -> dict[str, Any]:
    body = {
        "format": ACCEPTANCE_FORMAT,
        "submission_id": submission_id,
        "envelope_sha256": envelope_sha256,
        "accepted_at": accepted_at,
        "collector_key_id": key.key_id,
    }
    return {**body, "signature": sign_canonical(key, body)}


def verify_acceptance(
    record: Any, public_key_b64: str, *, submission_id: str, envelope_sha256: str
) -> None:
    """Raise SignatureInvalid unless the collector's key accepted exactly this return."""
    if not isinstance(record, dict):
        raise SignatureInvalid("the acceptance record is not a JSON object")
    missing = [name for name in (*ACCEPTANCE_FIELDS, "signature") if name not in record]
    if missing:
        raise SignatureInvalid(f"the acceptance record is missing {', '.join(missing)}")
    if record["format"] != ACCEPTANCE_FORMAT:
        raise SignatureInvalid("the acceptance record has an unknown format")
    if record["submission_id"] != submission_id or record["envelope_sha256"] != envelope_sha256:
        raise SignatureInvalid("the acceptance record is for another return")
    signature = record["signature"]
    if not isinstance(signature, str):
        raise SignatureInvalid("the acceptance record's signature is not text")
    body = {key: value for key, value in record.items() if key != "signature"}
    try:
        verify_canonical(public_key_b64, body, signature)
    except SignatureInvalid:
        raise
    except (TypeError, ValueError):
        raise SignatureInvalid("the acceptance record cannot be canonicalised") from None

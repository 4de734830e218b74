"""The collector's attestation that a person signed remotely (`sign_off[].attestation`).

The same collector signature backs both remote methods: `email_code`, and `passkey`, where it
says the collector checked the assertion with a passkey it registered for this person (the
assertion itself travels beside it and is checkable on its own: signing/passkeys.py).

For `email_code` the collector proves that whoever read the sealed return at a link sent to that
address typed the one-time code sent there. It signs, with its Ed25519 key, the RFC 8785 bytes of
{content_sha256, role, name, method, verified_at}, so anyone with the collector's public key can
check the attestation offline, and it cannot be moved to another return, role or person.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from school_audit.signing.errors import SignatureInvalid
from school_audit.signing.keys import SigningKey
from school_audit.signing.signatures import sign_canonical, verify_canonical

SIGNED_FIELDS = ("content_sha256", "role", "name", "method", "verified_at")


def attestation_body(
    content_sha256: str, role: str, name: str, method: str, verified_at: str
) -> dict[str, str]:
    """Exactly what the collector signs."""
    return {
        "content_sha256": content_sha256,
        "role": role,
        "name": name,
        "method": method,
        "verified_at": verified_at,
    }


def sign_attestation(
    key: SigningKey,
    *,
    content_sha256: str,
    role: str,
    name: str,
    verified_at: str,
    method: str = "email_code",
) -> dict[str, Any]:
    """The attestation for one signatory (verified_at: RFC 3339 UTC text). For `passkey` the
    caller adds the WebAuthn assertion (`passkey`, see signing/passkeys.py) beside it."""
    body = attestation_body(content_sha256, role, name, method, verified_at)
    return {
        "method": method,
        "at": verified_at,
        "verified_at": verified_at,
        # A copy of the hash, so a checker can tell an attestation moved from another return
        # from one that was never made; the signature, not this copy, is what is trusted.
        "content_sha256": content_sha256,
        "collector_key_id": key.key_id,
        "signature": sign_canonical(key, body),
    }


def verify_attestation(
    attestation: Mapping[str, Any],
    *,
    content_sha256: str,
    role: str,
    name: str,
    public_key_b64: str,
) -> None:
    """Raise SignatureInvalid unless the collector's key signed this attestation for exactly this
    content, role and name."""
    verified_at, signature = attestation.get("verified_at"), attestation.get("signature")
    if not isinstance(verified_at, str) or not isinstance(signature, str):
        raise SignatureInvalid("the attestation has no verified_at or signature")
    method = attestation.get("method")
    if not isinstance(method, str):
        raise SignatureInvalid("the attestation names no method")
    body = attestation_body(content_sha256, role, name, method, verified_at)
    try:
        verify_canonical(public_key_b64, body, signature)
    except SignatureInvalid:
        raise
    except (TypeError, ValueError):
        raise SignatureInvalid("the attestation cannot be canonicalised") from None

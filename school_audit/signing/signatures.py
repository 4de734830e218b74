"""Signing and verifying bytes, and JSON values through their RFC 8785 canonical bytes."""

from __future__ import annotations

from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from school_audit.domain.canonical import canonical_bytes
from school_audit.signing.encoding import b64url_decode
from school_audit.signing.errors import SignatureInvalid
from school_audit.signing.keys import SIGNATURE_BYTES, SigningKey, public_key_bytes


def verify(public_key_b64: str, data: bytes, signature_b64: str) -> None:
    """Raise SignatureInvalid unless `signature_b64` is the key's signature of exactly `data`."""
    raw_key = public_key_bytes(public_key_b64)
    signature = b64url_decode(signature_b64, length=SIGNATURE_BYTES)
    try:
        Ed25519PublicKey.from_public_bytes(raw_key).verify(signature, data)
    except InvalidSignature:
        raise SignatureInvalid("the signature does not match") from None
    except ValueError:  # a point not on the curve
        raise SignatureInvalid("the public key is not a valid Ed25519 key") from None


def sign_canonical(key: SigningKey, value: Any) -> str:
    return key.sign(canonical_bytes(value))


def verify_canonical(public_key_b64: str, value: Any, signature_b64: str) -> None:
    verify(public_key_b64, canonical_bytes(value), signature_b64)

"""Ed25519 keys and signatures over RFC 8785 canonical bytes.

The only package that imports `cryptography`. Keys travel as base64url text without padding: the
32 raw public bytes for a public key, the 32-byte seed for a private key (kept in the OS keyring by
`school_audit.credentials`, never on disk).
"""

from school_audit.signing.attestations import sign_attestation, verify_attestation
from school_audit.signing.encoding import b64url_decode, b64url_encode
from school_audit.signing.errors import SignatureInvalid
from school_audit.signing.keys import SigningKey, key_id_for, public_key_bytes
from school_audit.signing.receipts import (
    RECEIPT_FIELDS,
    receipt_body,
    sign_receipt,
    verify_receipt,
)
from school_audit.signing.signatures import sign_canonical, verify, verify_canonical
from school_audit.signing.weak_keys import WeakPublicKey, check_public_key

__all__ = [
    "RECEIPT_FIELDS",
    "SignatureInvalid",
    "SigningKey",
    "WeakPublicKey",
    "b64url_decode",
    "b64url_encode",
    "check_public_key",
    "key_id_for",
    "public_key_bytes",
    "receipt_body",
    "sign_attestation",
    "sign_canonical",
    "sign_receipt",
    "verify",
    "verify_attestation",
    "verify_canonical",
    "verify_receipt",
]

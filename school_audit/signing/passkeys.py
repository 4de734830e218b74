"""A passkey (WebAuthn) signature over a sealed return, checked offline.

The signatory's authenticator signs an assertion whose **challenge** is derived from what they
sign: the SHA-256 of the RFC 8785 bytes of `{content_sha256, role}`, as base64url. The
`sign_off[].attestation` for `method: "passkey"` carries, in its `passkey` object, everything
needed to check it without the collector's database (binary values base64url without padding):

    credential_id        the credential's id
    authenticator_data   the authenticator data the assertion signed
    client_data_json     the client data JSON, as the browser made it
    signature            the assertion signature (DER ECDSA for ES256, raw for EdDSA)
    public_key           the credential's public key as DER SubjectPublicKeyInfo
    algorithm            its COSE algorithm: -7 (ES256), -8 (EdDSA) or -257 (RS256)
    rp_id                the relying party id (the collector's host name)

The check (W3C WebAuthn Level 2, "Verifying an Authentication Assertion", the parts that need no
server state): the client data's type is `webauthn.get` and its challenge is the one derived
above; the first 32 bytes of the authenticator data are the SHA-256 of `rp_id`; the user-present
flag is set; and the signature verifies over `authenticator_data || SHA-256(client_data_json)`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.serialization import load_der_public_key

from school_audit.domain.canonical import canonical_bytes
from school_audit.signing.encoding import b64url_decode, b64url_encode
from school_audit.signing.errors import SignatureInvalid

ES256, EDDSA, RS256 = -7, -8, -257
ALGORITHMS = (ES256, EDDSA, RS256)
USER_PRESENT, USER_VERIFIED = 0x01, 0x04
FIELDS = ("credential_id", "authenticator_data", "client_data_json", "signature", "public_key")


def passkey_challenge(content_sha256: str, role: str) -> str:
    """The challenge a passkey signs for this content and role (base64url of 32 bytes)."""
    digest = hashlib.sha256(canonical_bytes({"content_sha256": content_sha256, "role": role}))
    return b64url_encode(digest.digest())


def check_passkey_attestation(
    attestation: Mapping[str, Any], *, content_sha256: str, role: str, rp_id: str | None = None
) -> str | None:
    """None if the assertion verifies for this content and role, else what fails, in words.

    `rp_id`: the relying party the checker expects (the collector checks its own); without it
    the attestation's own `rp_id` is used, so an offline checker learns it signed for that host.
    """
    try:
        verify_passkey_assertion(attestation, content_sha256=content_sha256, role=role,
                                 rp_id=rp_id)  # fmt: skip
    except SignatureInvalid as error:
        return str(error)
    return None


def verify_passkey_assertion(
    attestation: Mapping[str, Any], *, content_sha256: str, role: str, rp_id: str | None = None
) -> None:
    found = attestation.get("passkey")
    if not isinstance(found, Mapping):
        raise SignatureInvalid("the passkey attestation carries no assertion (passkey)")
    attestation = found
    values = {name: attestation.get(name) for name in FIELDS}
    missing = [name for name, value in values.items() if not isinstance(value, str)]
    if missing:
        raise SignatureInvalid(f"the passkey attestation has no {', '.join(missing)}")
    claimed_rp = attestation.get("rp_id")
    if rp_id is None:
        if not isinstance(claimed_rp, str) or not claimed_rp:
            raise SignatureInvalid("the passkey attestation names no rp_id")
        rp_id = claimed_rp
    elif claimed_rp != rp_id:
        raise SignatureInvalid(f"the passkey was registered for {claimed_rp!r}, not {rp_id!r}")
    authenticator_data = b64url_decode(str(values["authenticator_data"]))
    client_data_json = b64url_decode(str(values["client_data_json"]))
    signature = b64url_decode(str(values["signature"]))
    try:
        client_data = json.loads(client_data_json)
    except ValueError:
        raise SignatureInvalid("the client data is not JSON") from None
    if not isinstance(client_data, dict) or client_data.get("type") != "webauthn.get":
        raise SignatureInvalid("the client data is not of an assertion (webauthn.get)")
    if client_data.get("challenge") != passkey_challenge(content_sha256, role):
        raise SignatureInvalid("the challenge is not the one for this content and role")
    if len(authenticator_data) < 37:
        raise SignatureInvalid("the authenticator data is too short")
    if authenticator_data[:32] != hashlib.sha256(rp_id.encode("utf-8")).digest():
        raise SignatureInvalid(f"the authenticator data is not for {rp_id!r} (rpIdHash)")
    if not authenticator_data[32] & USER_PRESENT:
        raise SignatureInvalid("the user-present flag is not set")
    signed = authenticator_data + hashlib.sha256(client_data_json).digest()
    _verify_signature(str(values["public_key"]), attestation.get("algorithm"), signature, signed)


def check_public_key(public_key_b64: str, algorithm: Any) -> None:
    """Raise SignatureInvalid unless this is a DER public key of the kind `algorithm` names."""
    key = _load(public_key_b64)
    fits = (
        (algorithm == ES256 and isinstance(key, ec.EllipticCurvePublicKey)
         and isinstance(key.curve, ec.SECP256R1))
        or (algorithm == EDDSA and isinstance(key, ed25519.Ed25519PublicKey))
        or (algorithm == RS256 and isinstance(key, rsa.RSAPublicKey) and key.key_size >= 2048)
    )  # fmt: skip
    if not fits:
        raise SignatureInvalid(f"the key does not fit the algorithm {algorithm!r}")


def _load(public_key_b64: str) -> Any:
    try:
        return load_der_public_key(b64url_decode(public_key_b64))
    except (ValueError, UnsupportedAlgorithm):
        raise SignatureInvalid("the passkey's public key is not DER SubjectPublicKeyInfo") from None


def _verify_signature(public_key_b64: str, algorithm: Any, signature: bytes, data: bytes) -> None:
    check_public_key(public_key_b64, algorithm)
    key = _load(public_key_b64)
    try:
        if isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        elif isinstance(key, ed25519.Ed25519PublicKey):
            key.verify(signature, data)
        else:
            key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        raise SignatureInvalid("the passkey signature does not match") from None

"""Ed25519 key pairs: generation, the text forms they travel in, and key ids."""

from __future__ import annotations

import hashlib

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from school_audit.signing.encoding import b64url_decode, b64url_encode

PUBLIC_KEY_BYTES = 32
SEED_BYTES = 32
SIGNATURE_BYTES = 64


class SigningKey:
    """A private Ed25519 key. Its text form (`secret()`) belongs in the OS keyring only."""

    def __init__(self, private: Ed25519PrivateKey) -> None:
        self._private = private

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_seed(cls, seed: bytes) -> SigningKey:
        if len(seed) != SEED_BYTES:
            raise ValueError("an Ed25519 private key is 32 bytes")
        return cls(Ed25519PrivateKey.from_private_bytes(seed))

    @classmethod
    def from_secret(cls, text: str) -> SigningKey:
        return cls.from_seed(b64url_decode(text, length=SEED_BYTES))

    def secret(self) -> str:
        seed = self._private.private_bytes_raw()
        return b64url_encode(seed)

    @property
    def public_key_raw(self) -> bytes:
        return self._private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def public_key_b64(self) -> str:
        return b64url_encode(self.public_key_raw)

    @property
    def key_id(self) -> str:
        return key_id_for(self.public_key_b64)

    def sign(self, data: bytes) -> str:
        """The base64url (no padding) Ed25519 signature of `data`."""
        return b64url_encode(self._private.sign(data))

    def __repr__(self) -> str:  # never show the secret in logs or tracebacks
        return f"SigningKey(key_id={self.key_id!r})"


def public_key_bytes(public_key_b64: str) -> bytes:
    """The 32 raw bytes of a base64url public key (SignatureInvalid if malformed)."""
    return b64url_decode(public_key_b64, length=PUBLIC_KEY_BYTES)


def key_id_for(public_key_b64: str) -> str:
    """A short stable name for a public key: the first 16 hex digits of SHA-256 of its raw bytes."""
    return "ed25519:" + hashlib.sha256(public_key_bytes(public_key_b64)).hexdigest()[:16]

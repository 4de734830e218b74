"""Base64url without padding (RFC 4648 §5), decoded strictly."""

from __future__ import annotations

import base64
import binascii
import re

from school_audit.signing.errors import SignatureInvalid

_ALPHABET = re.compile(r"^[A-Za-z0-9_-]*$")


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str, *, length: int | None = None) -> bytes:
    """Bytes from unpadded base64url; anything else (padding, '+', '/', spaces) is refused."""
    if not isinstance(text, str) or not _ALPHABET.match(text) or len(text) % 4 == 1:
        raise SignatureInvalid("not base64url text without padding")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise SignatureInvalid("not base64url text") from None
    # Non-canonical encodings (stray low bits in the last character) would give two texts for
    # one value: refuse them so a text names exactly one key or signature.
    if b64url_encode(data) != text:
        raise SignatureInvalid("non-canonical base64url")
    if length is not None and len(data) != length:
        raise SignatureInvalid(f"expected {length} bytes, got {len(data)}")
    return data

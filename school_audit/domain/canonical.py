"""RFC 8785 (JSON Canonicalization Scheme) bytes: what gets hashed and signed."""

from typing import Any


def canonical_bytes(value: Any) -> bytes:
    """The RFC 8785 canonical UTF-8 bytes of a JSON-compatible value."""
    import rfc8785  # on first use: the window opens an audit without hashing anything

    result: bytes = rfc8785.dumps(value)
    return result


def sha256_hex(value: Any) -> str:
    import hashlib

    return hashlib.sha256(canonical_bytes(value)).hexdigest()

"""The collector's own Ed25519 key, which signs receipts.

It lives in a file of its own (mode 0600) beside, never inside, the database, so a copy of the
database does not carry it; it is never logged.
"""

from __future__ import annotations

import os
from pathlib import Path

from school_audit.signing import SignatureInvalid, SigningKey


class CollectorKeyError(Exception):
    """The key file is missing, unreadable or not a key."""


def create_key_file(path: Path) -> SigningKey:
    """Write a new key to `path` (which must not exist) readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    key = SigningKey.generate()
    # O_EXCL: never overwrite a key clients already trust.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(key.secret() + "\n")
    return key


def load_key_file(path: Path) -> SigningKey:
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        raise CollectorKeyError(
            f"no collector signing key at {path}: run `school-audit-collector init` first"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise CollectorKeyError(f"cannot read the collector key file {path}: {error}") from None
    try:
        return SigningKey.from_secret(text)
    except (SignatureInvalid, ValueError):
        raise CollectorKeyError(f"{path} does not hold a collector signing key") from None


def ensure_key_file(path: Path) -> tuple[SigningKey, bool]:
    """The key at `path`, creating it if absent; the flag says whether it was created."""
    if path.exists():
        return load_key_file(path), False
    return create_key_file(path), True

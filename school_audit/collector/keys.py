"""The collector's own Ed25519 key, which signs receipts, and every public key it ever used.

It lives in a file of its own (mode 0600) beside, never inside, the database, so a copy of the
database does not carry it; it is never logged.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from school_audit.signing import SignatureInvalid, SigningKey, key_history


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


# -- every key ever used, and rotation ----------------------------------------------------------


def history_path(key_file: Path) -> Path:
    """The public keys this collector has signed with, beside the key file (public: no secret)."""
    return key_file.with_name(key_file.name + ".public-keys.json")


def load_key_history(key_file: Path, current: SigningKey | None = None) -> list[dict[str, Any]]:
    """Every public key used, oldest first, each vouched for by the one before (see
    `signing.key_history`). Before the first rotation there is no file: the history is the
    current key alone, valid from when its file was written."""
    current = current or load_key_file(key_file)
    path = history_path(key_file)
    if not path.exists():
        return [key_history.first_entry(current, _file_time(key_file))]
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["keys"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise CollectorKeyError(
            f"cannot read the collector's key history {path}: {error}"
        ) from None
    if not isinstance(entries, list) or not entries:
        raise CollectorKeyError(f"{path} lists no keys")
    if not any(isinstance(e, dict) and e.get("key_id") == current.key_id for e in entries):
        raise CollectorKeyError(
            f"the signing key {current.key_id} is not in {path}: the key file was replaced by "
            "hand; put the old one back, or rotate with `school-audit-collector keys rotate`"
        )
    return entries


def public_keys_by_id(key_file: Path, current: SigningKey | None = None) -> dict[str, str]:
    """{key id: public key} of every key this collector has signed with."""
    return {e["key_id"]: e["public_key"] for e in load_key_history(key_file, current)}


def rotate_key_file(key_file: Path, now: datetime | None = None) -> tuple[SigningKey, SigningKey]:
    """Replace the signing key with a new one; returns (old, new).

    The old public key stays in the history (receipts and attestations it signed stay checkable)
    with the hand-over signed by both keys; the old private key is overwritten and gone.
    """
    old = load_key_file(key_file)
    entries = load_key_history(key_file, old)
    if entries[-1].get("key_id") != old.key_id:
        raise CollectorKeyError(
            f"the signing key {old.key_id} is not the newest in {history_path(key_file)}"
        )
    new = SigningKey.generate()
    valid_from = _rfc3339(now or datetime.now(UTC))
    entries = [*entries, key_history.next_entry(new, old, entries[-1], valid_from)]
    _write_atomically(history_path(key_file), json.dumps({"keys": entries}, indent=2) + "\n", 0o644)
    _write_atomically(key_file, new.secret() + "\n", 0o600)
    return old, new


def _write_atomically(path: Path, text: str, mode: int) -> None:
    temporary = path.with_name(path.name + ".new")
    temporary.unlink(missing_ok=True)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def _file_time(path: Path) -> str:
    return _rfc3339(datetime.fromtimestamp(path.stat().st_mtime, UTC))


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")

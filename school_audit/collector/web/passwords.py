"""Argon2id password hashes (argon2-cffi's defaults follow RFC 9106's recommendations)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from school_audit.collector.web.password_policy import (
    MIN_LENGTH,
    WeakPassword,
    check_new_password,
)

__all__ = [
    "MIN_LENGTH",
    "WeakPassword",
    "hash_new_password",
    "hash_password",
    "needs_rehash",
    "password_matches",
]

_hasher = PasswordHasher()  # Argon2id
# Checked when the user name is unknown, so both cases take the same time.
_DUMMY_HASH = _hasher.hash("not a real password")


def hash_password(password: str) -> str:
    """The hash of a password already accepted (e.g. re-hashed at log-in with newer settings)."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"a password needs at least {MIN_LENGTH} characters")
    return _hasher.hash(password)


def hash_new_password(password: str, username: str) -> str:
    """The hash of a password a user is choosing now: the policy is checked first."""
    check_new_password(password, username)
    return _hasher.hash(password)


def password_matches(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)

"""Sealing a finished audit: the content every signatory signs, and what voids their signatures.

`content_sha256` is the SHA-256 of the RFC 8785 bytes of the envelope without `sign_off`,
`signed_at`, `device_key_id` and `content_sha256` (ARCHITECTURE §4.1). Sealing records that hash; a signature
collected under a seal is bound to it (an `email_code` attestation signs the hash itself), so any
change to the content unseals the audit and voids every signature collected so far.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from school_audit.domain.audit import SignOff
from school_audit.domain.canonical import sha256_hex

# What a signatory's signature does not cover: the signatures themselves, the final time, and
# which computer's key sends it (enrolling again re-signs an unsent return with a new device key;
# the people's signatures are over the content, so they must survive that).
NOT_SEALED = ("sign_off", "signed_at", "device_key_id", "content_sha256")


def sealed_content(envelope: Mapping[str, Any]) -> dict[str, Any]:
    """The envelope without the fields a seal leaves out."""
    return {key: value for key, value in envelope.items() if key not in NOT_SEALED}


def content_sha256(envelope: Mapping[str, Any]) -> str:
    """The hash every signatory signs; the same before and after the sign-offs are added."""
    return sha256_hex(sealed_content(envelope))


@dataclass(frozen=True)
class Seal:
    """A frozen audit: signatures are collected against exactly this hash."""

    content_sha256: str
    sealed_at: datetime

    def holds_for(self, envelope: Mapping[str, Any]) -> bool:
        return content_sha256(envelope) == self.content_sha256


def seal(envelope: Mapping[str, Any], at: datetime) -> Seal:
    return Seal(content_sha256(envelope), at)


@dataclass(frozen=True)
class SealCheck:
    """The outcome of comparing the current content with a seal."""

    sealed: bool
    kept: list[SignOff]  # signatures still bound to the content
    voided: list[SignOff]  # signatures the change voided: these people must be told


def check_seal(
    current: Seal | None, envelope: Mapping[str, Any], sign_offs: Sequence[SignOff]
) -> SealCheck:
    """After any edit: still sealed keeps every signature; a change (or no seal) voids them all."""
    if current is not None and current.holds_for(envelope):
        return SealCheck(True, list(sign_offs), [])
    return SealCheck(False, [], list(sign_offs))

"""How each person signed: the checks that quarantine a signed return (never refuse it).

Called by the ingest with the envelope as received. It re-derives `content_sha256` (the hash every
signatory signed: domain.seal), verifies each `sign_off[].attestation` against the collector's own
public keys, and looks for one person signing in two roles. Each problem is a reason in words,
`code: explanation`, like the content rules; a return with any of them is kept and quarantined so
that a reviewer can look, and nothing the school sent is lost.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from school_audit.collector.ingest.fast_canonical import fast_canonical_bytes
from school_audit.domain.envelope import Envelope, EnvelopeSignOff
from school_audit.domain.seal import sealed_content
from school_audit.signing import SignatureInvalid, verify_attestation
from school_audit.signing.passkeys import check_passkey_attestation

_ROLE_WORDS = {
    "dsl": "designated safeguarding lead",
    "head_teacher": "head teacher",
    "chair_of_governors": "chair of governors",
    "safeguarding_governor": "safeguarding governor",
    "proprietor": "proprietor",
    "manager": "setting manager",
    "registered_person": "registered person",
    "childminder": "childminder",
}


def role_label(role: str) -> str:
    return _ROLE_WORDS.get(role, role)


def attestation_problems(
    raw: Mapping[str, Any],
    envelope: Envelope,
    collector_keys: Mapping[str, str],
    simple: bool | None = None,
) -> list[str]:
    """`collector_keys`: every public key this collector has signed with, by key id; `simple`:
    whether `raw` takes the fast canonical path, if known (`fast_canonical.is_simple`)."""
    sealed = fast_canonical_bytes(sealed_content(raw), True if simple else None)
    derived = hashlib.sha256(sealed).hexdigest()
    problems = _hash_problems(envelope, derived)
    problems += same_person_problems(envelope)
    for entry, sent in zip(envelope.sign_off, raw["sign_off"], strict=True):
        # The attestation as sent, not as parsed: its times are checked as the text signed.
        problem = _entry_problem(entry, sent.get("attestation"), derived, collector_keys)
        if problem:
            problems.append(problem)
    return problems


def _hash_problems(envelope: Envelope, derived: str) -> list[str]:
    claimed = envelope.content_sha256
    if claimed is None:
        if any(entry.attestation is not None for entry in envelope.sign_off):
            return [
                "content_hash_missing: signatures are attested but the return has no content_sha256"
            ]
        return []  # an older client: nothing was sealed, nothing to check
    if claimed != derived:
        return [
            "content_hash_mismatch: the return's content_sha256 is not the hash of its content, "
            "so what was signed is not what was sent"
        ]
    return []


def _entry_problem(
    entry: EnvelopeSignOff, sent: dict[str, Any] | None, derived: str, keys: Mapping[str, str]
) -> str | None:
    attestation = entry.attestation
    label = role_label(entry.role.value)
    if attestation is None or sent is None or attestation.method == "in_person":
        return None  # recorded on the school's computer: the device signature covers it
    key = keys.get(attestation.collector_key_id or "")
    if key is None:
        return (
            f"attestation_forged: the attestation for the {label} names a key "
            "this collector never used"
        )
    claimed_for = attestation.content_sha256
    moved = claimed_for is not None and claimed_for != derived
    if moved and _verifies(sent, claimed_for or "", entry, key):
        return (
            f"attestation_reused: the attestation for the {label} was made for another return, "
            "not this one"
        )
    if not _verifies(sent, derived, entry, key):
        return (
            f"attestation_forged: the attestation for the {label} does not verify for this return"
        )
    if attestation.method == "passkey":
        # The collector's signature says it checked the assertion; the assertion must also
        # check out on its own (it is what anyone can verify offline with the passkey's key).
        failure = check_passkey_attestation(sent, content_sha256=derived, role=entry.role.value)
        if failure is not None:
            return (
                f"attestation_forged: the passkey assertion for the {label} does not verify "
                f"({failure})"
            )
    return None


def _verifies(attestation: dict[str, Any], digest: str, entry: EnvelopeSignOff, key: str) -> bool:
    try:
        verify_attestation(
            attestation,
            content_sha256=digest,
            role=entry.role.value,
            name=entry.name,
            public_key_b64=key,
        )
    except SignatureInvalid:
        return False
    return True


def same_person_problems(envelope: Envelope) -> list[str]:
    """One name in two roles: each role is a separate person's accountability."""
    seen: dict[str, str] = {}
    problems = []
    for entry in envelope.sign_off:
        person = normalised_name(entry.name)
        label = role_label(entry.role.value)
        if person in seen and seen[person] != label:
            problems.append(
                f"same_person_two_roles: the {seen[person]} and the {label} are the same person"
            )
        seen.setdefault(person, label)
    return problems


def normalised_name(name: str) -> str:
    """Case, accents as typed, spacing, full stops and invisible characters (a zero-width space, a
    soft hyphen: Unicode's format characters) do not make two people of one."""
    text = unicodedata.normalize("NFKC", name)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    text = text.casefold().replace(".", " ")
    return re.sub(r"\s+", " ", text).strip()


SIGNED_TOGETHER_MINUTES = 10


def review_flags(
    envelope: Envelope, unknown_addresses: Sequence[tuple[str, str]] = ()
) -> list[str]:
    """What a reviewer should look at without holding the return back (for the dashboard): every
    signature made on the setting's computer within a few minutes of each other suggests one
    person ticked for all; a remote signature whose code went to an address the LA does not hold
    for that role (`unknown_addresses`: (role, address) pairs, from sign_off_addresses). One
    person in two roles is a quarantine reason, not only a flag."""
    flags = [
        f"code_address_unknown: the code for the {role_label(role)} was sent to {address}, "
        "an address the LA does not hold for this role"
        for role, address in unknown_addresses
    ]
    return _signed_together(envelope) + flags


def _signed_together(envelope: Envelope) -> list[str]:
    entries = envelope.sign_off
    local = [e for e in entries if e.attestation is None or e.attestation.method == "in_person"]
    if len(entries) < 2 or len(local) != len(entries):
        return []
    times = sorted(e.signed_at for e in entries)
    if (times[-1] - times[0]).total_seconds() > SIGNED_TOGETHER_MINUTES * 60:
        return []
    return [
        f"signed_together: all {len(entries)} signatures were made on the setting's computer "
        f"within {SIGNED_TOGETHER_MINUTES} minutes"
    ]

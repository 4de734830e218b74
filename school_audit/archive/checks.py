"""Re-verifying a portable archive offline: every return valid, or exactly which item fails which
check. Nothing but the archive is needed (and, to be sure whose archive it is, one collector key
id the LA publishes: `trusted_key_ids`)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from school_audit.archive.layout import COLLECTOR_KEYS, DEVICE_KEYS, Archive, return_folder
from school_audit.domain.canonical import canonical_bytes
from school_audit.domain.seal import content_sha256
from school_audit.signing import (
    SignatureInvalid,
    key_id_for,
    verify,
    verify_attestation,
    verify_canonical,
    verify_receipt,
)
from school_audit.signing.key_history import chain_problems
from school_audit.signing.passkeys import check_passkey_attestation


@dataclass(frozen=True)
class Problem:
    item: str  # the file, and the part of it, that fails
    check: str  # which check
    detail: str

    def __str__(self) -> str:
        return f"{self.item}: {self.check}: {self.detail}"


@dataclass
class ReturnResult:
    submission_id: str
    urn: str
    cycle: str
    revision: str
    passed: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems


@dataclass
class ArchiveReport:
    made_by: str
    created_at: str
    trust: str  # how the collector keys came to be trusted, in words
    trusted_keys: list[str]
    key_problems: list[Problem]
    returns: list[ReturnResult]

    @property
    def valid(self) -> bool:
        return not self.key_problems and all(item.valid for item in self.returns)


def verify_archive(archive: Archive, trusted_key_ids: Sequence[str] = ()) -> ArchiveReport:
    index = archive.index
    key_problems = _hash_problems(archive, outside_returns=True)
    collector_entries = _key_entries(archive, COLLECTOR_KEYS, key_problems)
    trusted, trust = _trusted_collector_keys(collector_entries, trusted_key_ids, key_problems)
    device_keys = _device_keys(_key_entries(archive, DEVICE_KEYS, key_problems), key_problems)
    results = [
        _check_return(archive, entry, device_keys, trusted, collector_entries)
        for entry in index["returns"]
        if isinstance(entry, dict)
    ]
    return ArchiveReport(
        made_by=str(index.get("made_by", "?")),
        created_at=str(index.get("created_at", "?")),
        trust=trust,
        trusted_keys=sorted(trusted),
        key_problems=key_problems,
        returns=results,
    )


# -- files and keys -----------------------------------------------------------------------------


def _hash_problems(archive: Archive, *, outside_returns: bool, folder: str = "") -> list[Problem]:
    """Each listed file present with the SHA-256 the index gives (within one return's folder, or
    everything outside `returns/`)."""
    problems = []
    for name, expected in archive.index["sha256"].items():
        inside = str(name).startswith("returns/")
        if (outside_returns and inside) or (not outside_returns and not name.startswith(folder)):
            continue
        data = archive.member(name)
        if data is None:
            problems.append(Problem(name, "file", "listed in index.json but not in the archive"))
        elif hashlib.sha256(data).hexdigest() != expected:
            problems.append(Problem(name, "file hash", "differs from its SHA-256 in index.json"))
    return problems


def _key_entries(archive: Archive, name: str, problems: list[Problem]) -> list[Any]:
    data = archive.member(name)
    if data is None:
        problems.append(Problem(name, "file", "missing"))
        return []
    try:
        entries = json.loads(data)["keys"]
        if not isinstance(entries, list):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        problems.append(Problem(name, "format", 'not JSON of the form {"keys": [...]}'))
        return []
    return entries


def _trusted_collector_keys(
    entries: list[Any], pinned: Sequence[str], problems: list[Problem]
) -> tuple[dict[str, str], str]:
    runs, broken = chain_problems(entries)
    for position, detail in broken.items():
        entry = entries[position]
        key_id = entry.get("key_id", "?") if isinstance(entry, dict) else "?"
        problems.append(Problem(f"{COLLECTOR_KEYS} key {position + 1} ({key_id})", "key", detail))
    in_runs = {key for run in runs for key in run}
    usable = {
        e["key_id"]: e["public_key"]
        for e in entries
        if isinstance(e, dict) and e.get("key_id") in in_runs
    }
    if pinned:
        chosen = [run for run in runs if any(key in run for key in pinned)]
        for key in pinned:
            if not any(key in run for run in runs):
                problems.append(Problem(COLLECTOR_KEYS, "trusted key",
                                        f"{key} is not among the archive's collector keys"))  # fmt: skip
        trust = "the collector key(s) you named, and every key they vouch for"
    else:
        chosen = runs[:1]
        trust = (
            "the archive's own first collector key and the keys it vouches for: compare the id "
            "with the one your LA publishes, or name it with --collector-key"
        )
    ids = {key for run in chosen for key in run}
    return {key: value for key, value in usable.items() if key in ids}, trust


def _device_keys(entries: list[Any], problems: list[Problem]) -> dict[str, str]:
    keys = {}
    for entry in entries:
        key_id = entry.get("key_id") if isinstance(entry, dict) else None
        public_key = entry.get("public_key") if isinstance(entry, dict) else None
        try:
            if not isinstance(key_id, str) or not isinstance(public_key, str):
                raise SignatureInvalid("not a key_id and a public_key")
            if key_id_for(public_key) != key_id:
                raise SignatureInvalid("its public key does not match its key id")
        except SignatureInvalid as error:
            problems.append(Problem(f"{DEVICE_KEYS} key {key_id or '?'}", "key", str(error)))
            continue
        keys[key_id] = public_key
    return keys


# -- one return ---------------------------------------------------------------------------------


def _check_return(
    archive: Archive,
    entry: Mapping[str, Any],
    device_keys: Mapping[str, str],
    trusted: Mapping[str, str],
    collector_entries: list[Any],
) -> ReturnResult:
    submission_id = str(entry.get("submission_id", "?"))
    folder = return_folder(submission_id)
    result = ReturnResult(
        submission_id, str(entry.get("urn", "?")), str(entry.get("cycle", "?")),
        str(entry.get("revision", "?")),
    )  # fmt: skip
    result.problems += _hash_problems(archive, outside_returns=False, folder=folder + "/")
    listed = entry.get("files")
    files: dict[str, str] = listed if isinstance(listed, dict) else {}
    known_ids = {e.get("key_id") for e in collector_entries if isinstance(e, dict)}
    context = _Context(result, trusted, known_ids)
    envelope_name = files.get("envelope", f"{folder}/envelope.json")
    data = archive.member(envelope_name)
    if data is None:
        result.problems.append(Problem(envelope_name, "envelope", "missing"))
        return result
    envelope = _parse_envelope(data, envelope_name, submission_id, result)
    if envelope is None:
        return result
    _check_device_signature(archive, files, envelope, data, envelope_name, device_keys, result)
    _check_sign_offs(envelope, envelope_name, context)
    envelope_sha256 = hashlib.sha256(data).hexdigest()
    for part, label in (("receipt", "receipt"), ("acceptance", "acceptance record")):
        name = files.get(part)
        if name is None:
            if part == "receipt":
                result.notes.append("no receipt: the LA had not acknowledged it")
            continue
        _check_collector_document(archive, name, label, submission_id, envelope_sha256, context)
    if "governors_report" in files:
        result.notes.append(
            "the governors' copy (PDF) is not signed: only its file hash is checked"
        )
    return result


@dataclass
class _Context:
    result: ReturnResult
    trusted: Mapping[str, str]
    known_ids: set[Any]

    def collector_key(self, key_id: Any, item: str, check: str) -> str | None:
        key = self.trusted.get(key_id) if isinstance(key_id, str) else None
        if key is None:
            why = (
                f"signed by collector key {key_id}, which no trusted key vouches for"
                if key_id in self.known_ids
                else f"names collector key {key_id!s}, which is not in the archive"
            )
            self.result.problems.append(Problem(item, check, why))
        return key


def _parse_envelope(
    data: bytes, name: str, submission_id: str, result: ReturnResult
) -> dict[str, Any] | None:
    try:
        envelope = json.loads(data)
    except ValueError as error:
        result.problems.append(Problem(name, "envelope", f"not JSON ({error})"))
        return None
    if not isinstance(envelope, dict):
        result.problems.append(Problem(name, "envelope", "not a JSON object"))
        return None
    try:
        if canonical_bytes(envelope) != data:
            result.problems.append(Problem(name, "envelope", "not in its signed RFC 8785 form"))
    except (TypeError, ValueError) as error:
        result.problems.append(Problem(name, "envelope", f"cannot be canonicalised ({error})"))
    if envelope.get("submission_id") != submission_id:
        result.problems.append(Problem(name, "envelope", "names another submission id"))
    return envelope


def _check_device_signature(
    archive: Archive,
    files: Mapping[str, str],
    envelope: Mapping[str, Any],
    data: bytes,
    envelope_name: str,
    device_keys: Mapping[str, str],
    result: ReturnResult,
) -> None:
    name = files.get("device_signature", envelope_name.rsplit("/", 1)[0] + "/device-signature.txt")
    signature = archive.member(name)
    key_id = envelope.get("device_key_id")
    public_key = device_keys.get(key_id) if isinstance(key_id, str) else None
    if signature is None:
        result.problems.append(Problem(name, "device signature", "missing"))
    elif public_key is None and "receipt" in files and not _listed_broken(key_id, archive):
        # A school's own archive lacks the key of a device enrolled again since: the receipt
        # (checked below) still binds the LA's acknowledgement to exactly these bytes.
        result.notes.append(
            f"device signature not checked: the archive has no public key for {key_id} "
            "(the receipt vouches for these bytes)"
        )
    elif public_key is None:
        result.problems.append(Problem(
            envelope_name, "device signature",
            f"no usable public key for device key {key_id} in {DEVICE_KEYS}",
        ))  # fmt: skip
    else:
        try:
            verify(public_key, data, signature.decode("ascii", "replace").strip())
            result.passed.append("device signature")
        except SignatureInvalid as error:
            result.problems.append(Problem(name, "device signature", str(error)))


def _listed_broken(key_id: Any, archive: Archive) -> bool:
    """Whether the archive lists this device key at all (then it is broken, not just absent)."""
    data = archive.member(DEVICE_KEYS) or b"{}"
    try:
        entries = json.loads(data).get("keys", [])
    except (ValueError, AttributeError):
        return True
    return any(isinstance(e, dict) and e.get("key_id") == key_id for e in entries)


def _check_sign_offs(envelope: Mapping[str, Any], name: str, context: _Context) -> None:
    result = context.result
    claimed = envelope.get("content_sha256")
    try:
        derived = content_sha256(envelope)
    except (TypeError, ValueError):
        return  # already reported: the envelope cannot be canonicalised
    if claimed is not None:
        if claimed == derived:
            result.passed.append("content hash")
        else:
            result.problems.append(Problem(name, "content_sha256",
                                           "is not the hash of the content as signed"))  # fmt: skip
    sign_offs = envelope.get("sign_off")
    for position, sign_off in enumerate(sign_offs if isinstance(sign_offs, list) else []):
        attestation = sign_off.get("attestation") if isinstance(sign_off, dict) else None
        if not isinstance(attestation, dict):
            continue
        role = str(sign_off.get("role"))
        item = f"{name} sign_off[{position}] ({role}) attestation"
        method = attestation.get("method")
        if method == "in_person":
            continue  # backed by the device signature over the whole envelope
        if method == "passkey":
            # The assertion checks out on its own, with the passkey's public key; the collector's
            # signature (below) says it checked it with a passkey registered for this person.
            _record(result, item, "passkey assertion", check_passkey_attestation(
                attestation, content_sha256=derived, role=role))  # fmt: skip
        elif method != "email_code":
            result.problems.append(Problem(item, "method", f"unknown method {method!r}"))
            continue
        key = context.collector_key(
            attestation.get("collector_key_id"), item, "collector signature"
        )
        if key is not None:
            _record(result, item, "collector signature",
                    _email_code_problem(attestation, derived, sign_off, key))  # fmt: skip


def _email_code_problem(
    attestation: Mapping[str, Any], derived: str, sign_off: Mapping[str, Any], key: str
) -> str | None:
    def verifies(digest: str) -> bool:
        try:
            verify_attestation(attestation, content_sha256=digest, role=str(sign_off.get("role")),
                               name=str(sign_off.get("name")), public_key_b64=key)  # fmt: skip
        except SignatureInvalid:
            return False
        return True

    if verifies(derived):
        return None
    claimed_for = attestation.get("content_sha256")
    if isinstance(claimed_for, str) and claimed_for != derived and verifies(claimed_for):
        return "genuine, but made for another return"
    return "does not verify for this content, role and name"


def _record(result: ReturnResult, item: str, check: str, problem: str | None) -> None:
    if problem is None:
        result.passed.append(check)
    else:
        result.problems.append(Problem(item, check, problem))


def _check_collector_document(
    archive: Archive, name: str, label: str, submission_id: str, envelope_sha256: str,
    context: _Context,
) -> None:  # fmt: skip
    result = context.result
    data = archive.member(name)
    try:
        document = json.loads(data) if data is not None else None
    except ValueError:
        document = None
    if not isinstance(document, dict):
        result.problems.append(Problem(name, label, "missing or not a JSON object"))
        return
    key = context.collector_key(document.get("collector_key_id"), name, f"{label} signature")
    if key is None:
        return
    try:
        if label == "receipt":
            verify_receipt(document, key)
        else:
            body = {k: v for k, v in document.items() if k != "signature"}
            verify_canonical(key, body, str(document.get("signature", "")))
    except (SignatureInvalid, TypeError, ValueError) as error:
        result.problems.append(Problem(name, f"{label} signature", str(error)))
        return
    if document.get("submission_id") != submission_id:
        result.problems.append(Problem(name, label, "names another submission"))
    elif document.get("envelope_sha256", envelope_sha256) != envelope_sha256:
        result.problems.append(Problem(name, label, "is for other envelope bytes"))
    else:
        result.passed.append(f"{label} ({document.get('collector_key_id')})")

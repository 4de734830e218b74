"""Every public key a collector has signed with, each new one vouched for by the one before.

A collector rotates its Ed25519 key from time to time; receipts and attestations name the key that
signed them (`collector_key_id`), so old ones stay checkable as long as the old public keys are
kept. The list is public (no private key in it). Each entry after the first carries an
**endorsement**: the RFC 8785 bytes of
`{key_id, public_key, valid_from, previous_key_id, previous_public_key}` signed by the previous key
(`by_previous`) and by the new key (`by_new`). Both ways matter: trusting any one key of the chain
(for instance the one the LA publishes today) then vouches for every key before and after it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from school_audit.signing.errors import SignatureInvalid
from school_audit.signing.keys import SigningKey, key_id_for
from school_audit.signing.signatures import sign_canonical, verify_canonical


def first_entry(key: SigningKey, valid_from: str) -> dict[str, Any]:
    """The entry of a collector's first key: nothing before it to vouch for it."""
    return {"key_id": key.key_id, "public_key": key.public_key_b64, "valid_from": valid_from}


def endorsement_body(entry: Mapping[str, Any], previous: Mapping[str, Any]) -> dict[str, Any]:
    """Exactly what both keys sign when one replaces the other."""
    return {
        "key_id": entry["key_id"],
        "public_key": entry["public_key"],
        "valid_from": entry["valid_from"],
        "previous_key_id": previous["key_id"],
        "previous_public_key": previous["public_key"],
    }


def next_entry(
    new: SigningKey, previous_key: SigningKey, previous: Mapping[str, Any], valid_from: str
) -> dict[str, Any]:
    """The entry of `new`, replacing `previous_key` (whose entry is `previous`)."""
    if previous.get("public_key") != previous_key.public_key_b64:
        raise ValueError("the previous entry is not the previous key's")
    entry = first_entry(new, valid_from)
    body = endorsement_body(entry, previous)
    entry["endorsement"] = {
        "previous_key_id": previous["key_id"],
        "by_previous": sign_canonical(previous_key, body),
        "by_new": sign_canonical(new, body),
    }
    return entry


def check_entry(entry: Any) -> str:
    """The key id of one well-formed entry whose key id is its public key's (SignatureInvalid)."""
    if not isinstance(entry, Mapping):
        raise SignatureInvalid("the key entry is not a JSON object")
    key_id, public_key = entry.get("key_id"), entry.get("public_key")
    if not isinstance(key_id, str) or not isinstance(public_key, str):
        raise SignatureInvalid("the key entry has no key_id or public_key")
    if not isinstance(entry.get("valid_from"), str):
        raise SignatureInvalid("the key entry has no valid_from")
    if key_id_for(public_key) != key_id:
        raise SignatureInvalid("its public key does not match its key id")
    return key_id


def check_link(entry: Mapping[str, Any], previous: Mapping[str, Any]) -> None:
    """Raise SignatureInvalid unless both keys signed the hand-over from `previous` to `entry`."""
    endorsement = entry.get("endorsement")
    if not isinstance(endorsement, Mapping):
        raise SignatureInvalid(f"nothing vouches for it after {previous.get('key_id')}")
    if endorsement.get("previous_key_id") != previous.get("key_id"):
        raise SignatureInvalid("its endorsement names another previous key")
    body = endorsement_body(entry, previous)
    for field, public_key, who in (
        ("by_previous", previous["public_key"], "the previous key"),
        ("by_new", entry["public_key"], "the key itself"),
    ):
        signature = endorsement.get(field)
        if not isinstance(signature, str):
            raise SignatureInvalid(f"its endorsement has no signature by {who}")
        try:
            verify_canonical(public_key, body, signature)
        except SignatureInvalid:
            raise SignatureInvalid(f"its endorsement by {who} does not verify") from None


def chain_problems(entries: Sequence[Any]) -> tuple[list[list[str]], dict[int, str]]:
    """Split the history into runs of keys that vouch for each other.

    Returns the runs (lists of key ids, oldest first) and, by position, what is wrong with each
    entry that is malformed or whose link to the one before fails. A broken link starts a new run:
    trusting a key of one run says nothing about another.
    """
    runs: list[list[str]] = []
    problems: dict[int, str] = {}
    previous: Mapping[str, Any] | None = None
    for position, entry in enumerate(entries):
        try:
            key_id = check_entry(entry)
        except SignatureInvalid as error:
            problems[position] = str(error)
            previous = None
            continue
        linked = False
        if previous is not None:
            try:
                check_link(entry, previous)
                linked = True
            except SignatureInvalid as error:
                problems[position] = str(error)
        elif position > 0:
            problems[position] = "the key before it is unusable, so nothing vouches for it"
        if linked:
            runs[-1].append(key_id)
        else:
            runs.append([key_id])
        previous = entry
    return runs, problems

"""The collector's key history: each hand-over signed by both keys, so trusting any key of the
chain vouches for the rest, and a key or endorsement changed in any byte is named."""

from __future__ import annotations

import copy

from school_audit.signing import SigningKey
from school_audit.signing.key_history import chain_problems, first_entry, next_entry


def history(count=3):
    keys = [SigningKey.generate() for _ in range(count)]
    entries = [first_entry(keys[0], "2025-09-01T00:00:00Z")]
    for number, key in enumerate(keys[1:], start=2):
        entries.append(next_entry(key, keys[number - 2], entries[-1], f"2026-0{number}-01T00:00:00Z"))
    return keys, entries


def test_an_unbroken_history_is_one_run():
    keys, entries = history()
    runs, problems = chain_problems(entries)
    assert problems == {} and runs == [[key.key_id for key in keys]]


def test_a_forged_hand_over_breaks_the_chain_there():
    keys, entries = history()
    intruder = SigningKey.generate()
    forged = copy.deepcopy(entries)
    # An intruder adds its own key, endorsed by itself only: the previous key never signed.
    forged[2] = next_entry(intruder, intruder, {**forged[1], "public_key": intruder.public_key_b64,
                                                "key_id": forged[1]["key_id"]}, "2026-05-01T00:00:00Z")  # fmt: skip
    runs, problems = chain_problems(forged)
    assert runs == [[keys[0].key_id, keys[1].key_id], [intruder.key_id]]
    assert problems == {2: "its endorsement by the previous key does not verify"}


def test_a_changed_public_key_is_named():
    _, entries = history(2)
    spoiled = copy.deepcopy(entries)
    text = spoiled[1]["public_key"]
    spoiled[1]["public_key"] = text[:-2] + ("A" if text[-2] != "A" else "B") + text[-1]
    runs, problems = chain_problems(spoiled)
    assert problems[1] == "its public key does not match its key id"
    assert runs == [[entries[0]["key_id"]]]


def test_a_missing_endorsement_is_named():
    _, entries = history(2)
    del entries[1]["endorsement"]
    _, problems = chain_problems(entries)
    assert problems == {1: f"nothing vouches for it after {entries[0]['key_id']}"}

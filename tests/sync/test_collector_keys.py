"""The device follows the collector's key rotation from the key it pinned, and only from it."""

from __future__ import annotations

import hashlib
import json

import pytest

from school_audit.signing import SigningKey, sign_receipt
from school_audit.signing.key_history import first_entry, next_entry
from school_audit.store import Store
from school_audit.sync import errors
from school_audit.sync.collector_keys import (
    ACCEPTED_KEYS,
    CollectorKeyRefused,
    CollectorKeys,
    accepted_entries,
    archive_entries,
)
from school_audit.sync.drain import check_receipt
from tests.sync.fakes import Item


@pytest.fixture
def store(tmp_path):
    opened = Store.open(tmp_path / "audit.sqlite3", backups=tmp_path / "backups")
    yield opened
    opened.close()


def rotated(count=3):
    keys = [SigningKey.generate() for _ in range(count)]
    entries = [first_entry(keys[0], "2025-09-01T00:00:00Z")]
    for number, key in enumerate(keys[1:], start=2):
        entries.append(next_entry(key, keys[number - 2], entries[-1], f"2026-0{number}-01T00:00:00Z"))
    return keys, entries


class Fetches:
    def __init__(self, history):
        self.history, self.calls = history, 0

    def __call__(self):
        self.calls += 1
        return self.history


def receipt(item: Item, key: SigningKey) -> dict:
    return sign_receipt({
        "submission_id": item.submission_id, "received_at": "2026-03-02T09:00:00Z",
        "envelope_sha256": hashlib.sha256(item.envelope).hexdigest(), "status": "received",
        "collector_key_id": key.key_id,
    }, key)  # fmt: skip


def test_a_receipt_by_a_rotated_key_verifies_once_the_history_chains_from_the_pinned_key(store):
    (k0, k1, k2), history = rotated()
    fetch = Fetches(history)
    keys = CollectorKeys(k0.public_key_b64, store, fetch)
    item = Item("s1", b'{"id":"s1"}')
    check_receipt(receipt(item, k0), item, keys)  # the pinned key: nothing is fetched
    assert fetch.calls == 0
    check_receipt(receipt(item, k2), item, keys)
    check_receipt(receipt(item, k1), item, keys)
    assert fetch.calls == 1
    assert [e["key_id"] for e in accepted_entries(store)] == [k0.key_id, k1.key_id, k2.key_id]
    # Kept in the store: the next run (and an offline check) knows the keys without asking.
    offline = CollectorKeys(k0.public_key_b64, store)
    assert offline.public_key(k2.key_id) == k2.public_key_b64
    assert archive_entries(store, k0.public_key_b64, "2025-09-02") == history


def test_a_device_pinned_in_the_middle_of_the_history_trusts_the_keys_both_sides(store):
    (k0, k1, k2), history = rotated()
    keys = CollectorKeys(k1.public_key_b64, store, Fetches(history))
    assert keys.public_key(k0.key_id) == k0.public_key_b64
    assert keys.public_key(k2.key_id) == k2.public_key_b64


def test_a_history_not_chained_from_the_pinned_key_is_refused_with_the_reason(store):
    (k0, k1), history = rotated(2)
    forger = SigningKey.generate()
    # The forger endorses its own key as k0's successor, but cannot sign as k0.
    forged = [history[0], next_entry(forger, forger, {**history[0], "public_key":
                                                      forger.public_key_b64}, "2026-02-01T00:00:00Z")]  # fmt: skip
    forged[1]["endorsement"]["previous_key_id"] = k0.key_id
    keys = CollectorKeys(k0.public_key_b64, store, Fetches(forged))
    item = Item("s1", b'{"id":"s1"}')
    sent = receipt(item, forger)
    with pytest.raises(errors.ReceiptUnverified) as refused:
        check_receipt(sent, item, keys)
    message = str(refused.value)
    assert forger.key_id in message and k0.key_id in message
    assert "key 2 of the history" in message and "does not verify" in message
    assert refused.value.receipt == sent  # kept, unverified, by the caller
    assert forger.key_id not in keys.known()  # nothing beyond the pinned key accepted
    assert [e["key_id"] for e in accepted_entries(store)] in ([], [k0.key_id])


def test_a_history_that_does_not_hold_the_pinned_key_vouches_for_nothing(store):
    (k0,), _ = rotated(1)
    (_, other), stranger = rotated(2)
    keys = CollectorKeys(k0.public_key_b64, store, Fetches(stranger))
    with pytest.raises(CollectorKeyRefused, match="does not hold the pinned key"):
        keys.public_key(other.key_id)
    assert accepted_entries(store) == []


def test_a_history_that_drops_a_key_accepted_before_is_refused(store):
    (k0, k1, k2), history = rotated()
    CollectorKeys(k1.public_key_b64, store, Fetches(history)).public_key(k2.key_id)
    k3 = SigningKey.generate()
    shorter = [history[1], history[2], next_entry(k3, k2, history[2], "2026-09-01T00:00:00Z")]
    shorter[0] = first_entry(k1, history[1]["valid_from"])  # k0 is no longer listed
    keys = CollectorKeys(k1.public_key_b64, store, Fetches(shorter))
    with pytest.raises(CollectorKeyRefused, match=f"no longer lists .*{k0.key_id}"):
        keys.public_key(k3.key_id)
    assert [e["key_id"] for e in accepted_entries(store)] == [k0.key_id, k1.key_id, k2.key_id]


def test_offline_an_unknown_key_is_refused_without_asking(store):
    (k0, k1), _ = rotated(2)
    with pytest.raises(CollectorKeyRefused, match="not fetched"):
        CollectorKeys(k0.public_key_b64, store).public_key(k1.key_id)


def test_a_history_the_collector_sends_malformed_is_refused(store):
    (k0, k1), _ = rotated(2)
    keys = CollectorKeys(k0.public_key_b64, store, Fetches([{"key_id": 3}, "x"]))
    with pytest.raises(CollectorKeyRefused):
        keys.public_key(k1.key_id)
    assert json.loads(store.get_setting(ACCEPTED_KEYS) or '{"keys": []}')["keys"] == []

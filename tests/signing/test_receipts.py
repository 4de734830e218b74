"""The collector's receipt: signed on one side, verified on the other."""

from __future__ import annotations

import pytest

from school_audit.signing import SignatureInvalid, SigningKey, sign_receipt, verify_receipt


@pytest.fixture(scope="module")
def collector_key():
    return SigningKey.generate()


def make_receipt(key, **changes):
    fields = {
        "submission_id": "5b0b7d0c-1d6a-4bf4-9d53-3c1c0a1f2e10",
        "received_at": "2026-03-01T10:00:00Z",
        "envelope_sha256": "ab" * 32,
        "status": "received",
        "collector_key_id": key.key_id,
    }
    return sign_receipt({**fields, **changes}, key)


def test_signed_receipt_verifies(collector_key):
    verify_receipt(make_receipt(collector_key), collector_key.public_key_b64)


@pytest.mark.parametrize(
    "field,value",
    [
        ("submission_id", "5b0b7d0c-1d6a-4bf4-9d53-3c1c0a1f2e11"),
        ("envelope_sha256", "ac" * 32),
        ("status", "accepted"),
        ("received_at", "2026-03-01T10:00:01Z"),
    ],
)
def test_any_changed_field_is_rejected(collector_key, field, value):
    receipt = make_receipt(collector_key)
    receipt[field] = value
    with pytest.raises(SignatureInvalid):
        verify_receipt(receipt, collector_key.public_key_b64)


def test_added_field_is_covered_by_the_signature(collector_key):
    receipt = make_receipt(collector_key, note="kept")
    verify_receipt(receipt, collector_key.public_key_b64)
    receipt["note"] = "changed"
    with pytest.raises(SignatureInvalid):
        verify_receipt(receipt, collector_key.public_key_b64)


def test_receipt_from_another_key_is_rejected(collector_key):
    impostor = SigningKey.generate()
    with pytest.raises(SignatureInvalid):
        verify_receipt(make_receipt(impostor), collector_key.public_key_b64)


@pytest.mark.parametrize(
    "broken",
    [None, [], {"submission_id": "x"}, "receipt"],
)
def test_incomplete_receipt_is_rejected(collector_key, broken):
    with pytest.raises(SignatureInvalid):
        verify_receipt(broken, collector_key.public_key_b64)


def test_receipt_with_uncanonicalisable_value_is_rejected(collector_key):
    receipt = make_receipt(collector_key)
    receipt["extra"] = float("nan")
    with pytest.raises(SignatureInvalid):
        verify_receipt(receipt, collector_key.public_key_b64)


def test_signing_requires_every_field(collector_key):
    with pytest.raises(ValueError):
        sign_receipt({"submission_id": "x"}, collector_key)

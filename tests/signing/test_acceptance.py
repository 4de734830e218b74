"""The acceptance record: signed by the collector over exactly one return, checked offline."""

from __future__ import annotations

import pytest

from school_audit.signing import SignatureInvalid, SigningKey
from school_audit.signing.acceptance import sign_acceptance, verify_acceptance

ID, DIGEST = "5b1d3c8e-0000-4000-8000-000000000001", "ab" * 32


@pytest.fixture
def key():
    return SigningKey.generate()


def test_a_genuine_record_verifies(key):
    record = sign_acceptance(key, submission_id=ID, envelope_sha256=DIGEST,
                             accepted_at="2026-12-03T10:00:00Z")  # fmt: skip
    verify_acceptance(record, key.public_key_b64, submission_id=ID, envelope_sha256=DIGEST)
    assert record["collector_key_id"] == key.key_id


@pytest.mark.parametrize("field", ["submission_id", "envelope_sha256", "accepted_at", "format"])
def test_any_changed_field_fails(key, field):
    record = sign_acceptance(key, submission_id=ID, envelope_sha256=DIGEST,
                             accepted_at="2026-12-03T10:00:00Z")  # fmt: skip
    record[field] = record[field][:-1] + ("0" if record[field][-1] != "0" else "1")
    with pytest.raises(SignatureInvalid):
        verify_acceptance(record, key.public_key_b64, submission_id=ID, envelope_sha256=DIGEST)


def test_a_record_for_another_return_or_from_another_key_fails(key):
    record = sign_acceptance(key, submission_id=ID, envelope_sha256=DIGEST,
                             accepted_at="2026-12-03T10:00:00Z")  # fmt: skip
    with pytest.raises(SignatureInvalid, match="another return"):
        verify_acceptance(record, key.public_key_b64, submission_id=ID, envelope_sha256="cd" * 32)
    with pytest.raises(SignatureInvalid):
        verify_acceptance(record, SigningKey.generate().public_key_b64, submission_id=ID,
                          envelope_sha256=DIGEST)  # fmt: skip
    with pytest.raises(SignatureInvalid, match="missing"):
        verify_acceptance({"format": "x"}, key.public_key_b64, submission_id=ID,
                          envelope_sha256=DIGEST)  # fmt: skip

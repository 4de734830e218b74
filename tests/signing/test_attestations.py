"""The collector's `email_code` attestation verifies offline and only for what it was made for."""

from __future__ import annotations

import pytest

from school_audit.signing import SignatureInvalid, SigningKey, sign_attestation, verify_attestation

HASH = "a" * 64


@pytest.fixture(scope="module")
def key():
    return SigningKey.generate()


def made(key):
    return sign_attestation(
        key, content_sha256=HASH, role="chair_of_governors", name="Zoë Ng",
        verified_at="2026-03-01T09:00:00Z",
    )  # fmt: skip


def check(attestation, public_key, **changes):
    values = {"content_sha256": HASH, "role": "chair_of_governors", "name": "Zoë Ng"}
    values.update(changes)
    verify_attestation(attestation, public_key_b64=public_key, **values)


def test_a_made_attestation_verifies_with_the_public_key_alone(key):
    attestation = made(key)
    assert attestation["method"] == "email_code"
    assert attestation["collector_key_id"] == key.key_id
    check(attestation, key.public_key_b64)


@pytest.mark.parametrize(
    "changes",
    [{"content_sha256": "b" * 64}, {"role": "head_teacher"}, {"name": "Zoe Ng"}],
)
def test_it_does_not_verify_for_another_return_role_or_person(key, changes):
    with pytest.raises(SignatureInvalid):
        check(made(key), key.public_key_b64, **changes)


@pytest.mark.parametrize("field", ["verified_at", "method", "signature"])
def test_a_changed_or_missing_field_fails(key, field):
    attestation = made(key)
    spoiled = {**attestation, field: "2026-03-01T09:00:01Z" if field != "method" else "passkey"}
    with pytest.raises(SignatureInvalid):
        check(spoiled, key.public_key_b64)
    del spoiled[field]
    with pytest.raises(SignatureInvalid):
        check(spoiled, key.public_key_b64)


def test_another_key_does_not_verify_it(key):
    with pytest.raises(SignatureInvalid):
        check(made(key), SigningKey.generate().public_key_b64)

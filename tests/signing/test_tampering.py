"""A single flipped bit in the signed bytes, the signature or the public key is always rejected."""

from __future__ import annotations

import pytest

from school_audit.domain.canonical import canonical_bytes
from school_audit.signing import (
    SignatureInvalid,
    SigningKey,
    b64url_decode,
    b64url_encode,
    key_id_for,
    verify,
    verify_canonical,
)

ENVELOPE = {
    "format": "school-audit/submission/v1",
    "submission_id": "5b0b7d0c-1d6a-4bf4-9d53-3c1c0a1f2e10",
    "cycle": "2025-26",
    "establishment": {"urn": "123456", "name": "Zoë's Primary", "setting_type": "school"},
    "responses": [{"standard_id": "A1", "rating": "met", "evidence": "Minutes 3/2025"}],
}


@pytest.fixture(scope="module")
def signed():
    key = SigningKey.generate()
    data = canonical_bytes(ENVELOPE)
    return key, data, key.sign(data)


def flip(data: bytes, bit: int) -> bytes:
    mutable = bytearray(data)
    mutable[bit // 8] ^= 1 << (bit % 8)
    return bytes(mutable)


def test_untouched_envelope_verifies(signed):
    key, data, signature = signed
    verify(key.public_key_b64, data, signature)
    verify_canonical(key.public_key_b64, ENVELOPE, signature)


def test_every_flipped_bit_of_the_envelope_is_rejected(signed):
    key, data, signature = signed
    for bit in range(len(data) * 8):
        with pytest.raises(SignatureInvalid):
            verify(key.public_key_b64, flip(data, bit), signature)


def test_every_flipped_bit_of_the_signature_is_rejected(signed):
    key, data, signature = signed
    raw = b64url_decode(signature)
    for bit in range(len(raw) * 8):
        with pytest.raises(SignatureInvalid):
            verify(key.public_key_b64, data, b64url_encode(flip(raw, bit)))


def test_every_flipped_bit_of_the_public_key_is_rejected(signed):
    key, data, signature = signed
    for bit in range(256):
        with pytest.raises(SignatureInvalid):
            verify(b64url_encode(flip(key.public_key_raw, bit)), data, signature)


def test_changed_value_inside_the_envelope_is_rejected(signed):
    key, _, signature = signed
    changed = {**ENVELOPE, "cycle": "2025-27"}
    with pytest.raises(SignatureInvalid):
        verify_canonical(key.public_key_b64, changed, signature)


@pytest.mark.parametrize(
    "text",
    ["", "abc=", "ab+/", "a b", "A" * 43 + "=", "A" * 42 + "B", "A" * 44],
)
def test_malformed_key_text_is_refused(text):
    with pytest.raises(SignatureInvalid):
        verify(text, b"data", "A" * 86)


def test_secret_round_trips_and_repr_hides_it():
    key = SigningKey.generate()
    again = SigningKey.from_secret(key.secret())
    assert again.public_key_b64 == key.public_key_b64
    assert key.secret() not in repr(key)
    assert len(key.public_key_b64) == 43 and "=" not in key.public_key_b64


def test_key_id_is_stable_and_distinct():
    first, second = SigningKey.generate(), SigningKey.generate()
    assert first.key_id == key_id_for(first.public_key_b64)
    assert first.key_id != second.key_id

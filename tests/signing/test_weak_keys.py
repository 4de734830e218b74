"""Weak Ed25519 public keys are refused: the eight small-order points, their non-canonical
encodings, and 32 bytes that are no point at all. With such a key a trivial signature verifies."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from school_audit.signing import (
    SignatureInvalid,
    SigningKey,
    WeakPublicKey,
    b64url_encode,
    check_public_key,
)
from school_audit.signing.weak_keys import decode_point

# The small-order points of edwards25519, as listed in "Taming the many EdDSAs" (Chalkias et al.,
# 2020) and libsodium's blocklist: orders 1, 2, 4, 4, 8, 8, 8, 8.
SMALL_ORDER = [
    "0100000000000000000000000000000000000000000000000000000000000000",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0000000000000000000000000000000000000000000000000000000000000080",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
]
# Other encodings of some of them: negative zero x, or y written as p + y.
NON_CANONICAL = [
    "0100000000000000000000000000000000000000000000000000000000000080",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
]
NEUTRAL_SIGNATURE = bytes.fromhex(SMALL_ORDER[0]) + bytes(32)  # R = neutral point, S = 0


def _b64(hex_key: str) -> str:
    return b64url_encode(bytes.fromhex(hex_key))


def test_why_it_matters_a_trivial_signature_verifies_any_message_under_the_neutral_key():
    key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(SMALL_ORDER[0]))
    for message in (b"a return from any school", b"another"):
        key.verify(NEUTRAL_SIGNATURE, message)  # raises if it does not verify


@pytest.mark.parametrize("hex_key", SMALL_ORDER)
def test_small_order_keys_are_refused(hex_key):
    with pytest.raises(WeakPublicKey, match="weak Ed25519 key"):
        check_public_key(_b64(hex_key))


@pytest.mark.parametrize("hex_key", NON_CANONICAL)
def test_non_canonical_encodings_are_refused(hex_key):
    with pytest.raises(WeakPublicKey, match="not a canonical Ed25519 public key"):
        check_public_key(_b64(hex_key))


def test_bytes_that_are_no_point_are_refused():
    with pytest.raises(WeakPublicKey, match="not on the curve"):
        check_public_key(_b64("02" + "00" * 31))  # y = 2 has no x on the curve


def test_a_weak_key_is_a_signature_failure_and_malformed_text_still_is():
    assert issubclass(WeakPublicKey, SignatureInvalid)
    with pytest.raises(SignatureInvalid):
        check_public_key("too-short")


def test_real_keys_pass_and_decode_to_their_own_point():
    for _ in range(50):
        key = SigningKey.generate()
        assert check_public_key(key.public_key_b64) == key.public_key_raw
    # RFC 8032's base point B decodes to its published x coordinate.
    x, y = decode_point(bytes.fromhex("58" + "66" * 31))
    assert x == 15112221349535400772501151409588531511454012693041857206046113283949847762202
    assert y == 46316835694926478169428394003475163141307993866256225615783033603165251855960

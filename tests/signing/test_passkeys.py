"""A passkey assertion over a sealed return checks out offline, and each part that matters
(challenge, relying party, user presence, signature, key) fails it when changed. The assertion is
made here as an authenticator makes one (W3C WebAuthn), with a P-256 or Ed25519 key."""

from __future__ import annotations

import copy
import hashlib
import json

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from school_audit.signing import b64url_decode, b64url_encode
from school_audit.signing.passkeys import check_passkey_attestation, passkey_challenge

CONTENT = "ab" * 32
ROLE = "chair_of_governors"
RP = "audit.example.gov.uk"


def assertion(private=None, *, challenge=None, rp=RP, flags=0x05, kind="webauthn.get", alg=-7):
    private = private or ec.generate_private_key(ec.SECP256R1())
    client_data = json.dumps({"type": kind, "challenge": challenge or passkey_challenge(CONTENT, ROLE),
                              "origin": f"https://{rp}"}).encode()  # fmt: skip
    data = hashlib.sha256(rp.encode()).digest() + bytes([flags]) + (7).to_bytes(4, "big")
    signed = data + hashlib.sha256(client_data).digest()
    if isinstance(private, ed25519.Ed25519PrivateKey):
        signature = private.sign(signed)
    else:
        signature = private.sign(signed, ec.ECDSA(hashes.SHA256()))
    spki = private.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return {"method": "passkey", "passkey": {
        "credential_id": b64url_encode(b"credential-1"), "authenticator_data": b64url_encode(data),
        "client_data_json": b64url_encode(client_data), "signature": b64url_encode(signature),
        "public_key": b64url_encode(spki), "algorithm": alg, "rp_id": rp,
    }}  # fmt: skip


def check(attestation, **kwargs):
    return check_passkey_attestation(attestation, content_sha256=kwargs.pop("content", CONTENT),
                                     role=kwargs.pop("role", ROLE), **kwargs)  # fmt: skip


def test_the_challenge_is_the_hash_of_the_canonical_content_and_role():
    expected = hashlib.sha256(
        b'{"content_sha256":"' + CONTENT.encode() + b'","role":"chair_of_governors"}'
    ).digest()
    assert b64url_decode(passkey_challenge(CONTENT, ROLE)) == expected


def test_a_good_assertion_verifies_offline_es256_and_eddsa():
    assert check(assertion()) is None
    assert check(assertion(ed25519.Ed25519PrivateKey.generate(), alg=-8)) is None
    assert check(assertion(), rp_id=RP) is None


@pytest.mark.parametrize(
    ("made", "kwargs", "words"),
    [
        (lambda: assertion(), {"content": "cd" * 32}, "challenge is not the one"),
        (lambda: assertion(), {"role": "head_teacher"}, "challenge is not the one"),
        (lambda: assertion(challenge=b64url_encode(b"x" * 32)), {}, "challenge is not the one"),
        (lambda: assertion(kind="webauthn.create"), {}, "not of an assertion"),
        (lambda: assertion(flags=0x04), {}, "user-present flag"),
        (lambda: assertion(), {"rp_id": "evil.example"}, "registered for"),
        (lambda: assertion(alg=-8), {}, "does not fit the algorithm"),
    ],
)
def test_each_check_fails_when_its_part_is_wrong(made, kwargs, words):
    problem = check(made(), **kwargs)
    assert problem is not None and words in problem


def test_a_changed_rp_id_or_flipped_bytes_fail():
    good = assertion()
    moved = copy.deepcopy(good)
    moved["passkey"]["rp_id"] = "other.example"  # the authenticator data says otherwise
    assert "rpIdHash" in check(moved)
    for field in ("signature", "authenticator_data", "client_data_json", "public_key"):
        spoiled = copy.deepcopy(good)
        raw = bytearray(b64url_decode(spoiled["passkey"][field]))
        raw[-1] ^= 0x01
        spoiled["passkey"][field] = b64url_encode(bytes(raw))
        assert check(spoiled) is not None, field
    other_key = assertion()["passkey"]["public_key"]
    swapped = copy.deepcopy(good)
    swapped["passkey"]["public_key"] = other_key
    assert check(swapped) == "the passkey signature does not match"


def test_missing_parts_are_named():
    assert "carries no assertion" in check({"method": "passkey"})
    partial = assertion()
    del partial["passkey"]["signature"]
    assert check(partial) == "the passkey attestation has no signature"

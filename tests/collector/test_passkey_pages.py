"""The signatory's passkey calls, driven as the page's script drives them (the authenticator's
part made here with a P-256 key): registration on first use is checked before anything is kept,
an assertion only counts with a registered passkey, and a passkey signature arrives verified."""

from __future__ import annotations

import hashlib
import json

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import select

from school_audit.collector.db.tables import PasskeyCredential
from school_audit.domain.seal import content_sha256
from school_audit.signing import b64url_encode, verify_attestation
from tests.collector.factories import sign
from tests.collector.test_sign_off_requests import API, ask, form_token, link_path, mails

# The collector's configured public address (tests' CollectorWorld), not the test client's Host.
ORIGIN, RP = "https://audit.county.example.gov.uk", "audit.county.example.gov.uk"
CREDENTIAL = b"\x01credential-for-sam"


class Authenticator:
    def __init__(self):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.count = 0

    def _data(self, flags: int, extra: bytes = b"", rp: str = RP) -> bytes:
        self.count += 1
        return hashlib.sha256(rp.encode()).digest() + bytes([flags]) + (
            self.count.to_bytes(4, "big") + extra
        )

    def register(self, challenge: str, origin: str = ORIGIN, rp: str = RP, code="") -> dict:
        attested = bytes(16) + len(CREDENTIAL).to_bytes(2, "big") + CREDENTIAL + b"\xa0"
        client = json.dumps({"type": "webauthn.create", "challenge": challenge, "origin": origin})
        spki = self.key.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
        return {"credential_id": b64url_encode(CREDENTIAL), "public_key": b64url_encode(spki),
                "algorithm": -7, "client_data_json": b64url_encode(client.encode()),
                "authenticator_data": b64url_encode(self._data(0x45, attested, rp)),
                "code": code}  # fmt: skip

    def assert_(self, challenge: str, origin: str = ORIGIN) -> dict:
        client = json.dumps({"type": "webauthn.get", "challenge": challenge, "origin": origin})
        data = self._data(0x05)
        signature = self.key.sign(data + hashlib.sha256(client.encode()).digest(),
                                  ec.ECDSA(hashes.SHA256()))  # fmt: skip
        return {"credential_id": b64url_encode(CREDENTIAL), "signature": b64url_encode(signature),
                "authenticator_data": b64url_encode(data),
                "client_data_json": b64url_encode(client.encode())}  # fmt: skip


@pytest.fixture(autouse=True)
def cycle_open(world):
    """Remote signing is only asked for a cycle the collector has open."""
    return world.open_cycle()


def step(client, path, token, name, payload=None):
    reply = client.post(f"{path}/passkey/{name}",
                        data={"csrf_token": token, "payload": json.dumps(payload or {})})  # fmt: skip
    return reply.status_code, reply.json()


def emailed_code(client, world, path, token) -> str:
    """Press "Email me a code" and read the code from the mail queue."""
    assert client.post(f"{path}/code", data={"csrf_token": token}).status_code == 200
    return mails(world, "sign_off_code")[-1][1]["code"]


def stored(world):
    with world.database.read() as session:
        return list(session.scalars(select(PasskeyCredential)))


def test_a_chair_registers_a_passkey_signs_and_the_return_arrives_verified(client, world, device):
    envelope = device.envelope(world.template)
    created = ask(client, device, envelope)
    path = link_path(world)
    token = form_token(client.get(path))
    status, options = step(client, path, token, "options")
    assert status == 200 and options["credential_ids"] == [] and options["rp_id"] == RP
    authenticator = Authenticator()
    code = emailed_code(client, world, path, token)
    status, answer = step(client, path, token, "register",
                          authenticator.register(options["registration_challenge"], code=code))  # fmt: skip
    assert status == 200 and answer == {"registered": True}, answer
    [credential] = stored(world)
    assert credential.rp_id == RP and credential.algorithm == -7
    status, answer = step(client, path, token, "sign", authenticator.assert_(options["challenge"]))
    assert status == 200 and answer["signed"] is True, answer
    assert client.get(path).status_code == 404  # single use, as with the code

    attestation = client.get(f"{API}/{created['request_id']}", headers=device.headers).json()[
        "attestation"
    ]
    assert attestation["method"] == "passkey"
    verify_attestation(attestation, content_sha256=content_sha256(envelope),
                       role="chair_of_governors", name="Sam Patel",
                       public_key_b64=client.app.state.collector_key.public_key_b64)  # fmt: skip
    envelope["sign_off"].append({"role": "chair_of_governors", "name": "Sam Patel",
                                 "statement": "As chair, I confirm.",
                                 "signed_at": attestation["at"], "attestation": attestation})  # fmt: skip
    reply = client.post("/api/v1/submissions", json=sign(envelope, device.key),
                        headers=device.headers)  # fmt: skip
    assert reply.json()["receipt"]["status"] == "received", reply.json()["receipt"]


def test_a_registration_is_checked_before_anything_is_kept(client, world, device):
    ask(client, device, device.envelope(world.template))
    path = link_path(world)
    token = form_token(client.get(path))
    _, options = step(client, path, token, "options")
    authenticator = Authenticator()
    challenge = options["registration_challenge"]
    code = emailed_code(client, world, path, token)
    wrong = "000000" if code != "000000" else "111111"
    for made, words in (
        (authenticator.register(challenge), "needs the code from your email"),
        (authenticator.register(challenge, code=wrong), "That code is not right"),
        (authenticator.register(challenge, origin="https://evil.example", code=code),
         "another site"),
        (authenticator.register(options["challenge"], code=code), "another signing request"),
        (authenticator.register(challenge, rp="evil.example", code=code), "for another site"),
        ({"credential_id": "x", "code": code}, "incomplete"),
    ):  # fmt: skip
        status, answer = step(client, path, token, "register", made)
        assert status == 400 and words in answer["error"], answer
    assert stored(world) == []
    status, answer = step(client, path, token, "sign", authenticator.assert_(options["challenge"]))
    assert status == 400 and "not registered" in answer["error"]
    refused = client.post(f"{path}/passkey/options", data={"payload": "{}"})  # no CSRF token
    assert refused.status_code == 403
    assert step(client, "/sign/not-a-link", token, "options")[0] == 404


def test_an_assertion_for_other_content_is_refused(client, world, device):
    ask(client, device, device.envelope(world.template))
    path = link_path(world)
    token = form_token(client.get(path))
    _, options = step(client, path, token, "options")
    authenticator = Authenticator()
    code = emailed_code(client, world, path, token)
    step(client, path, token, "register",
         authenticator.register(options["registration_challenge"], code=code))  # fmt: skip
    wrong = b64url_encode(hashlib.sha256(b"another return").digest())
    status, answer = step(client, path, token, "sign", authenticator.assert_(wrong))
    assert status == 400 and "challenge is not the one" in answer["error"]
    status, answer = step(client, path, token, "sign",
                          authenticator.assert_(options["challenge"], origin="https://evil.example"))  # fmt: skip
    assert status == 400 and "another site" in answer["error"]


def test_the_passkey_site_is_the_public_address_whatever_host_the_request_names(client, world, device):
    envelope = device.envelope(world.template)
    ask(client, device, envelope)
    path = link_path(world)
    token = form_token(client.get(path))
    response = client.post(f"{path}/passkey/options", data={"csrf_token": token, "payload": "{}"},
                           headers={"Host": "phish.example"})  # fmt: skip
    assert response.status_code == 200 and response.json()["rp_id"] == RP

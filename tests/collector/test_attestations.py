"""Ingest re-derives `content_sha256` and checks every attestation: a wrong hash, a forged or
reused attestation and one person in two roles are kept and quarantined with a reason in words."""

from __future__ import annotations

import copy
import uuid

import pytest
from sqlalchemy import select

from school_audit.collector.db.tables import Submission
from school_audit.domain.seal import content_sha256
from school_audit.signing import SigningKey, sign_attestation, sign_canonical, verify_receipt
from tests.collector.factories import sign

URL = "/api/v1/submissions"
VERIFIED_AT = "2026-03-02T09:30:00Z"


def collector_key(client) -> SigningKey:
    return client.app.state.collector_key


def with_chair(envelope, attestation=None, name="Sam Patel"):
    """The envelope with the chair of governors' sign-off added (and its attestation)."""
    entry = {"role": "chair_of_governors", "name": name, "statement": "As chair, I confirm.",
             "signed_at": VERIFIED_AT}  # fmt: skip
    if attestation is not None:
        entry["attestation"] = attestation
    envelope["sign_off"].append(entry)
    return envelope


def attested(key, envelope, name="Sam Patel", digest=None):
    return sign_attestation(
        key, content_sha256=digest or content_sha256(envelope), role="chair_of_governors",
        name=name, verified_at=VERIFIED_AT,
    )  # fmt: skip


def receipt_of(client, device, body):
    response = client.post(URL, json=body, headers=device.headers)
    assert response.status_code == 201, response.text
    receipt = response.json()["receipt"]
    verify_receipt(receipt, collector_key(client).public_key_b64)
    return receipt


def test_a_remote_signature_attested_by_this_collector_is_received(client, world, device):
    envelope = device.envelope(world.template)
    with_chair(envelope, attested(collector_key(client), envelope))
    receipt = receipt_of(client, device, sign(envelope, device.key))
    assert receipt["status"] == "received", receipt.get("quarantine_reason")


def test_a_return_made_before_sealing_is_received_as_before(client, world, device):
    envelope = device.envelope(world.template)
    del envelope["content_sha256"]
    with_chair(envelope)
    assert receipt_of(client, device, sign(envelope, device.key))["status"] == "received"


def test_a_wrong_content_hash_is_quarantined(client, world, device):
    envelope = device.envelope(world.template)
    envelope["responses"][0]["evidence"] = "Changed after sealing."  # the hash is not redone
    body = {"envelope": envelope, "signature": sign_canonical(device.key, envelope)}
    receipt = receipt_of(client, device, body)
    assert receipt["status"] == "quarantined"
    assert receipt["quarantine_reason"].startswith("content_hash_mismatch: ")
    assert "what was signed is not what was sent" in receipt["quarantine_reason"]


def test_an_attestation_not_made_by_this_collector_is_quarantined(client, world, device):
    envelope = device.envelope(world.template)
    forged = attested(SigningKey.generate(), envelope)
    forged["collector_key_id"] = collector_key(client).key_id  # claims to be the collector's
    with_chair(envelope, forged)
    reason = receipt_of(client, device, sign(envelope, device.key))["quarantine_reason"]
    assert reason == (
        "attestation_forged: the attestation for the chair of governors does not verify for this return"
    )


def test_an_attestation_with_an_unknown_key_is_quarantined(client, world, device):
    envelope = device.envelope(world.template)
    other = SigningKey.generate()
    with_chair(envelope, attested(other, envelope))
    reason = receipt_of(client, device, sign(envelope, device.key))["quarantine_reason"]
    assert reason.startswith("attestation_forged: ") and "never used" in reason


def test_an_attestation_for_another_name_is_quarantined(client, world, device):
    envelope = device.envelope(world.template)
    with_chair(envelope, attested(collector_key(client), envelope, name="Someone Else"))
    reason = receipt_of(client, device, sign(envelope, device.key))["quarantine_reason"]
    assert reason.startswith("attestation_forged: the attestation for the chair of governors")


def test_an_attestation_replayed_from_another_return_is_quarantined(client, world, device):
    key = collector_key(client)
    first = device.envelope(world.template)
    genuine = attested(key, first)
    with_chair(first, genuine)
    assert receipt_of(client, device, sign(first, device.key))["status"] == "received"
    second = device.envelope(world.template)  # another return: another submission id
    with_chair(second, copy.deepcopy(genuine))
    reason = receipt_of(client, device, sign(second, device.key))["quarantine_reason"]
    assert reason == (
        "attestation_reused: the attestation for the chair of governors was made for another return, "
        "not this one"
    )


def test_one_person_in_two_roles_is_quarantined_and_kept(client, world, device):
    envelope = device.envelope(world.template)
    dsl = envelope["sign_off"][0]["name"]
    envelope["sign_off"].append({"role": "head_teacher", "name": f"  {dsl.upper()} ",
                                 "statement": "As head, I confirm.", "signed_at": VERIFIED_AT})  # fmt: skip
    body = sign(envelope, device.key)
    reason = receipt_of(client, device, body)["quarantine_reason"]
    assert reason == (
        "same_person_two_roles: the designated safeguarding lead and the head teacher are the "
        "same person"
    )
    with world.database.read() as session:
        kept = session.scalars(select(Submission.submission_id)).all()
    assert kept == [envelope["submission_id"]]
    assert uuid.UUID(kept[0])


@pytest.mark.parametrize("hidden", ["\u200b", "\u00ad", "\u2060"])
def test_an_invisible_character_does_not_make_two_people_of_one(client, world, device, hidden):
    envelope = device.envelope(world.template)
    dsl = envelope["sign_off"][0]["name"]
    envelope["sign_off"].append({"role": "head_teacher", "name": dsl[:2] + hidden + dsl[2:],
                                 "statement": "As head, I confirm.", "signed_at": VERIFIED_AT})  # fmt: skip
    reason = receipt_of(client, device, sign(envelope, device.key))["quarantine_reason"]
    assert reason.startswith("same_person_two_roles:")


def test_in_person_signatures_are_received_and_a_bare_passkey_claim_is_not(client, world, device):
    envelope = device.envelope(world.template)
    envelope["sign_off"][0]["attestation"] = {"method": "in_person", "at": VERIFIED_AT}
    assert receipt_of(client, device, sign(envelope, device.key))["status"] == "received"
    passkey = device.envelope(world.template)
    with_chair(passkey, {"method": "passkey", "at": VERIFIED_AT})
    reason = receipt_of(client, device, sign(passkey, device.key))["quarantine_reason"]
    assert reason == (  # no collector signature, no assertion: nothing backs it
        "attestation_forged: the attestation for the chair of governors names a key "
        "this collector never used"
    )

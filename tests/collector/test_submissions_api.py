"""POST /submissions and GET /submissions/{id}: the §4.2 contract, on SQLite and PostgreSQL."""

from __future__ import annotations

import copy
import uuid

from sqlalchemy import func, select

from school_audit.collector.db.tables import Answer, Submission
from school_audit.domain.canonical import canonical_bytes, sha256_hex
from school_audit.signing import SigningKey, b64url_decode, b64url_encode, verify_receipt
from tests.collector.factories import later_revision, sign

URL = "/api/v1/submissions"


def count(world, model=Submission) -> int:
    with world.database.read() as session:
        return session.scalar(select(func.count()).select_from(model))


def stored(world, submission_id) -> Submission:
    with world.database.read() as session:
        return session.get(Submission, submission_id)


def collector_public_key(client) -> str:
    return client.app.state.collector_key.public_key_b64


def test_a_signed_return_is_stored_byte_for_byte_with_a_signed_receipt(client, world, device):
    body = device.body(world.template)
    response = client.post(URL, json=body, headers=device.headers)
    assert response.status_code == 201
    receipt = response.json()["receipt"]
    verify_receipt(receipt, collector_public_key(client))
    assert receipt["status"] == "received"
    assert receipt["envelope_sha256"] == sha256_hex(body["envelope"])
    row = stored(world, body["envelope"]["submission_id"])
    assert row.envelope == canonical_bytes(body["envelope"])
    assert row.envelope_sha256 == receipt["envelope_sha256"]
    assert count(world, Answer) == len(body["envelope"]["responses"])


def test_an_identical_retry_gets_the_original_receipt_and_adds_no_row(client, world, device):
    body = device.body(world.template)
    first = client.post(URL, json=body, headers=device.headers)
    again = client.post(URL, json=body, headers=device.headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert count(world) == 1
    assert count(world, Answer) == len(body["envelope"]["responses"])


def test_same_submission_id_with_other_bytes_is_a_conflict(client, world, device):
    body = device.body(world.template)
    client.post(URL, json=body, headers=device.headers)
    changed = device.resign(body["envelope"], signed_at="2026-03-03T09:00:00Z")
    response = client.post(URL, json=changed, headers=device.headers)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "submission_conflict"
    assert stored(world, body["envelope"]["submission_id"]).envelope == canonical_bytes(
        body["envelope"]
    )


def flip_bit(text: str, bit: int = 0) -> str:
    raw = bytearray(b64url_decode(text))
    raw[bit // 8] ^= 1 << (bit % 8)
    return b64url_encode(bytes(raw))


def test_a_flipped_bit_in_envelope_or_signature_is_rejected(client, world, device):
    body = device.body(world.template)
    tampered_envelope = copy.deepcopy(body)
    tampered_envelope["envelope"]["responses"][0]["evidence"] += "!"
    for spoiled in (tampered_envelope, {**body, "signature": flip_bit(body["signature"], 77)}):
        response = client.post(URL, json=spoiled, headers=device.headers)
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "signature_invalid"
    assert count(world) == 0


def test_a_return_signed_with_another_key_is_rejected(client, world, device):
    envelope = device.envelope(world.template)
    response = client.post(URL, json=sign(envelope, SigningKey.generate()), headers=device.headers)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "signature_invalid"


def test_a_device_key_flipped_in_the_database_breaks_verification(client, world, device):
    from school_audit.collector.db.tables import Device

    with world.database.write() as session:
        row = session.get(Device, device.device_id)
        row.public_key = flip_bit(row.public_key, 3)
    response = client.post(URL, json=device.body(world.template), headers=device.headers)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "signature_invalid"


def test_envelope_naming_another_device_key_is_rejected(client, world, device, other_device):
    envelope = device.envelope(world.template)
    envelope["device_key_id"] = other_device.device_key_id
    response = client.post(URL, json=sign(envelope, device.key), headers=device.headers)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "signature_invalid"


def test_another_schools_urn_is_forbidden(client, world, device, other_device):
    from tests.collector.factories import school_profile

    envelope = device.envelope(world.template, profile=school_profile(other_device.urn))
    response = client.post(URL, json=sign(envelope, device.key), headers=device.headers)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert count(world) == 0


def test_no_token_a_wrong_token_and_a_revoked_device_get_401(client, world, device):
    body = device.body(world.template)
    assert client.post(URL, json=body).status_code == 401
    assert (
        client.post(URL, json=body, headers={"Authorization": "Bearer nonsense"}).status_code == 401
    )
    from school_audit.collector.devices import revoke_device

    with world.database.write() as session:
        revoke_device(session, device.device_id)
    response = client.post(URL, json=body, headers=device.headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert client.get("/api/v1/templates", headers=device.headers).status_code == 401
    assert count(world) == 0


def test_an_unknown_template_or_sha256_is_template_unknown(client, world, device):
    envelope = device.envelope(world.template)
    for template in (
        {**envelope["template"], "version": "1999-00.1"},
        {**envelope["template"], "sha256": "0" * 64},
    ):
        response = client.post(
            URL, json=device.resign(envelope, template=template), headers=device.headers
        )
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "template_unknown"


def quarantine_reason(client, device, body) -> str:
    response = client.post(URL, json=body, headers=device.headers)
    assert response.status_code == 201, response.text
    receipt = response.json()["receipt"]
    assert receipt["status"] == "quarantined"
    verify_receipt(receipt, collector_public_key(client))
    return receipt["quarantine_reason"]


def test_content_rule_breaches_are_kept_but_quarantined(client, world, device):
    envelope = device.envelope(world.template)
    na = copy.deepcopy(envelope)
    na["responses"][0].update(rating="not_applicable", na_reason="none")  # A1 is statutory
    unknown = copy.deepcopy(envelope)
    unknown["responses"].append({"standard_id": "Z99", "rating": "met", "evidence": "x"})
    missing = copy.deepcopy(envelope)
    missing["responses"] = [r for r in missing["responses"] if r["standard_id"] != "C4"]
    wrong_cycle = device.resign(envelope, cycle="2024-25")["envelope"]
    cases = {
        "na_on_statutory": na,
        "unknown_standard": unknown,
        "missing_statutory": missing,
        "cycle_mismatch": wrong_cycle,
    }
    for code, spoiled in cases.items():
        spoiled["submission_id"] = str(uuid.uuid4())
        assert quarantine_reason(client, device, sign(spoiled, device.key)).startswith(code)
    with world.database.read() as session:
        statuses = session.scalars(select(Submission.status)).all()
    assert statuses == ["quarantined"] * len(cases)


def test_standards_switched_on_by_a_flag_are_required_when_the_flags_are_sent(client, world, device):
    """C12 (statutory) applies only with EYFS: the envelope's flags say so, so leaving it out is
    quarantined; an older client that sends no flags cannot be held to it."""
    envelope = device.envelope(world.template)
    assert envelope["establishment"]["flags"]["has_eyfs"] is True
    without_c12 = copy.deepcopy(envelope)
    without_c12["responses"] = [r for r in without_c12["responses"] if r["standard_id"] != "C12"]
    without_c12["submission_id"] = str(uuid.uuid4())
    assert quarantine_reason(client, device, sign(without_c12, device.key)) == "missing_statutory: C12"
    no_flags = copy.deepcopy(without_c12)
    del no_flags["establishment"]["flags"]
    no_flags["submission_id"] = str(uuid.uuid4())
    response = client.post(URL, json=sign(no_flags, device.key), headers=device.headers)
    assert response.status_code == 201 and response.json()["receipt"]["status"] == "received"


def test_supersedes_naming_a_return_not_seen_yet_is_a_later_revision(client, world, device):
    """The earlier revision may still be on its way (the outbox moved on after a timeout): the
    return counts as revision 2; when the named one arrives, it is stored as superseded."""
    envelope = device.envelope(world.template)
    body = device.resign(envelope, revision=2, supersedes=str(uuid.uuid4()))
    response = client.post(URL, json=body, headers=device.headers)
    assert response.json()["receipt"]["status"] == "received"


def test_a_later_revision_supersedes_the_earlier_one(client, world, device):
    first = device.body(world.template)
    client.post(URL, json=first, headers=device.headers)
    second = later_revision(device, world.template, first)
    response = client.post(URL, json=second, headers=device.headers)
    assert response.status_code == 201
    assert response.json()["receipt"]["status"] == "received"
    old = client.get(f"{URL}/{first['envelope']['submission_id']}", headers=device.headers)
    assert old.json()["status"] == "superseded"
    with world.database.read() as session:
        current = session.scalars(
            select(Answer.submission_id).where(Answer.current).distinct()
        ).all()
    assert current == [second["envelope"]["submission_id"]]


def test_status_is_visible_only_to_the_own_establishment(client, world, device, other_device):
    body = device.body(world.template)
    client.post(URL, json=body, headers=device.headers)
    sid = body["envelope"]["submission_id"]
    mine = client.get(f"{URL}/{sid}", headers=device.headers)
    assert mine.status_code == 200
    assert mine.json() == {
        "submission_id": sid, "status": "received", "review": None, "feedback_letter": None
    }
    theirs = client.get(f"{URL}/{sid}", headers=other_device.headers)
    unknown = client.get(f"{URL}/{uuid.uuid4()}", headers=other_device.headers)
    assert theirs.status_code == unknown.status_code == 404
    assert theirs.json() == unknown.json()


def test_a_returned_review_carries_the_comments(client, world, device):
    import json

    from school_audit.collector.db.tables import Review

    body = device.body(world.template)
    client.post(URL, json=body, headers=device.headers)
    sid = body["envelope"]["submission_id"]
    with world.database.write() as session:
        session.get(Submission, sid).status = "returned"
        session.add(
            Review(
                submission_id=sid,
                decision="returned",
                comments=json.dumps({"A1": "Add minutes."}),
                general_comment="Nearly.",
                reviewer="ofi",
            )
        )
    data = client.get(f"{URL}/{sid}", headers=device.headers).json()
    assert data["status"] == "returned"
    assert data["review"]["comments"] == {"A1": "Add minutes."}
    assert data["review"]["general_comment"] == "Nearly."


def test_long_odd_ids_in_a_signed_return_are_kept_not_crashed_on(client, world, device):
    """Ids up to the envelope's limits must fit the columns on PostgreSQL too."""
    envelope = device.envelope(world.template)
    long_id = "X" * 500
    envelope["responses"].append({"standard_id": long_id, "rating": "met", "evidence": "x"})
    envelope["actions"] = [
        {
            "action_id": str(uuid.uuid4()),
            "standard_id": long_id,
            "description": "d" * 20_000,
            "owner_role": "o" * 500,
            "target_date": "2026-07-01",
            "status": "in_progress",
            "support_requested": True,
        }
    ]
    envelope["local_answers"] = [{"question_id": long_id, "value": "v" * 10_000}]
    envelope["sign_off"][0]["name"] = "N" * 500
    reason = quarantine_reason(client, device, sign(envelope, device.key))
    assert "unknown_standard" in reason
    assert "action_unknown_standard" in reason
    assert stored(world, envelope["submission_id"]).envelope == canonical_bytes(envelope)


def test_times_not_in_utc_are_kept_but_quarantined(client, world, device):
    for signed_at in (
        "2026-03-02T10:00:00",
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-05:00",
    ):
        envelope = device.envelope(world.template)
        envelope["signed_at"] = signed_at
        assert (
            quarantine_reason(client, device, sign(envelope, device.key))
            == "timestamp_not_utc: a time is not in UTC"
        )


def test_a_huge_revision_number_is_stored(client, world, device):
    envelope = device.envelope(world.template)
    envelope["revision"] = 2**53 - 1
    response = client.post(URL, json=sign(envelope, device.key), headers=device.headers)
    assert response.status_code == 201
    assert stored(world, envelope["submission_id"]).revision == 2**53 - 1

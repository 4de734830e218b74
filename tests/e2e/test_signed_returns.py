"""Enrol, sign, send, verify and follow the review against a real collector over real HTTP,
on SQLite and on PostgreSQL."""

from __future__ import annotations

import hashlib
import json
import logging

import pytest

from school_audit.collector.db import init_database
from school_audit.collector.review.reviewing import ReviewInput, record_review
from school_audit.domain.audit import AuditState
from school_audit.signing import verify, verify_receipt
from school_audit.sync.errors import NotFound
from school_audit.sync.http import HttpSettings
from tests.e2e.school import School

HTTP = HttpSettings(connect_timeout=2, read_timeout=10)


@pytest.fixture
def school(tmp_path):
    opened = School(tmp_path / "school", "123456", http=HTTP)
    yield opened
    opened.close()


def test_a_return_travels_end_to_end(make_running_collector, school, caplog, memory_keyring):
    caplog.set_level(logging.DEBUG)
    collector = make_running_collector(["123456", "654321"])
    state = school.service.enrol(collector.url, collector.issue_code("123456"), "Office PC")
    assert state.enrolled and state.establishment["urn"] == "123456"
    assert school.store.get_setting("collector_public_key") == collector.public_key

    audit_id = school.complete_audit()
    signed = school.sign(audit_id)
    report = school.service.send_now()
    assert report.sent == [str(signed.submission_id)] and report.complete

    [entry] = school.service.outbox()
    item = entry.item
    assert item.state == "sent"
    verify_receipt(item.receipt, collector.public_key)  # checked again, independently
    assert item.receipt["envelope_sha256"] == hashlib.sha256(item.envelope).hexdigest()
    [row] = collector.submissions()
    assert str(row["submission_id"]) == str(signed.submission_id)
    assert bytes(row["envelope"]) == item.envelope  # kept byte for byte
    device_key = school.service.secrets.get("device-private-key")
    assert device_key is not None
    from school_audit.signing import SigningKey

    verify(SigningKey.from_secret(device_key).public_key_b64, bytes(row["envelope"]),
           item.signature)  # fmt: skip
    assert school.store.load_audit(audit_id).state is AuditState.SENT

    school.service.refresh_status()
    assert school.service.review_of(audit_id).status in ("received", "quarantined")

    # The token and the private key stayed in the keyring: not in the database, not in any log.
    secrets = list(memory_keyring.items.values())
    assert len(secrets) == 2
    school.close()
    files = b"".join(p.read_bytes() for p in school.store.path.parent.glob("audit.sqlite3*"))
    assert state.device_key_id.encode() in files  # the search does look at the right bytes
    for secret in secrets:
        assert secret.encode() not in files and secret not in caplog.text


def test_identical_resend_gets_the_original_receipt_and_adds_no_row(make_running_collector, school):
    collector = make_running_collector(["123456"])
    school.service.enrol(collector.url, collector.issue_code("123456"), "Office PC")
    signed = school.sign(school.complete_audit())
    school.service.send_now()
    first_receipt = school.service.outbox()[0].item.receipt
    school.store.retry_now(signed.submission_id)  # as if the receipt had been lost
    report = school.service.send_now()
    assert report.sent == [str(signed.submission_id)]
    assert school.service.outbox()[0].item.receipt == first_receipt
    assert len(collector.submissions()) == 1


def test_returned_audit_is_revised_and_supersedes(make_running_collector, school):
    collector = make_running_collector(["123456"])
    school.service.enrol(collector.url, collector.issue_code("123456"), "Office PC")
    audit_id = school.complete_audit()
    first = school.sign(audit_id)
    school.service.send_now()

    database = init_database(collector.database_url)
    try:
        review = ReviewInput("returned", "Please say when the policy was last reviewed.",
                             {"A1": "Which governors' minutes?"})  # fmt: skip
        record_review(database, str(first.submission_id), "la-officer", review)
    finally:
        database.dispose()

    school.service.refresh_status()
    assert school.store.load_audit(audit_id).state is AuditState.RETURNED
    [entry] = school.service.outbox()
    assert entry.general_comment.startswith("Please say when")
    assert entry.standard_comments == {"A1": "Which governors' minutes?"}

    assert school.service.reopen(audit_id) == 2
    second = school.sign(audit_id)
    assert school.service.send_now().sent == [str(second.submission_id)]
    rows = {str(row["submission_id"]): row for row in collector.submissions()}
    assert rows[str(second.submission_id)]["revision"] == 2
    assert str(rows[str(second.submission_id)]["supersedes"]) == str(first.submission_id)
    assert rows[str(first.submission_id)]["status"] == "superseded"


def test_enrolment_code_works_once(make_running_collector, tmp_path, school):
    collector = make_running_collector(["123456"])
    code = collector.issue_code("123456")
    school.service.enrol(collector.url, code, "Office PC")
    other = School(tmp_path / "other", "123456", http=HTTP)
    try:
        with pytest.raises(NotFound):
            other.service.enrol(collector.url, code, "Second PC")
        assert not other.service.enrolment().enrolled
    finally:
        other.close()


def test_revoked_device_must_enrol_again(make_running_collector, school):
    collector = make_running_collector(["123456"])
    state = school.service.enrol(collector.url, collector.issue_code("123456"), "Office PC")
    old = school.sign(school.complete_audit())
    collector.cli("device", "revoke", state.device_id)
    report = school.service.send_now()
    assert report.reenrol_required and not report.sent
    assert collector.submissions() == []
    assert school.service.outbox()[0].item.state != "sent"  # kept, nothing lost

    again = school.service.enrol(collector.url, collector.issue_code("123456"), "Office PC")
    # The collector takes only returns signed by the sending device's own key: the unsent one is
    # signed again under the new key, keeping its submission id and its people's sign-offs.
    assert again.resigned_returns == 1
    assert school.service.send_now().sent == [str(old.submission_id)]
    [row] = collector.submissions()
    assert str(row["submission_id"]) == str(old.submission_id)
    envelope = json.loads(bytes(row["envelope"]))
    assert envelope["device_key_id"] == again.device_key_id != state.device_key_id
    assert [s["name"] for s in envelope["sign_off"]][0] == "Amira Okafor"


def test_a_crash_mid_send_is_recovered_without_a_duplicate(make_running_collector, school):
    import requests

    from school_audit.sync.drain import request_body

    collector = make_running_collector(["123456"])
    school.service.enrol(collector.url, collector.issue_code("123456"), "Office PC")
    signed = school.sign(school.complete_audit())
    item = school.service.outbox()[0].item
    # The app started sending, the collector committed, then the app died before the reply.
    school.store.mark_sending(item.submission_id)
    token = school.service.secrets.get("device-token")
    reply = requests.post(
        collector.url + "/api/v1/submissions", data=request_body(item.envelope, item.signature),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        timeout=10,
    )  # fmt: skip
    assert reply.status_code == 201
    # On the next start the item is still there, in `sending`, and is simply sent again.
    assert school.service.send_now(include_waiting=False).sent == [str(signed.submission_id)]
    assert school.service.outbox()[0].item.receipt == reply.json()["receipt"]
    assert len(collector.submissions()) == 1

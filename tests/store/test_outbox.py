"""Finalising and the outbox: one transaction each, and the audit's state follows the outbox."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from school_audit.domain.audit import Action, AuditState, Rating, Response, SignOff, SignOffRole
from school_audit.store import AuditReadOnlyError, WrongAuditState, outbox_records

SIGNED_AT = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)
ENVELOPE = b'{"format":"school-audit/submission/v1","note":"caf\xc3\xa9"}'


def _sign_offs() -> list[SignOff]:
    return [
        SignOff(role=SignOffRole.DSL, name="A. Lead", statement="I confirm.", signed_at=SIGNED_AT),
        SignOff(
            role=SignOffRole.HEAD_TEACHER, name="B. Head", statement="Agreed.", signed_at=SIGNED_AT
        ),
    ]


@pytest.fixture
def signed(store, draft):
    store.save_response(draft.audit_id, Response(standard_id="A1", rating=Rating.MET))
    submission_id = uuid.uuid4()
    store.finalise(draft.audit_id, _sign_offs(), submission_id, ENVELOPE, "c2lnbmF0dXJl")
    return submission_id


def test_finalise_writes_sign_offs_state_and_outbox_row(store, draft, signed):
    audit = store.load_audit(draft.audit_id)
    assert audit.state is AuditState.SIGNED
    assert audit.sign_off == _sign_offs()
    [item] = store.outbox_items()
    assert item.submission_id == str(signed) and item.audit_id == str(draft.audit_id)
    assert (item.state, item.attempts, item.revision) == ("queued", 0, 1)
    assert item.envelope == ENVELOPE and item.signature == "c2lnbmF0dXJl"
    assert store.outbox_state_of(draft.audit_id) == "queued"


@pytest.mark.parametrize("step", ["_insert_sign_offs", "_set_state", "_insert_outbox_row"])
def test_finalise_is_all_or_nothing(store, draft, monkeypatch, step):
    def fail(*_args, **_kwargs):
        raise RuntimeError("power cut")

    before = store.load_audit(draft.audit_id)
    monkeypatch.setattr(outbox_records, step, fail)
    with pytest.raises(RuntimeError):
        store.finalise(draft.audit_id, _sign_offs(), uuid.uuid4(), ENVELOPE, "sig")
    assert store.load_audit(draft.audit_id) == before
    assert store.outbox_items() == []
    with store.read() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM sign_offs").scalar() == 0


def test_finalise_needs_a_draft(store, draft, signed):
    with pytest.raises(AuditReadOnlyError):
        store.finalise(draft.audit_id, _sign_offs(), uuid.uuid4(), ENVELOPE, "sig")
    assert len(store.outbox_items()) == 1


def test_due_items_follow_failures_and_retry_times(store, signed):
    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    assert [i.submission_id for i in store.due_outbox_items(now)] == [str(signed)]
    store.mark_sending(signed)
    assert store.outbox_item(signed).state == "sending"
    assert store.due_outbox_items(now) != []  # left "sending" by a crash: due again
    store.record_failure(signed, "503 Service Unavailable", now + timedelta(minutes=5))
    item = store.outbox_item(signed)
    assert (item.state, item.attempts, item.last_error) == ("failed", 1, "503 Service Unavailable")
    assert item.next_attempt_at == now + timedelta(minutes=5)
    assert store.due_outbox_items(now) == []
    assert len(store.due_outbox_items(now + timedelta(minutes=5))) == 1
    store.record_failure(signed, "422 schema_invalid", None)  # refused for good
    assert store.due_outbox_items(now + timedelta(days=365)) == []
    store.retry_now(signed)
    assert store.outbox_item(signed).state == "queued"
    assert len(store.due_outbox_items(now)) == 1


def test_mark_sent_keeps_the_receipt_and_the_audit_becomes_sent(store, draft, signed):
    receipt = {"submission_id": str(signed), "status": "received", "signature": "x"}
    store.mark_sending(signed)
    store.mark_sent(signed, receipt)
    item = store.outbox_item(signed)
    assert item.state == "sent" and item.receipt == receipt and item.sent_at is not None
    assert store.load_audit(draft.audit_id).state is AuditState.SENT
    assert store.due_outbox_items(datetime.now(UTC) + timedelta(days=1)) == []
    assert store.outbox_items(states=["sent"]) == [item]


def test_review_accepted_and_returned_change_the_audit(store, draft, signed):
    store.mark_sent(signed, "{}")
    store.set_review(signed, "received")
    assert store.load_audit(draft.audit_id).state is AuditState.SENT
    comments = {"comments": "Please add the date of the last Section 175 return."}
    store.set_review(signed, "returned", comments)
    assert store.load_audit(draft.audit_id).state is AuditState.RETURNED
    review = store.review_of(signed)
    assert review.status == "returned" and review.review == comments


def test_reopen_for_revision_keeps_answers_and_supersedes(store, draft, signed):
    store.mark_sent(signed, "{}")
    with pytest.raises(WrongAuditState):
        store.reopen_for_revision(draft.audit_id, signed)
    store.set_review(signed, "returned", {"comments": "Fix A2"})
    assert store.reopen_for_revision(draft.audit_id, signed) == 2
    audit = store.load_audit(draft.audit_id)
    assert (audit.state, audit.revision, audit.supersedes) == (AuditState.DRAFT, 2, signed)
    assert audit.responses["A1"].rating is Rating.MET
    assert audit.sign_off == []  # the new revision is signed afresh
    store.save_action(draft.audit_id, Action(standard_id="A2", description="Fix A2"))
    # The old revision's news no longer moves the reopened draft.
    store.set_review(signed, "accepted")
    assert store.load_audit(draft.audit_id).state is AuditState.DRAFT
    second = uuid.uuid4()
    store.finalise(draft.audit_id, _sign_offs()[:1], second, ENVELOPE, "sig2")
    assert store.outbox_item(second).revision == 2
    assert store.load_audit(draft.audit_id).sign_off == _sign_offs()[:1]

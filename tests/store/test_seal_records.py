"""A sealed draft refuses every change until it is unsealed; unsealing voids its signatures."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from school_audit.domain.audit import Action, Audit
from school_audit.store import AuditSealedError, Store, WrongAuditState
from school_audit.store.seal_records import SignatureRecord

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
HASH = "ab" * 32


@pytest.fixture
def sealed(tmp_path, mini_template, school_profile):
    store = Store.open(tmp_path / "audit.sqlite3", backups=tmp_path / "backups")
    audit = Audit.start(mini_template, school_profile)
    store.create_audit(audit)
    store.seal_audit(audit.audit_id, HASH, uuid.uuid4(), NOW)
    yield store, audit
    store.close()


def test_every_kind_of_change_is_refused_while_sealed(sealed, school_profile):
    store, audit = sealed
    action = Action(standard_id="A1", description="Train staff", owner_role="DSL")
    for change in (lambda: store.save_action(audit.audit_id, action),
                   lambda: store.delete_action(audit.audit_id, action.action_id),
                   lambda: store.confirm_afresh(audit.audit_id, "A1"),
                   lambda: store.delete_draft(audit.audit_id)):  # fmt: skip
        with pytest.raises(AuditSealedError):
            change()
    renamed = school_profile.model_copy(update={"name": "Renamed School"})
    store.save_profile(
        renamed
    )  # saved, but the sealed content keeps the profile it was sealed with
    assert store.load_audit(audit.audit_id).profile.name == school_profile.name
    with pytest.raises(WrongAuditState):
        store.seal_audit(audit.audit_id, HASH, uuid.uuid4(), NOW)


def test_unsealing_voids_signatures_and_keeps_open_requests_until_cancelled(sealed):
    store, audit = sealed
    here = store.save_signature(audit.audit_id, SignatureRecord(
        "dsl", "signed", "Amira Okafor", HASH, signed_at=NOW,
        attestation={"method": "in_person", "at": "2026-12-03T09:00:00Z"}))  # fmt: skip
    asked = store.save_signature(audit.audit_id, SignatureRecord(
        "chair_of_governors", "requested", "Sam Patel", HASH, email="c@example.org",
        request_id="req-1", requested_at=NOW))  # fmt: skip
    assert [r.id for r in store.signatures_of(audit.audit_id)] == [here.id, asked.id]
    voided = store.unseal(audit.audit_id)
    assert {r.name for r in voided} == {"Amira Okafor", "Sam Patel"}
    assert store.signatures_of(audit.audit_id) == []
    [left] = store.signatures_of(audit.audit_id, include_voided=True)
    assert left.state == "voided" and left.request_id == "req-1"  # to cancel at the collector
    store.forget_signature(left.id)
    assert store.signatures_of(audit.audit_id, include_voided=True) == []
    store.save_action(audit.audit_id, Action(standard_id="A1", description="x", owner_role="DSL"))


def test_a_sealed_audit_loads_as_sealed(sealed):
    store, audit = sealed
    loaded = store.load_audit(audit.audit_id)
    assert loaded.sealed and not loaded.is_read_only  # still a draft: it can be unsealed
    from school_audit.store.reader import StoreReader

    assert StoreReader.open(store.path).load_audit(audit.audit_id) == loaded  # the quick start too
    store.unseal(audit.audit_id)
    assert not store.load_audit(audit.audit_id).sealed


def test_a_signature_for_another_seal_is_refused(sealed):
    store, audit = sealed
    with pytest.raises(WrongAuditState):
        store.save_signature(audit.audit_id, SignatureRecord("dsl", "signed", "A", "cd" * 32))

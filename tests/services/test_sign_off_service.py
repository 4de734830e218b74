"""Seal, then sign, on a real SQLite store: sealing freezes the audit, a change voids every
signature, each person signs here for themselves, and the envelope carries how each signed.
(Remote signing against a real collector is in tests/e2e/test_each_person_signs.py.)"""

from __future__ import annotations

import json

import pytest

from school_audit.domain.audit import Rating, Response, SignOffRole
from school_audit.domain.seal import content_sha256
from school_audit.services.sign_off_service import SignOffError, SignOffService
from school_audit.services.submission_errors import NotReadyError
from school_audit.store import AuditSealedError
from tests.services import test_submission_service as base

R = SignOffRole
NOW = base.NOW
complete_audit = base.complete_audit
# The same fixtures: a real store, the in-process collector, an enrolled service.
store, collector, service, enrolled = base.store, base.collector, base.service, base.enrolled


@pytest.fixture
def signing(enrolled):
    return SignOffService(enrolled)


@pytest.fixture
def ready(store, mini_template, school_profile):
    return complete_audit(store, mini_template, school_profile)


def test_sealing_freezes_the_audit_until_it_is_unsealed(signing, store, ready):
    sealed = signing.seal(ready.audit_id)
    assert len(sealed.content_sha256) == 64 and signing.seal_holds(ready.audit_id)
    answer = Response(standard_id="A1", rating=Rating.NOT_MET, evidence="x")
    with pytest.raises(AuditSealedError, match="sealed for signing"):
        store.save_response(ready.audit_id, answer)
    assert store.load_audit(ready.audit_id).response("A1").rating is Rating.MET  # nothing lost
    signing.unseal(ready.audit_id)
    store.save_response(ready.audit_id, answer)  # editable again
    assert store.load_audit(ready.audit_id).response("A1").rating is Rating.NOT_MET


def test_an_audit_with_blocking_problems_cannot_be_sealed(signing, store, ready):
    store.save_response(ready.audit_id, Response(standard_id="A1"))
    with pytest.raises(NotReadyError):
        signing.seal(ready.audit_id)
    assert store.seal_of(ready.audit_id) is None


def test_unsealing_voids_every_signature_and_says_whose(signing, ready):
    signing.seal(ready.audit_id)
    signing.sign_here(ready.audit_id, R.DSL, "Amira Okafor")
    signing.sign_here(ready.audit_id, R.HEAD_TEACHER, "Gareth Lloyd")
    voided = signing.unseal(ready.audit_id)
    assert sorted(v.name for v in voided) == ["Amira Okafor", "Gareth Lloyd"]
    signing.seal(ready.audit_id)
    assert [r.state for r in signing.state(ready.audit_id).roles] == ["not_asked"] * 4


def test_each_role_signs_here_and_the_envelope_says_so(signing, store, ready, collector):
    signing.seal(ready.audit_id)
    state = signing.state(ready.audit_id)
    assert [r.role for r in state.roles] == [R.DSL, R.HEAD_TEACHER, R.CHAIR_OF_GOVERNORS,
                                             R.SAFEGUARDING_GOVERNOR]  # fmt: skip
    assert [r.required for r in state.roles] == [True, True, True, False]
    signing.sign_here(ready.audit_id, R.DSL, "  Amira   Okafor ")
    signing.sign_here(ready.audit_id, R.HEAD_TEACHER, "Gareth Lloyd")
    with pytest.raises(SignOffError, match="Not everyone"):
        signing.finalise(ready.audit_id)
    signing.sign_here(ready.audit_id, R.CHAIR_OF_GOVERNORS, "Zoë Łukasiewicz")
    assert signing.state(ready.audit_id).complete
    sealed = store.seal_of(ready.audit_id)
    result = signing.finalise(ready.audit_id)
    assert str(result.submission_id) == sealed.submission_id  # fixed when sealed
    [item] = store.outbox_items()
    envelope = json.loads(item.envelope)
    assert envelope["content_sha256"] == sealed.content_sha256 == content_sha256(envelope)
    assert [e["name"] for e in envelope["sign_off"]] == ["Amira Okafor", "Gareth Lloyd",
                                                          "Zoë Łukasiewicz"]  # fmt: skip
    assert {e["attestation"]["method"] for e in envelope["sign_off"]} == {"in_person"}
    assert store.seal_of(ready.audit_id) is None  # done with: the envelope holds it now


def test_a_name_must_be_typed_and_the_role_must_sign_for_this_setting(signing, ready):
    with pytest.raises(SignOffError, match="not sealed"):
        signing.sign_here(ready.audit_id, R.DSL, "Amira Okafor")
    signing.seal(ready.audit_id)
    with pytest.raises(SignOffError, match="own name"):
        signing.sign_here(ready.audit_id, R.DSL, "   ")
    with pytest.raises(SignOffError, match="does not sign"):
        signing.sign_here(ready.audit_id, R.REGISTERED_PERSON, "Someone")


def test_signing_again_for_a_role_replaces_the_earlier_signature(signing, ready):
    signing.seal(ready.audit_id)
    signing.sign_here(ready.audit_id, R.HEAD_TEACHER, "Acting Head")
    signing.sign_here(ready.audit_id, R.HEAD_TEACHER, "Gareth Lloyd")
    [head] = [r for r in signing.state(ready.audit_id).roles if r.role is R.HEAD_TEACHER]
    assert head.record.name == "Gareth Lloyd"
    assert [s.name for s in signing.sign_offs(ready.audit_id)] == ["Gareth Lloyd"]


def test_a_bad_email_address_is_refused_before_any_network_call(signing, ready, collector):
    signing.seal(ready.audit_id)
    before = len(collector.requests)
    with pytest.raises(SignOffError, match="email address"):
        signing.ask_by_email(ready.audit_id, R.CHAIR_OF_GOVERNORS, "Sam Patel", "not-an-address")
    assert len(collector.requests) == before


def test_the_summary_names_statutory_gaps_overdue_actions_and_changes(
    signing, store, mini_template, school_profile
):
    from datetime import timedelta

    from school_audit.domain.audit import Action, Audit

    audit = Audit.start(mini_template, school_profile)
    statutory = next(s for s in mini_template.applicable(school_profile.phase,
                                                         school_profile.flags)
                     if s.statutory and s.is_rated)  # fmt: skip
    audit.responses[statutory.id] = Response(standard_id=statutory.id, rating=Rating.NOT_MET)
    audit.previous_responses[statutory.id] = Response(standard_id=statutory.id,
                                                      rating=Rating.MET)  # fmt: skip
    audit.actions.append(Action(standard_id=statutory.id, description="Fix it", owner_role="DSL",
                                target_date=NOW.date() - timedelta(days=3)))  # fmt: skip
    store.save_template(mini_template, "builtin")
    store.create_audit(audit)
    summary = signing.summary(audit.audit_id)
    assert summary.statutory_not_met == [f"{statutory.id}: {statutory.text} (Not met)"]
    assert summary.overdue_actions == 1
    assert summary.changed_since_last_year == [f"{statutory.id}: Met last year, Not met now"]
    assert summary.api_json()["overdue_actions"] == 1

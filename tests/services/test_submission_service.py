"""SubmissionService on a real SQLite store, the in-memory keyring and an in-process collector."""

from __future__ import annotations

import json
import logging
import uuid
from datetime import UTC, datetime, timedelta

import keyring
import pytest
from keyring.backends import fail

from school_audit.credentials import KeyringUnavailable
from school_audit.domain.audit import Audit, AuditState, Rating, Response, SignOffRole
from school_audit.domain.profile import EstablishmentProfile
from school_audit.services.submission_service import (
    EstablishmentMismatch,
    NotEnrolledError,
    NotReadyError,
    SignOffIncomplete,
    SubmissionService,
)
from school_audit.signing import verify
from school_audit.store import AuditReadOnlyError, Store
from school_audit.sync.errors import NotFound
from tests.services.collector_double import CollectorDouble

R = SignOffRole
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path):
    opened = Store.open(tmp_path / "audit.sqlite3", backups=tmp_path / "backups")
    yield opened
    opened.close()


@pytest.fixture
def collector():
    return CollectorDouble()


@pytest.fixture
def service(store, collector):
    return SubmissionService(
        store, session_factory=collector.session_factory, now=lambda: NOW, sleep=lambda s: None
    )


def complete_audit(store, template, profile) -> Audit:
    """A draft with every applicable standard answered well enough to sign."""
    audit = Audit.start(template, profile)
    store.save_template(template, "builtin")
    store.create_audit(audit)
    for standard in template.applicable(profile.phase, profile.flags):
        if not standard.is_rated:
            continue
        dates = {field.key: NOW.date() - timedelta(days=30) for field in standard.dates}
        store.save_response(
            audit.audit_id,
            Response(standard_id=standard.id, rating=Rating.MET, evidence="Policy and minutes",
                     dates=dates),
        )  # fmt: skip
    return store.load_audit(audit.audit_id)


def school_sign_offs(service):
    return [
        service.sign_off(R.DSL, "Amira Okafor"),
        service.sign_off(R.HEAD_TEACHER, "Gareth Lloyd"),
        service.sign_off(R.CHAIR_OF_GOVERNORS, "Zoë Łukasiewicz"),
    ]


@pytest.fixture
def enrolled(service):
    service.enrol("https://la.example/collector/", "CODE-1234", "Office PC")
    return service


def test_enrolment_keeps_secrets_in_the_keyring_only(service, collector, store, memory_keyring):
    assert not service.enrolment().enrolled
    state = service.enrol("https://la.example/", " CODE-1234 ", "Office PC")
    assert state.enrolled and state.device_key_id == "key-1"
    assert state.establishment["urn"] == "123456"
    assert store.get_setting("collector_public_key") == collector.key.public_key_b64
    secrets = set(memory_keyring.items.values())
    assert collector.token in secrets and len(secrets) == 2  # token and private key
    assert state.collector_url == "https://la.example"


def test_nothing_secret_reaches_the_database_file_or_logs(
    enrolled, collector, store, memory_keyring, mini_template, school_profile, caplog
):
    caplog.set_level(logging.DEBUG)
    audit = complete_audit(store, mini_template, school_profile)
    enrolled.finalise(audit.audit_id, school_sign_offs(enrolled))
    enrolled.send_now()
    store.close()
    files = [p for p in store.path.parent.iterdir() if p.name.startswith("audit.sqlite3")]
    data = b"".join(p.read_bytes() for p in files)
    for secret in memory_keyring.items.values():
        assert secret.encode() not in data
        assert secret not in caplog.text
    assert collector.key.public_key_b64.encode() in data  # the file was really searched


def test_enrolment_refused_when_no_keyring_and_the_code_is_not_spent(service, collector):
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(KeyringUnavailable):
        service.enrol("https://la.example", "CODE-1234", "Office PC")
    assert "CODE-1234" in collector.codes
    assert not service.enrolment().enrolled


def test_unknown_code_is_reported(service):
    with pytest.raises(NotFound, match="unknown, used or expired"):
        service.enrol("https://la.example", "WRONG", "Office PC")
    assert not service.enrolment().enrolled


def test_plain_http_is_refused_except_to_this_computer(service):
    with pytest.raises(ValueError, match="https"):
        service.enrol("http://la.example", "CODE-1234", "Office PC")


def test_finalise_signs_the_canonical_envelope_and_queues_it(
    enrolled, collector, store, mini_template, school_profile
):
    audit = complete_audit(store, mini_template, school_profile)
    result = enrolled.finalise(audit.audit_id, school_sign_offs(enrolled))
    [entry] = enrolled.outbox()
    item = entry.item
    assert item.state == "queued" and str(item.submission_id) == str(result.submission_id)
    envelope = json.loads(item.envelope)
    assert envelope["device_key_id"] == "key-1"
    assert [s["name"] for s in envelope["sign_off"]][2] == "Zoë Łukasiewicz"
    assert "no information that identifies a child" in envelope["sign_off"][0]["statement"]
    verify(collector.device_public_key, item.envelope, item.signature)
    assert store.load_audit(audit.audit_id).state is AuditState.SIGNED
    with pytest.raises(AuditReadOnlyError):
        enrolled.finalise(audit.audit_id, school_sign_offs(enrolled))


def test_finalise_lists_blocking_problems(enrolled, store, mini_template, school_profile):
    audit = complete_audit(store, mini_template, school_profile)
    store.save_response(audit.audit_id, Response(standard_id="A1", rating=Rating.NOT_MET))
    with pytest.raises(NotReadyError) as raised:
        enrolled.finalise(audit.audit_id, school_sign_offs(enrolled))
    assert {p.standard_id for p in raised.value.problems} == {"A1"}
    assert "A1:" in str(raised.value)
    assert enrolled.outbox() == []
    assert store.load_audit(audit.audit_id).state is AuditState.DRAFT


def test_finalise_needs_enrolment(service, store, mini_template, school_profile):
    audit = complete_audit(store, mini_template, school_profile)
    with pytest.raises(NotEnrolledError, match="enrol"):
        service.finalise(audit.audit_id, school_sign_offs(service))


def test_finalise_refuses_another_establishment(enrolled, store, mini_template, school_profile):
    other = school_profile.model_copy(update={"urn": "654321"})
    audit = complete_audit(store, mini_template, other)
    with pytest.raises(EstablishmentMismatch, match="654321"):
        enrolled.finalise(audit.audit_id, school_sign_offs(enrolled))


@pytest.mark.parametrize(
    "roles,expected",
    [
        ([R.DSL, R.HEAD_TEACHER], "Chair of governors or Proprietor must sign"),
        ([R.DSL, R.HEAD_TEACHER, R.CHAIR_OF_GOVERNORS, R.CHILDMINDER], "does not sign"),
        ([R.DSL, R.DSL, R.HEAD_TEACHER, R.CHAIR_OF_GOVERNORS], "more than once"),
    ],
)
def test_sign_offs_are_checked(enrolled, store, mini_template, school_profile, roles, expected):
    audit = complete_audit(store, mini_template, school_profile)
    people = [enrolled.sign_off(role, "A Person") for role in roles]
    with pytest.raises(SignOffIncomplete, match=expected):
        enrolled.finalise(audit.audit_id, people)


def test_send_now_delivers_and_keeps_the_verified_receipt(
    enrolled, collector, store, mini_template, school_profile
):
    audit = complete_audit(store, mini_template, school_profile)
    result = enrolled.finalise(audit.audit_id, school_sign_offs(enrolled))
    report = enrolled.send_now()
    assert report.sent == [str(result.submission_id)] and report.complete
    [entry] = enrolled.outbox()
    assert entry.item.state == "sent"
    assert entry.item.receipt["envelope_sha256"] == result.envelope_sha256
    assert collector.received[str(result.submission_id)] == entry.item.envelope
    assert store.load_audit(audit.audit_id).state is AuditState.SENT


def test_returned_audit_shows_comments_and_reopens_as_a_new_revision(
    enrolled, collector, store, mini_template, school_profile
):
    audit = complete_audit(store, mini_template, school_profile)
    first = enrolled.finalise(audit.audit_id, school_sign_offs(enrolled))
    enrolled.send_now()
    sid = str(first.submission_id)
    review = {
        "decision": "returned",
        "general_comment": "Please add the date of the S175 return.",
        "comments": {"A1": "Which minutes?"},
        "reviewed_at": "2026-03-03T10:00:00Z",
    }
    collector.statuses[sid] = ("returned", review)
    changed = enrolled.refresh_status()
    assert [c.status for c in changed] == ["returned"]
    assert enrolled.review_of(audit.audit_id).review["general_comment"].startswith("Please add")
    assert enrolled.outbox()[0].general_comment.startswith("Please add")
    assert enrolled.outbox()[0].standard_comments == {"A1": "Which minutes?"}
    assert store.load_audit(audit.audit_id).state is AuditState.RETURNED
    assert enrolled.refresh_status() == []  # nothing new the second time

    assert enrolled.reopen(audit.audit_id) == 2
    reopened = store.load_audit(audit.audit_id)
    assert reopened.state is AuditState.DRAFT and reopened.supersedes == uuid.UUID(sid)
    second = enrolled.finalise(audit.audit_id, school_sign_offs(enrolled))
    envelope = json.loads(enrolled.outbox()[-1].item.envelope)
    assert envelope["revision"] == 2 and envelope["supersedes"] == sid
    enrolled.send_now()
    assert set(collector.received) == {sid, str(second.submission_id)}


def test_revoked_device_is_asked_to_enrol_again(
    enrolled, collector, store, mini_template, school_profile
):
    audit = complete_audit(store, mini_template, school_profile)
    enrolled.finalise(audit.audit_id, school_sign_offs(enrolled))
    collector.token = "revoked"
    report = enrolled.send_now()
    assert report.reenrol_required and not report.sent
    assert enrolled.outbox()[0].item.state != "sent"


def test_send_now_retries_items_the_backoff_had_put_off(
    enrolled, collector, store, mini_template, school_profile
):
    audit = complete_audit(store, mini_template, school_profile)
    result = enrolled.finalise(audit.audit_id, school_sign_offs(enrolled))
    store.record_failure(result.submission_id, "earlier outage", NOW + timedelta(hours=2))
    assert enrolled.send_now(include_waiting=False).attempts == 0  # background: keeps the wait
    assert enrolled.send_now().sent == [str(result.submission_id)]


def test_refused_item_is_shown_as_refused(
    enrolled, collector, store, mini_template, school_profile
):
    audit = complete_audit(store, mini_template, school_profile)
    result = enrolled.finalise(audit.audit_id, school_sign_offs(enrolled))
    collector.received[str(result.submission_id)] = b"other bytes"
    report = enrolled.send_now()
    [entry] = enrolled.outbox()
    assert entry.refused and "submission_conflict" in entry.item.last_error
    assert str(result.submission_id) in report.refused
    assert enrolled.send_now().attempts == 0  # not retried by itself


@pytest.mark.parametrize(
    "setting_type,phase,required,optional",
    [
        ("school", "primary", [R.DSL, R.HEAD_TEACHER, R.CHAIR_OF_GOVERNORS],
         [R.SAFEGUARDING_GOVERNOR]),
        ("school", "independent", [R.DSL, R.HEAD_TEACHER, R.PROPRIETOR],
         [R.SAFEGUARDING_GOVERNOR]),
        ("early_years", "day_nursery", [R.MANAGER, R.REGISTERED_PERSON], [R.DSL]),
        ("early_years", "childminder", [R.CHILDMINDER], []),
    ],
)  # fmt: skip
def test_signatories_by_setting(service, setting_type, phase, required, optional):
    profile = EstablishmentProfile(urn="EY123456", name="Setting", setting_type=setting_type,
                                   phase=phase)  # fmt: skip
    found = service.signatories_for(profile)
    assert found.required == required and found.optional == optional


def test_every_role_has_a_declaration(service):
    for role in R:
        text = service.declaration(role)
        assert "identifies a child" in text and len(text) > 100


def test_enrolling_again_signs_unsent_returns_with_the_new_key(
    enrolled, collector, store, mini_template, school_profile
):
    audit = complete_audit(store, mini_template, school_profile)
    result = enrolled.finalise(audit.audit_id, school_sign_offs(enrolled))
    before = enrolled.outbox()[0].item
    state = enrolled.enrol("https://la.example", "CODE-5678", "Office PC")
    assert state.resigned_returns == 1 and state.device_key_id == "key-2"
    after = enrolled.outbox()[0].item
    assert after.submission_id == before.submission_id and after.state == "queued"
    assert json.loads(after.envelope)["device_key_id"] == "key-2"
    assert json.loads(after.envelope)["sign_off"] == json.loads(before.envelope)["sign_off"]
    verify(collector.device_public_key, after.envelope, after.signature)
    assert enrolled.send_now().sent == [str(result.submission_id)]


def test_enrolling_again_leaves_sent_returns_alone(
    enrolled, collector, store, mini_template, school_profile
):
    audit = complete_audit(store, mini_template, school_profile)
    enrolled.finalise(audit.audit_id, school_sign_offs(enrolled))
    enrolled.send_now()
    before = enrolled.outbox()[0].item
    assert enrolled.enrol("https://la.example", "CODE-5678", "Office PC").resigned_returns == 0
    assert enrolled.outbox()[0].item == before


def test_refresh_skips_a_return_the_collector_does_not_know(
    enrolled, collector, store, mini_template, school_profile
):
    audit = complete_audit(store, mini_template, school_profile)
    enrolled.finalise(audit.audit_id, school_sign_offs(enrolled))
    enrolled.send_now()
    collector.statuses.clear()
    assert enrolled.refresh_status() == []
    assert enrolled.outbox()[0].item.state == "sent"

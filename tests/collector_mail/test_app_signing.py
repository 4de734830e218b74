"""Each person signs for themselves, driven from the app's own services over real HTTP to a real
collector and a real SMTP server: the DSL seals, signs here; the chair is asked by email, reads
the code from the mail and signs on the collector's page; the app collects the attestation and
the return arrives verified. A changed answer after a signature voids it."""

from __future__ import annotations

import json
import re

import httpx
import pytest

from school_audit.collector.mail.worker import MailWorker
from school_audit.domain.audit import Rating, Response, SignOffRole
from school_audit.domain.seal import content_sha256
from school_audit.services.sign_off_service import SignOffService
from school_audit.signing import verify_attestation
from school_audit.store import AuditSealedError
from school_audit.sync.http import HttpSettings
from tests.collector.live_server import live_server, served_at
from tests.e2e.school import School

R = SignOffRole
CHAIR = "chair@governors.example.org"
HTTP = HttpSettings(connect_timeout=2, read_timeout=10)


@pytest.fixture
def school(tmp_path, world, memory_keyring):
    world.add_school("777777", name="School 777777")
    world.open_cycle()  # remote signing is only asked for an open cycle
    opened = School(tmp_path / "school", "777777", http=HTTP)
    yield opened
    opened.close()


def text_of(arrived) -> str:
    return arrived.message.get_body(preferencelist=("plain",)).get_content()


def sign_by_emailed_code(world, smtp, address: str) -> None:
    """What the signatory does in their own browser: open the link, ask for a code, type it."""
    assert MailWorker(world.database, world.settings).run_once().sent >= 1
    invitation = smtp.inbox.to(address)[-1]
    link = re.search(r"(http://\S+/sign/\S+)", text_of(invitation)).group(1)
    with httpx.Client(timeout=10) as browser:
        page = browser.get(link)
        assert page.status_code == 200
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        assert browser.post(f"{link}/code", data={"csrf_token": token}).status_code == 200
        MailWorker(world.database, world.settings).run_once()
        code = re.search(r"\b(\d{6})\b", smtp.inbox.to(address)[-1].message["Subject"]).group(1)
        signed = browser.post(f"{link}/confirm", data={"csrf_token": token, "code": code})
        assert signed.status_code == 200 and "you have signed" in signed.text


def stored_submission(world, submission_id: str):
    from school_audit.collector.db.tables import Submission

    with world.database.read() as session:
        row = session.get(Submission, submission_id)
        return row.status, json.loads(row.envelope)


def enrol(school, world, base):
    school.service.enrol(base, world.issue("777777"), "Office PC")
    return SignOffService(school.service)


def test_a_mix_of_in_person_and_email_code_signatures_arrives_verified(world, smtp, school):
    app = world.app()
    with live_server(app) as base:
        served_at(app, base)
        signing = enrol(school, world, base)
        audit_id = school.complete_audit()
        sealed = signing.seal(audit_id)
        signing.sign_here(audit_id, R.DSL, "Amira Okafor")
        signing.sign_here(audit_id, R.HEAD_TEACHER, "Gareth Lloyd")
        asked = signing.ask_by_email(audit_id, R.CHAIR_OF_GOVERNORS, "Sam Patel", CHAIR)
        assert asked.state == "requested" and asked.request_id
        assert signing.collect(audit_id).signed == []  # not yet
        sign_by_emailed_code(world, smtp, CHAIR)
        report = signing.collect(audit_id)
        assert report.signed == ["chair_of_governors"] and report.problems == []
        assert signing.state(audit_id).complete
        result = signing.finalise(audit_id)
        assert school.service.send_now().sent == [str(result.submission_id)]

    status, envelope = stored_submission(world, str(result.submission_id))
    assert status == "received"  # verified: nothing quarantined it
    assert envelope["content_sha256"] == sealed.content_sha256 == content_sha256(envelope)
    methods = {e["role"]: e["attestation"]["method"] for e in envelope["sign_off"]}
    assert methods == {"dsl": "in_person", "head_teacher": "in_person",
                       "chair_of_governors": "email_code"}  # fmt: skip
    chair = next(e for e in envelope["sign_off"] if e["role"] == "chair_of_governors")
    verify_attestation(chair["attestation"], content_sha256=sealed.content_sha256,
                       role="chair_of_governors", name="Sam Patel",
                       public_key_b64=app.state.collector_key.public_key_b64)  # fmt: skip


def test_every_role_signing_remotely_arrives_verified(world, smtp, school):
    app = world.app()
    people = {R.DSL: ("Amira Okafor", "dsl@school.example.org"),
              R.HEAD_TEACHER: ("Gareth Lloyd", "head@school.example.org"),
              R.CHAIR_OF_GOVERNORS: ("Sam Patel", CHAIR)}  # fmt: skip
    with live_server(app) as base:
        served_at(app, base)
        signing = enrol(school, world, base)
        audit_id = school.complete_audit()
        signing.seal(audit_id)
        for role, (name, address) in people.items():
            signing.ask_by_email(audit_id, role, name, address)
            sign_by_emailed_code(world, smtp, address)
        assert sorted(signing.collect(audit_id).signed) == sorted(r.value for r in people)
        result = signing.finalise(audit_id)
        school.service.send_now()
    status, envelope = stored_submission(world, str(result.submission_id))
    assert status == "received"
    assert {e["attestation"]["method"] for e in envelope["sign_off"]} == {"email_code"}


def test_a_changed_answer_after_a_signature_voids_it(world, smtp, school):
    app = world.app()
    with live_server(app) as base:
        served_at(app, base)
        signing = enrol(school, world, base)
        audit_id = school.complete_audit()
        first = signing.seal(audit_id)
        signing.sign_here(audit_id, R.DSL, "Amira Okafor")
        signing.ask_by_email(audit_id, R.CHAIR_OF_GOVERNORS, "Sam Patel", CHAIR)
        sign_by_emailed_code(world, smtp, CHAIR)
        changed = Response(standard_id="A1", rating=Rating.PARTIALLY_MET, evidence="Half done")
        with pytest.raises(AuditSealedError):  # refused while sealed: nothing slips in
            school.store.save_response(audit_id, changed)
        voided = signing.unseal(audit_id)
        assert {v.name for v in voided} == {"Amira Okafor", "Sam Patel"}
        school.store.save_response(audit_id, Response(standard_id="A1", rating=Rating.MET,
                                                      evidence="Minutes, summer term"))  # fmt: skip
        second = signing.seal(audit_id)
        assert second.content_sha256 != first.content_sha256
        assert [r.state for r in signing.state(audit_id).roles] == ["not_asked"] * 4
        report = signing.collect(audit_id)  # the chair's old request is withdrawn
        assert report.cancelled == 1 and report.signed == []
        assert school.store.signatures_of(audit_id, include_voided=True) == []


def test_remind_sends_a_new_link_and_the_old_one_stops_working(world, smtp, school):
    app = world.app()
    with live_server(app) as base:
        served_at(app, base)
        signing = enrol(school, world, base)
        audit_id = school.complete_audit()
        signing.seal(audit_id)
        first = signing.ask_by_email(audit_id, R.CHAIR_OF_GOVERNORS, "Sam Patel", CHAIR)
        MailWorker(world.database, world.settings).run_once()
        old_link = re.search(r"(http://\S+/sign/\S+)", text_of(smtp.inbox.to(CHAIR)[-1])).group(1)
        again = signing.remind(audit_id, R.CHAIR_OF_GOVERNORS)
        assert again.request_id != first.request_id and again.email == CHAIR
        assert httpx.get(old_link, timeout=10).status_code in (404, 410)
        replaced = signing.replace_signatory(audit_id, R.CHAIR_OF_GOVERNORS, "Lee Chan",
                                             "vice.chair@governors.example.org")  # fmt: skip
        sign_by_emailed_code(world, smtp, "vice.chair@governors.example.org")
        report = signing.collect(audit_id)
        assert report.signed == ["chair_of_governors"]
        [chair] = [r for r in signing.state(audit_id).roles if r.role is R.CHAIR_OF_GOVERNORS]
        assert chair.record.name == "Lee Chan" and chair.record.request_id == replaced.request_id


def test_a_decline_is_collected_with_its_comment(world, smtp, school):
    app = world.app()
    with live_server(app) as base:
        served_at(app, base)
        signing = enrol(school, world, base)
        audit_id = school.complete_audit()
        signing.seal(audit_id)
        signing.ask_by_email(audit_id, R.CHAIR_OF_GOVERNORS, "Sam Patel", CHAIR)
        MailWorker(world.database, world.settings).run_once()
        link = re.search(r"(http://\S+/sign/\S+)", text_of(smtp.inbox.to(CHAIR)[-1])).group(1)
        with httpx.Client(timeout=10) as browser:
            page = browser.get(link)
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
            declined = browser.post(
                f"{link}/decline",
                data={
                    "csrf_token": token,
                    "comment": "Please add the spring training dates first.",
                },
            )
            assert declined.status_code == 200
        assert signing.collect(audit_id).declined == ["chair_of_governors"]
        [chair] = [r for r in signing.state(audit_id).roles if r.role is R.CHAIR_OF_GOVERNORS]
        assert chair.state == "declined"
        assert chair.record.comment == "Please add the spring training dates first."


def test_attestations_survive_enrolling_again_with_a_new_device_key(world, smtp, school):
    """Enrolling again re-signs an unsent return with the new device key: the people's
    signatures are bound to the content, not to the key, so it still arrives verified."""
    app = world.app()
    with live_server(app) as base:
        served_at(app, base)
        signing = enrol(school, world, base)
        audit_id = school.complete_audit()
        sealed = signing.seal(audit_id)
        signing.sign_here(audit_id, R.DSL, "Amira Okafor")
        signing.sign_here(audit_id, R.HEAD_TEACHER, "Gareth Lloyd")
        signing.ask_by_email(audit_id, R.CHAIR_OF_GOVERNORS, "Sam Patel", CHAIR)
        sign_by_emailed_code(world, smtp, CHAIR)
        signing.collect(audit_id)
        result = signing.finalise(audit_id)
        old_key = json.loads(school.store.outbox_items()[0].envelope)["device_key_id"]
        state = school.service.enrol(base, world.issue("777777"), "New office PC")
        assert state.resigned_returns == 1 and state.device_key_id != old_key
        assert school.service.send_now().sent == [str(result.submission_id)]
    status, envelope = stored_submission(world, str(result.submission_id))
    assert status == "received"
    assert envelope["device_key_id"] == state.device_key_id
    assert envelope["content_sha256"] == sealed.content_sha256 == content_sha256(envelope)
    assert [e["attestation"]["method"] for e in envelope["sign_off"]] == [
        "in_person", "in_person", "email_code"]  # fmt: skip


def test_an_accepted_return_brings_a_signed_acceptance_record_the_app_keeps(world, smtp, school):
    from school_audit.collector.review.reviewing import ReviewInput, record_review
    from school_audit.signing.acceptance import verify_acceptance

    app = world.app()
    with live_server(app) as base:
        served_at(app, base)
        signing = enrol(school, world, base)
        audit_id = school.complete_audit()
        signing.seal(audit_id)
        for role, name in ((R.DSL, "Amira Okafor"), (R.HEAD_TEACHER, "Gareth Lloyd"),
                           (R.CHAIR_OF_GOVERNORS, "Sam Patel")):  # fmt: skip
            signing.sign_here(audit_id, role, name)
        result = signing.finalise(audit_id)
        school.service.send_now()
        school.service.refresh_status()
        assert school.service.outbox()[0].acceptance is None  # received, not accepted yet
        record_review(world.database, str(result.submission_id), "officer",
                      ReviewInput("accepted", "", {}))  # fmt: skip
        school.service.refresh_status()
    [entry] = school.service.outbox()
    assert entry.review.status == "accepted"
    record = entry.acceptance
    verify_acceptance(record, app.state.collector_key.public_key_b64,
                      submission_id=str(result.submission_id),
                      envelope_sha256=result.envelope_sha256)  # fmt: skip
    assert record["accepted_at"] == entry.review.review["reviewed_at"]


def test_the_background_check_collects_email_signatures_of_every_sealed_audit(world, smtp, school):
    """What the app's timer runs (`ui/la_news.py`): the chair's signature arrives without the
    DSL opening the sign-off page."""
    app = world.app()
    with live_server(app) as base:
        served_at(app, base)
        signing = enrol(school, world, base)
        audit_id = school.complete_audit()
        signing.seal(audit_id)
        signing.ask_by_email(audit_id, R.CHAIR_OF_GOVERNORS, "Sam Patel", CHAIR)
        assert school.service.store.sealed_audit_ids() == [str(audit_id)]
        assert signing.collect_all().signed == []
        sign_by_emailed_code(world, smtp, CHAIR)
        report = signing.collect_all()
        assert report.signed == ["chair_of_governors"] and report.problems == []
        chair = next(r for r in signing.state(audit_id).roles if r.role is R.CHAIR_OF_GOVERNORS)
        assert chair.state == "signed"

"""Review notices through a real SMTP server: the DSL hears when a return is received (queued in
the ingest's own transaction), accepted or returned for changes; never the answers."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from school_audit.collector.db.tables import OutgoingMail
from school_audit.collector.mail.worker import MailWorker
from school_audit.collector.review.reviewing import ReviewInput, record_review
from tests.collector.factories import enrol_device
from tests.collector_mail.county import CHANGES, NO_ADDRESS, RECEIVED, address, build_county


@pytest.fixture
def county(world):
    built = build_county(world)
    yield built
    built.client.close()


def subjects(smtp, to):
    return [arrived.message["Subject"] for arrived in smtp.inbox.to(to)]


def test_received_then_reviewed_notices_reach_the_dsl_only(county, smtp):
    world = county.world
    record_review(
        world.database, county.submissions[RECEIVED], "olive", ReviewInput("accepted", "", {})
    )
    assert MailWorker(world.database, world.settings).run_once().sent == 4
    assert subjects(smtp, address(CHANGES, "dsl")) == [
        "Received: Birch First School's safeguarding audit 2025-26",
        "Changes needed: Birch First School's safeguarding audit 2025-26",
    ]
    assert subjects(smtp, address(RECEIVED, "dsl")) == [
        "Received: Cedar First School's safeguarding audit 2025-26",
        "Accepted: Cedar First School's safeguarding audit 2025-26",
    ]
    assert smtp.inbox.to(address(CHANGES, "head")) == []
    returned = smtp.inbox.to(address(CHANGES, "dsl"))[1].message
    text = returned.get_body(("plain",)).get_content()
    assert "returned it for changes" in text and "by 27 February 2026" in text
    for arrived in smtp.inbox.arrived:
        assert b"Seen in the minutes" not in arrived.data  # evidence text
        assert b"last training" not in arrived.data  # the reviewer's comment
        assert (
            b"Bearer" not in arrived.data
            and county.submissions[CHANGES].encode() not in arrived.data
        )


def test_a_retry_or_a_refused_return_queues_no_notice_and_no_address_queues_none(county, world):
    def queued():
        with world.database.read() as session:
            return session.scalar(select(func.count()).select_from(OutgoingMail))

    before = queued()
    device = enrol_device(county.client, world, NO_ADDRESS)
    body = device.body(world.template)
    assert (
        county.client.post("/api/v1/submissions", json=body, headers=device.headers).status_code
        == 201
    )
    assert queued() == before  # Fir has no DSL address on file
    other = enrol_device(county.client, world, CHANGES)
    body = other.body(world.template)
    first = county.client.post("/api/v1/submissions", json=body, headers=other.headers)
    assert first.status_code == 201 and queued() == before + 1
    again = county.client.post("/api/v1/submissions", json=body, headers=other.headers)
    assert again.status_code == 200 and queued() == before + 1  # an identical retry
    tampered = {**body, "signature": body["signature"][::-1]}
    assert (
        county.client.post("/api/v1/submissions", json=tampered, headers=other.headers).status_code
        == 422
    )
    assert queued() == before + 1


def test_the_notice_picks_the_dsl_as_the_contacts_do(world):
    from datetime import UTC, datetime

    from school_audit.collector.mail.contacts import recipients, record_bounce, set_contact
    from school_audit.collector.mail.notices import queue_return_notice

    world.add_school("EY400001", name="Little Acorns", setting_type="early_years", phase="early_years",
                     contact_email="acorns@example.org", contact_name="Sam Lee")  # fmt: skip
    world.add_school("400002", name="Elder School")
    with world.database.write() as session:
        set_contact(session, "400002", "dsl", "dsl@elder.example.sch.uk", actor="olive")
        record_bounce(
            session, "400002", "dsl", "dsl@elder.example.sch.uk", "550 no", datetime.now(UTC)
        )
    with world.database.write() as session:
        for urn in ("EY400001", "400002", "999999"):
            expected = [(r.email, r.name) for r in recipients(session, urn, ("dsl",))]
            queued = queue_return_notice(
                session, "accepted", urn=urn, cycle="2025-26", submission_id="x"
            )
            assert queued == bool(expected), urn
        rows = session.scalars(select(OutgoingMail)).all()
    assert [(r.urn, r.to_address) for r in rows] == [("EY400001", "acorns@example.org")]
    assert '"recipient_name": "Sam Lee"' in rows[0].context

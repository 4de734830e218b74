"""The dashboard's Mail page: today's reminder plan and its button, failed mail with the address,
correcting an address (audit-logged, with the officer's name), bulk letters; LA staff only."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from school_audit.collector.db.tables import AuditLogEntry, User
from school_audit.collector.mail.contacts import Recipient
from school_audit.collector.mail.queue import enqueue
from school_audit.collector.mail.worker import MailWorker
from tests.collector_mail.county import CHANGES, NOT_RETURNED, build_county
from tests.collector_web.conftest import USERS, _password_hash, csrf_from, log_in


@pytest.fixture
def county(world):
    built = build_county(world)
    with world.database.write() as session:
        for role, username in USERS.items():
            session.add(User(username=username, role=role, password_hash=_password_hash()))
    yield built
    built.client.close()


@pytest.fixture
def officer(world, county):
    with TestClient(world.app(), base_url="http://testserver") as client:
        yield log_in(client, "la_officer")


def test_the_plan_the_button_and_the_history(officer, world, smtp):
    page = officer.get("/mail")
    assert page.status_code == 200
    assert "Alder First School" in page.text and "Birch First School" in page.text
    assert "final deadline" in page.text and "changes needed" in page.text
    assert "Send today&#39;s reminders (2)" in page.text
    sent = officer.post(
        "/mail/remind", data={"csrf_token": csrf_from(page.text)}, follow_redirects=False
    )
    assert sent.status_code == 303 and sent.headers["location"] == "/mail?reminded=2"
    again = officer.post("/mail/remind", data={"csrf_token": csrf_from(page.text)})
    assert "Reminders queued: 0 setting(s)" in again.text and "Nothing to send today." in again.text
    history = officer.get(f"/mail?urn={NOT_RETURNED}").text
    assert "dsl:dsl@100001.example.sch.uk, head:head@100001.example.sch.uk" in history
    assert CHANGES not in history.split("Reminder history")[1]


def test_failed_mail_shows_the_address_and_an_officer_corrects_it(officer, world, smtp):
    smtp.inbox.refuse["old@100001.example.sch.uk"] = "550 5.1.1 No such user"
    with world.database.write() as session:
        enqueue(
            session, "test", Recipient("dsl", "old@100001.example.sch.uk", ""), {}, urn=NOT_RETURNED
        )
    MailWorker(world.database, world.settings).run_once()
    page = officer.get("/mail")
    assert "old@100001.example.sch.uk" in page.text and "550 5.1.1 No such user" in page.text
    token = csrf_from(page.text)
    bad = officer.post(
        "/mail/contacts",
        data={"csrf_token": token, "urn": NOT_RETURNED, "role": "dsl", "email": "nope"},
    )
    assert bad.status_code == 422 and "is not an email address" in bad.text
    good = officer.post("/mail/contacts", data={"csrf_token": token, "urn": NOT_RETURNED, "role": "dsl",
                                                "email": "new@100001.example.sch.uk"}, follow_redirects=False)  # fmt: skip
    assert good.status_code == 303
    with world.database.read() as session:
        entry = session.scalars(select(AuditLogEntry).where(AuditLogEntry.action == "contact.set")
                                .order_by(AuditLogEntry.id.desc())).first()  # fmt: skip
    assert entry.actor == "olive" and "-> new@100001.example.sch.uk (officer)" in entry.detail


def test_bulk_letters_from_the_page(officer, world, county):
    from school_audit.collector.review.reviewing import ReviewInput, record_review

    record_review(
        world.database, county.submissions["100003"], "olive", ReviewInput("accepted", "", {})
    )
    page = officer.get("/mail")
    done = officer.post("/mail/letters", data={"csrf_token": csrf_from(page.text)})
    assert "Feedback letters queued: 3 message(s)." in done.text


@pytest.mark.parametrize(("role", "status"), [("steering", 403), (None, 303)])
def test_only_la_staff_reach_it(world, county, role, status):
    with TestClient(world.app(), base_url="http://testserver") as client:
        if role:
            log_in(client, role)
        assert client.get("/mail", follow_redirects=False).status_code == status
        assert client.post(
            "/mail/remind", data={"csrf_token": "x"}, follow_redirects=False
        ).status_code in (403, 303)

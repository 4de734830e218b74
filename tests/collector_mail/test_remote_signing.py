"""End to end over real HTTP and a real SMTP server: the app asks for the chair's signature, the
chair follows the emailed link, signs with the emailed code, and the return that carries the
collector's attestation arrives verified."""

from __future__ import annotations

import re

import httpx

from school_audit.collector.mail.worker import MailWorker
from school_audit.domain.seal import content_sha256
from school_audit.signing import verify_attestation
from tests.collector.factories import enrol_device, sign
from tests.collector.live_server import live_server, served_at

CHAIR = "chair@governors.example.org"


def text_of(arrived) -> str:
    return arrived.message.get_body(preferencelist=("plain",)).get_content()


def test_a_chair_signs_by_emailed_link_and_code(world, smtp):
    world.open_cycle()
    app = world.app()
    with live_server(app) as base, httpx.Client(base_url=base, timeout=10) as http:
        served_at(app, base)
        device = enrol_device(http, world)
        envelope = device.envelope(world.template)
        asked = http.post("/api/v1/sign-off-requests", headers=device.headers, json={
            "cycle": envelope["cycle"], "content_sha256": content_sha256(envelope), "role": "chair_of_governors",
            "name": "Sam Patel", "email": CHAIR,
            "summary": {"statutory_not_met": [], "overdue_actions": 0, "warnings": ["One warning"]},
        })  # fmt: skip
        assert asked.status_code == 201, asked.text
        assert MailWorker(world.database, world.settings).run_once().sent >= 1
        (invitation,) = smtp.inbox.to(CHAIR)
        assert "Please sign: Hollybank First School" in invitation.message["Subject"]
        link = re.search(r"(http://\S+/sign/\S+)", text_of(invitation)).group(1)
        assert link.startswith(base)

        with httpx.Client(timeout=10) as browser:  # the chair's own browser: no log-in
            page = browser.get(link)
            assert page.status_code == 200 and "One warning" in page.text
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
            assert browser.post(f"{link}/code", data={"csrf_token": token}).status_code == 200
            MailWorker(world.database, world.settings).run_once()
            code_mail = smtp.inbox.to(CHAIR)[-1]
            code = re.search(r"\b(\d{6})\b", code_mail.message["Subject"]).group(1)
            assert code in text_of(code_mail)
            signed = browser.post(f"{link}/confirm", data={"csrf_token": token, "code": code})
            assert signed.status_code == 200 and "you have signed" in signed.text

        status = http.get(f"/api/v1/sign-off-requests/{asked.json()['request_id']}",
                          headers=device.headers).json()  # fmt: skip
        attestation = status["attestation"]
        collector_key = http.get("/api/v1/templates", headers=device.headers)  # still enrolled
        assert collector_key.status_code == 200
        verify_attestation(attestation, content_sha256=content_sha256(envelope),
                           role="chair_of_governors", name="Sam Patel",
                           public_key_b64=app.state.collector_key.public_key_b64)  # fmt: skip
        envelope["sign_off"].append({"role": "chair_of_governors", "name": "Sam Patel",
                                     "statement": "As chair, I confirm.",
                                     "signed_at": attestation["verified_at"],
                                     "attestation": attestation})  # fmt: skip
        sent = http.post(
            "/api/v1/submissions", json=sign(envelope, device.key), headers=device.headers
        )
        assert sent.status_code == 201 and sent.json()["receipt"]["status"] == "received"


def test_the_link_and_the_code_leave_the_mail_queue_once_sent(world, smtp):
    """A database reader must not be able to sign as the chair from the kept messages."""
    import json

    from sqlalchemy import select

    from school_audit.collector.db.tables import OutgoingMail, SignOffRequest
    from school_audit.collector.db.types import utc_now
    from school_audit.collector.sign_off_requests import by_link, send_code

    world.open_cycle()
    app = world.app()
    with live_server(app) as base, httpx.Client(base_url=base, timeout=10) as http:
        served_at(app, base)
        device = enrol_device(http, world)
        envelope = device.envelope(world.template)
        asked = http.post("/api/v1/sign-off-requests", headers=device.headers, json={
            "cycle": envelope["cycle"], "content_sha256": content_sha256(envelope),
            "role": "chair_of_governors", "name": "Sam Patel", "email": CHAIR,
        })  # fmt: skip
        assert asked.status_code == 201
    with world.database.write() as session:
        queued = session.scalars(select(OutgoingMail.context)).one()
        assert "sign_link" in json.loads(queued)  # needed until it is sent
        send_code(session, session.scalars(select(SignOffRequest)).one(), utc_now())
    assert MailWorker(world.database, world.settings).run_once().sent == 2
    link = re.search(r"(http://\S+/sign/\S+)", text_of(smtp.inbox.to(CHAIR)[0])).group(1)
    with world.database.read() as session:
        rows = session.execute(select(OutgoingMail.raw, OutgoingMail.context)).all()
        assert [raw for raw, _ in rows] == [None, None]
        kept = " ".join(context for _, context in rows)
        assert link.rsplit("/", 1)[1] not in kept and '"code"' not in kept
        assert "sign_link" not in kept
        assert by_link(session, link.rsplit("/", 1)[1], utc_now()) is not None  # still usable

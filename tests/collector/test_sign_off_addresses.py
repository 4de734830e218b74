"""The officer sees where each remote signature's link and code went, and a flag when that is not
the address the LA holds for the role (a device could name anyone's address): shown, never
quarantined, because the LA's contact list may be incomplete."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from school_audit.collector.db.tables import OutgoingMail, User
from school_audit.collector.mail.contacts import set_contact
from school_audit.collector.web import passwords
from school_audit.domain.seal import content_sha256
from tests.collector.factories import sign

API = "/api/v1/sign-off-requests"
PASSWORD = "correct horse battery"
FLAG = "an address the LA does not hold for this role"


@pytest.fixture(autouse=True)
def cycle_open(world):
    return world.open_cycle()


@pytest.fixture
def officer(world):
    with world.database.write() as session:
        session.add(User(username="olive", role="la_officer",
                         password_hash=passwords.hash_password(PASSWORD)))  # fmt: skip
        set_contact(session, "123456", "chair", "Chair@Example.org", actor="officer olive",
                    name="Sam Patel")  # fmt: skip


def log_in(client) -> None:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    done = client.post("/login", data={"username": "olive", "password": PASSWORD,
                                       "csrf_token": token}, follow_redirects=False)  # fmt: skip
    assert done.status_code == 303, done.text


def signed_remotely(client, world, device, email: str) -> str:
    """The chair asked at `email`, signs with the emailed code; the return is sent. Its id."""
    envelope = device.envelope(world.template)
    created = client.post(API, headers=device.headers, json={
        "cycle": envelope["cycle"], "content_sha256": content_sha256(envelope),
        "role": "chair_of_governors", "name": "Sam Patel", "email": email})  # fmt: skip
    assert created.status_code == 201, created.text
    with world.database.read() as session:
        facts = json.loads(session.scalars(select(OutgoingMail.context)).all()[-1])
    path = re.sub(r"^https?://[^/]+", "", facts["sign_link"])
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text).group(1)
    client.post(f"{path}/code", data={"csrf_token": token})
    with world.database.read() as session:
        code = json.loads(session.scalars(select(OutgoingMail.context)).all()[-1])["code"]
    signed = client.post(f"{path}/confirm", data={"csrf_token": token, "code": code})
    assert signed.status_code == 200, signed.text
    attestation = client.get(f"{API}/{created.json()['request_id']}", headers=device.headers).json()["attestation"]
    envelope["sign_off"].append({"role": "chair_of_governors", "name": "Sam Patel", "statement": "s",
                                 "signed_at": attestation["verified_at"], "attestation": attestation})  # fmt: skip
    sent = client.post("/api/v1/submissions", json=sign(envelope, device.key), headers=device.headers)
    receipt = sent.json()["receipt"]
    assert receipt["status"] == "received", receipt  # a flag, never a quarantine
    return receipt["submission_id"]


def signatures_section(html: str) -> str:
    return html.split('id="signatures-heading"')[1].split("</table>")[0]


def test_a_code_sent_to_another_address_is_shown_and_flagged(client, world, device, officer):
    submission_id = signed_remotely(client, world, device, "dsl.own@example.org")
    log_in(client)
    section = signatures_section(client.get(f"/returns/{submission_id}").text)
    assert "Link and code sent to" in section
    assert '<span class="code-address">dsl.own@example.org</span>' in section
    assert "Not the LA&#39;s contact" in section
    assert ("The code for the chair of governors was sent to dsl.own@example.org, "
            f"{FLAG}.") in section  # fmt: skip


def test_the_las_own_chair_address_is_shown_and_not_flagged(client, world, device, officer):
    submission_id = signed_remotely(client, world, device, "chair@example.org")
    log_in(client)
    section = signatures_section(client.get(f"/returns/{submission_id}").text)
    assert '<span class="code-address">chair@example.org</span>' in section
    assert "The LA&#39;s contact" in section
    assert FLAG not in section and "Not the LA&#39;s contact" not in section

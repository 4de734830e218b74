"""Remote signing by email code: the app asks, the collector emails a single-use link, the
signatory reads the summary and signs with a code sent to the same address (or declines), and
the collector's attestation verifies offline and arrives verified with the return."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from school_audit.collector.db.tables import OutgoingMail, SignOffRequest
from school_audit.domain.seal import content_sha256
from school_audit.signing import verify_attestation
from tests.collector.factories import sign

API = "/api/v1/sign-off-requests"


@pytest.fixture(autouse=True)
def cycle_open(world):
    """Remote signing is only asked for a cycle the collector has open."""
    return world.open_cycle()


def ask(client, device, envelope, **changes):
    body = {"cycle": envelope["cycle"], "content_sha256": content_sha256(envelope), "role": "chair_of_governors",
            "name": "Sam Patel", "email": "chair@example.org",
            "summary": {"statutory_not_met": ["A2: Link governor appointed"], "overdue_actions": 1}}  # fmt: skip
    body.update(changes)
    response = client.post(API, json=body, headers=device.headers)
    assert response.status_code == 201, response.text
    return response.json()


def mails(world, kind):
    with world.database.read() as session:
        rows = session.scalars(select(OutgoingMail).where(OutgoingMail.kind == kind)).all()
        return [(row.to_address, json.loads(row.context)) for row in rows]


def link_path(world) -> str:
    ((address, facts),) = mails(world, "sign_off_request")
    assert address == "chair@example.org"
    return re.sub(r"^https?://[^/]+", "", facts["sign_link"])


def form_token(page) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def test_a_chair_signs_remotely_and_the_return_arrives_verified(client, world, device):
    envelope = device.envelope(world.template)
    created = ask(client, device, envelope)
    assert created["status"] == "pending" and "attestation" not in created
    path = link_path(world)
    page = client.get(path)
    assert page.status_code == 200
    assert "A2: Link governor appointed" in page.text and content_sha256(envelope) in page.text
    token = form_token(page)
    sent = client.post(f"{path}/code", data={"csrf_token": token})
    assert sent.status_code == 200 and "A code is on its way" in sent.text
    ((address, facts),) = mails(world, "sign_off_code")
    assert address == "chair@example.org" and re.fullmatch(r"\d{6}", facts["code"])
    wrong = client.post(f"{path}/confirm", data={"csrf_token": token, "code": "not it"})
    assert wrong.status_code == 400 and "not right" in wrong.text
    signed = client.post(f"{path}/confirm", data={"csrf_token": token, "code": facts["code"]})
    assert signed.status_code == 200 and "you have signed" in signed.text
    assert client.get(path).status_code == 404  # single use
    status = client.get(f"{API}/{created['request_id']}", headers=device.headers).json()
    assert status["status"] == "signed"
    attestation = status["attestation"]
    verify_attestation(attestation, content_sha256=content_sha256(envelope), role="chair_of_governors",
                       name="Sam Patel", public_key_b64=client.app.state.collector_key.public_key_b64)  # fmt: skip
    envelope["sign_off"].append({"role": "chair_of_governors", "name": "Sam Patel",
                                 "statement": "As chair, I confirm.",
                                 "signed_at": attestation["verified_at"], "attestation": attestation})  # fmt: skip
    response = client.post(
        "/api/v1/submissions", json=sign(envelope, device.key), headers=device.headers
    )
    assert response.status_code == 201
    assert response.json()["receipt"]["status"] == "received"


def test_a_changed_answer_after_the_signature_voids_it(client, world, device):
    """The attestation is bound to the content: an answer changed afterwards is quarantined."""
    envelope = device.envelope(world.template)
    created = ask(client, device, envelope)
    path = link_path(world)
    token = form_token(client.get(path))
    client.post(f"{path}/code", data={"csrf_token": token})
    ((_, facts),) = mails(world, "sign_off_code")
    client.post(f"{path}/confirm", data={"csrf_token": token, "code": facts["code"]})
    attestation = client.get(f"{API}/{created['request_id']}", headers=device.headers).json()[
        "attestation"
    ]
    envelope["responses"][0]["evidence"] = "Changed after the chair signed."
    envelope["sign_off"].append({"role": "chair_of_governors", "name": "Sam Patel", "statement": "s",
                                 "signed_at": attestation["verified_at"], "attestation": attestation})  # fmt: skip
    receipt = client.post(
        "/api/v1/submissions", json=sign(envelope, device.key), headers=device.headers
    ).json()["receipt"]
    assert receipt["status"] == "quarantined"
    assert (
        "attestation_reused: the attestation for the chair of governors"
        in receipt["quarantine_reason"]
    )


def test_a_signatory_may_decline_with_a_comment_the_app_sees(client, world, device):
    created = ask(client, device, device.envelope(world.template))
    path = link_path(world)
    token = form_token(client.get(path))
    empty = client.post(f"{path}/decline", data={"csrf_token": token, "comment": " "})
    assert empty.status_code == 400
    done = client.post(
        f"{path}/decline", data={"csrf_token": token, "comment": "Section C is wrong."}
    )
    assert done.status_code == 200 and "declined" in done.text
    status = client.get(f"{API}/{created['request_id']}", headers=device.headers).json()
    assert status["status"] == "declined" and status["comment"] == "Section C is wrong."


def test_forms_without_the_page_token_change_nothing(client, world, device):
    ask(client, device, device.envelope(world.template))
    path = link_path(world)
    client.get(path)
    refused = client.post(f"{path}/decline", data={"csrf_token": "forged", "comment": "x"})
    assert refused.status_code == 403
    with world.database.read() as session:
        assert session.scalars(select(SignOffRequest.status)).all() == ["pending"]


def test_the_app_can_cancel_and_others_cannot_see_it(client, world, device, other_device):
    created = ask(client, device, device.envelope(world.template))
    url = f"{API}/{created['request_id']}"
    assert client.get(url, headers=other_device.headers).status_code == 404
    assert client.delete(url, headers=other_device.headers).status_code == 404
    cancelled = client.delete(url, headers=device.headers)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = client.delete(url, headers=device.headers)
    assert again.status_code == 409 and again.json()["error"]["code"] == "request_finished"
    assert client.get(link_path(world)).status_code == 404
    assert client.get(url).status_code == 401  # device-token authenticated


def test_bad_requests_get_the_api_error_shape(client, world, device):
    response = client.post(API, json={"cycle": "2025-26", "content_sha256": "x", "role": "chair_of_governors",
                                      "name": "A", "email": "a@example.org"}, headers=device.headers)  # fmt: skip
    assert response.status_code == 422 and "error" in response.json()

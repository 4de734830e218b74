"""Remote signing cannot be turned against the LA's mail relay: the emailed link starts with the
collector's configured public address (never the Host a request named), a request is only for an
open cycle, there are limits per setting and per device, and a name is one line."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import select

from school_audit.collector import sign_off_requests as requests
from school_audit.collector.app import create_app
from school_audit.collector.db.tables import OutgoingMail, SignOffRequest
from school_audit.collector.settings import CollectorSettings
from school_audit.domain.seal import content_sha256
from tests.collector.factories import PUBLIC_URL

API = "/api/v1/sign-off-requests"


@pytest.fixture(autouse=True)
def cycle_open(world):
    return world.open_cycle()


def body(device, world, **changes):
    envelope = device.envelope(world.template)
    value = {"cycle": envelope["cycle"], "content_sha256": content_sha256(envelope),
             "role": "chair_of_governors", "name": "Sam Patel", "email": "chair@example.org"}  # fmt: skip
    return {**value, **changes}


def queued(world) -> list[dict]:
    with world.database.read() as session:
        rows = session.scalars(select(OutgoingMail.context).order_by(OutgoingMail.id)).all()
        return [json.loads(row) for row in rows]


def requests_kept(world) -> int:
    with world.database.read() as session:
        return len(session.scalars(select(SignOffRequest.request_id)).all())


def test_a_forged_host_header_does_not_reach_the_emailed_link(client, world, device):
    headers = {**device.headers, "Host": "phish.example", "X-Forwarded-Host": "phish.example"}
    created = client.post(API, json=body(device, world), headers=headers)
    assert created.status_code == 201, created.text
    (facts,) = queued(world)
    assert facts["sign_link"].startswith(PUBLIC_URL + "/sign/")
    assert "phish" not in json.dumps(facts)


def test_without_a_public_address_no_request_is_made(world, device):
    settings = world.settings.model_copy(update={"public_url": ""})
    with TestClient(create_app(settings, database=world.database)) as bare:
        refused = bare.post(API, json=body(device, world), headers=device.headers)
    assert refused.status_code == 503
    error = refused.json()["error"]
    assert error["code"] == "public_address_missing"
    assert "has not set the collector's public address for links" in error["message"]
    assert queued(world) == [] and requests_kept(world) == 0


@pytest.mark.parametrize("value", ["phish.example", "javascript:alert(1)", "https://a.example/?x=1",
                                   "https://user@a.example", "ftp://a.example"])  # fmt: skip
def test_a_public_address_that_is_not_a_web_address_is_refused(value):
    with pytest.raises(ValidationError, match="public_url must be the collector's web address"):
        CollectorSettings(public_url=value)


def test_the_public_address_loses_its_trailing_slash():
    assert CollectorSettings(public_url="https://a.example/audit/").public_url == "https://a.example/audit"


def test_only_for_a_cycle_the_collector_has_open(client, world, device):
    refused = client.post(API, json=body(device, world, cycle="2031-32"), headers=device.headers)
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "cycle_not_open"
    assert "no open cycle 2031-32" in refused.json()["error"]["message"]
    assert queued(world) == [] and requests_kept(world) == 0


def test_at_most_ten_open_requests_per_setting(client, world, device, other_device):
    made = []
    for number in range(requests.MAX_OPEN_PER_ESTABLISHMENT):
        reply = client.post(API, json=body(device, world, email=f"p{number}@example.org"),
                            headers=device.headers)  # fmt: skip
        assert reply.status_code == 201, reply.text
        made.append(reply.json()["request_id"])
    refused = client.post(API, json=body(device, world), headers=device.headers)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert refused.json()["error"]["code"] == "rate_limited"
    assert "already has 10 sign-off requests waiting" in refused.json()["error"]["message"]
    assert len(queued(world)) == 10  # the refused one sent nothing
    other = client.post(API, json=body(other_device, world), headers=other_device.headers)
    assert other.status_code == 201  # another setting is not held back
    assert client.delete(f"{API}/{made[0]}", headers=device.headers).status_code == 200
    assert client.post(API, json=body(device, world), headers=device.headers).status_code == 201


def test_at_most_thirty_new_requests_per_device_per_day(client, world, device):
    for number in range(requests.MAX_NEW_PER_DEVICE_PER_DAY):
        reply = client.post(API, json=body(device, world, email=f"p{number}@example.org"),
                            headers=device.headers)  # fmt: skip
        assert reply.status_code == 201, reply.text
        client.delete(f"{API}/{reply.json()['request_id']}", headers=device.headers)
    refused = client.post(API, json=body(device, world), headers=device.headers)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    wait = int(refused.headers["Retry-After"])
    assert 23 * 3600 < wait <= 24 * 3600 + 1
    with world.database.write() as session:  # a day later the oldest no longer count
        for row in session.scalars(select(SignOffRequest)):
            row.created_at -= timedelta(days=1, minutes=1)
    assert client.post(API, json=body(device, world), headers=device.headers).status_code == 201


def test_a_name_with_line_breaks_becomes_one_line(client, world, device):
    sneaky = "Sam Patel\r\nBcc: victim@example.org\u2028\x1bMore"
    reply = client.post(API, json=body(device, world, name=sneaky), headers=device.headers)
    assert reply.status_code == 201, reply.text
    assert reply.json()["name"] == "Sam Patel Bcc: victim@example.org More"
    with world.database.read() as session:
        assert session.scalars(select(SignOffRequest.name)).one() == reply.json()["name"]
    only_controls = client.post(API, json=body(device, world, name="\r\n\t"), headers=device.headers)
    assert only_controls.status_code == 422
    assert only_controls.json()["error"]["code"] == "schema_invalid"

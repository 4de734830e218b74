"""POST /enrolments: single-use expiring codes that cannot be probed, and rate limits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from school_audit.collector.db.tables import Device, EnrolmentCode
from school_audit.collector.devices import secret_hash
from school_audit.collector.enrolment import enrol, normalise_code
from school_audit.signing import SignatureInvalid, SigningKey

URL = "/api/v1/enrolments"


def request_body(code: str, key: SigningKey | None = None) -> dict[str, str]:
    key = key or SigningKey.generate()
    return {"code": code, "public_key": key.public_key_b64, "device_name": "DSL laptop"}


def test_a_code_enrols_a_device_once_and_the_token_works(client, world):
    code = world.issue("123456")
    key = SigningKey.generate()
    response = client.post(URL, json=request_body(code, key))
    assert response.status_code == 201
    data = response.json()
    assert data["device_key_id"] == key.key_id
    assert data["establishment"]["urn"] == "123456"
    assert data["establishment"]["setting_type"] == "school"
    assert data["collector_public_key"] == client.app.state.collector_key.public_key_b64
    templates = client.get(
        "/api/v1/templates", headers={"Authorization": f"Bearer {data['token']}"}
    )
    assert [t["id"] for t in templates.json()] == [world.template.id]
    with world.database.read() as session:
        device = session.get(Device, data["device_id"])
        codes = session.scalars(select(EnrolmentCode)).all()
    assert device.token_hash == secret_hash(data["token"])  # only the hash is kept
    assert data["token"] not in {device.token_hash, device.public_key}
    assert codes[0].used_at is not None
    assert codes[0].code_hash == secret_hash(normalise_code(code))


def test_codes_are_typed_forgivingly(client, world):
    code = world.issue("123456")
    assert client.post(URL, json=request_body(code.lower().replace("-", " "))).status_code == 201


def test_unknown_used_and_expired_codes_get_the_same_answer(client, world):
    used = world.issue("123456")
    assert client.post(URL, json=request_body(used)).status_code == 201
    expired = world.issue("123456")
    with world.database.write() as session:
        row = session.scalar(
            select(EnrolmentCode).where(
                EnrolmentCode.code_hash == secret_hash(normalise_code(expired))
            )
        )
        row.expires_at = row.created_at - timedelta(seconds=1)
    answers = [
        client.post(URL, json=request_body(code)) for code in ("AAAA-BBBB-CCCC-DDDD", used, expired)
    ]
    assert {a.status_code for a in answers} == {404}
    assert len({a.text for a in answers}) == 1
    assert answers[0].json()["error"]["code"] == "enrolment_code_invalid"


@pytest.mark.parametrize(
    "public_key",
    [
        "",
        "not base64!",
        "AAAA",
        "A" * 44,
        SigningKey.generate().public_key_b64 + "=",
        "A" * 42 + "B",
    ],
)
def test_a_malformed_public_key_is_422(client, world, public_key):
    body = {"code": world.issue("123456"), "public_key": public_key, "device_name": "x"}
    response = client.post(URL, json=body)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "schema_invalid"


def test_a_key_cannot_be_enrolled_twice(client, world):
    key = SigningKey.generate()
    assert client.post(URL, json=request_body(world.issue("123456"), key)).status_code == 201
    again = client.post(URL, json=request_body(world.issue("123456"), key))
    assert again.status_code == 409


def test_guessing_from_one_address_is_rate_limited(client, world):
    limit = world.settings.enrol_rate_per_ip
    answers = [
        client.post(URL, json=request_body(f"WRONG{i:04d}")).status_code for i in range(limit)
    ]
    assert answers == [404] * limit
    blocked = client.post(URL, json=request_body(world.issue("123456")))  # even a good code waits
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    assert blocked.json()["error"]["code"] == "rate_limited"


def test_one_code_tried_too_often_is_rate_limited(client, world):
    code = world.issue("123456")
    assert client.post(URL, json=request_body(code)).status_code == 201
    limit = world.settings.enrol_rate_per_code
    statuses = [client.post(URL, json=request_body(code)).status_code for _ in range(limit)]
    assert statuses[: limit - 1] == [404] * (limit - 1)
    assert statuses[-1] == 429


def test_the_limiter_forgets_after_the_window():
    from school_audit.collector.api.ratelimit import SlidingWindowLimiter

    now = [1000.0]
    limiter = SlidingWindowLimiter(2, 60, clock=lambda: now[0])
    limiter.record("a")
    limiter.record("a")
    assert limiter.retry_after("a") == 60
    assert limiter.retry_after("b") is None
    now[0] += 61
    assert limiter.retry_after("a") is None


def test_one_code_used_by_racing_devices_enrols_exactly_one(client, world):
    from concurrent.futures import ThreadPoolExecutor

    code = world.issue("123456")
    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = list(
            pool.map(lambda _: client.post(URL, json=request_body(code)).status_code, range(4))
        )
    assert sorted(statuses) == [201, 404, 404, 404]
    with world.database.read() as session:
        assert len(session.scalars(select(Device)).all()) == 1


@pytest.mark.parametrize(
    "weak_key",
    [
        "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",  # the neutral point
        "7P_______________________________________38",  # order 2
        "xxdqcD1N2E-6PAt2DRBnDyogU_osOczGTsf9d5KsA3o",  # order 8
        "7v_______________________________________38",  # y = p + 1: the neutral point again
    ],
)
def test_a_weak_public_key_is_refused_and_the_code_stays_usable(client, world, weak_key):
    code = world.issue("123456")
    response = client.post(URL, json={"code": code, "public_key": weak_key, "device_name": "PC"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "schema_invalid"
    assert error["message"].startswith("public_key: this is")
    assert "Ed25519" in error["message"]
    with world.database.read() as session:
        assert session.scalars(select(Device)).all() == []
    assert client.post(URL, json=request_body(code)).status_code == 201


def test_enrol_itself_refuses_a_weak_key_for_callers_other_than_the_api(world):
    code = world.issue("123456")
    with pytest.raises(SignatureInvalid, match="weak Ed25519 key"), world.database.write() as s:
        enrol(s, code, "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "PC")
    with world.database.read() as session:
        assert session.scalars(select(Device)).all() == []

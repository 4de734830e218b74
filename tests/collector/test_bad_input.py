"""Hostile and broken input: always a 4xx in the error shape, never a 5xx, never a stored row."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from school_audit.collector.db.tables import Submission

SUBMISSIONS = "/api/v1/submissions"
ENROLMENTS = "/api/v1/enrolments"
JSON = {"Content-Type": "application/json"}


def assert_error(
    response, status: int | None = None, code: str | None = None, case: str = ""
) -> None:
    assert 400 <= response.status_code < 500, (case, response.status_code, response.text[:300])
    if status is not None:
        assert response.status_code == status, (case, response.text[:300])
    error = response.json()["error"]
    assert set(error) == {"code", "message"}
    assert "Traceback" not in error["message"]
    if code is not None:
        assert error["code"] == code


def raw_bodies(valid: dict) -> dict[str, bytes]:
    """Broken variants of a valid body, as bytes (some cannot be made with json.dumps)."""
    text = json.dumps(valid)
    return {
        "not json": b"{this is not json",
        "truncated": text[: len(text) // 2].encode(),
        "not utf-8": b'{"signature": "\xff\xfe"}',
        "duplicate key": text.replace(
            '{"envelope": ', '{"signature": "x", "envelope": ', 1
        ).encode(),
        "nul in a string": text.replace('"met"', '"me\\u0000t"', 1).encode(),
        "lone surrogate": text.replace('"Alex Morgan"', '"\\ud800"', 1).encode(),
        "deep nesting": b"[" * 10_000 + b"]" * 10_000,
        "deep objects": b'{"a":' * 10_000 + b"1" + b"}" * 10_000,
        "huge integer": text.replace('"revision": 1', '"revision": 1' + "0" * 5000, 1).encode(),
        "big integer": text.replace(
            '"revision": 1', '"revision": 99999999999999999999', 1
        ).encode(),
        "huge float": text.replace('"revision": 1', '"revision": 1e400', 1).encode(),
        "NaN": text.replace('"revision": 1', '"revision": NaN', 1).encode(),
        "array body": b"[1, 2, 3]",
        "string body": b'"hello"',
        "null body": b"null",
        "empty body": b"",
        "empty object": b"{}",
    }


def typed_variants(body: dict) -> dict[str, dict]:
    """Well-formed JSON with the wrong shape or values."""

    def envelope_with(**changes):
        return {**body, "envelope": {**body["envelope"], **changes}}

    first_action = {
        "action_id": "not-a-uuid",
        "standard_id": "A1",
        "description": "d",
        "owner_role": "DSL",
        "target_date": "2026-01-01",
        "status": "not_started",
    }
    return {
        "revision as text": envelope_with(revision="one"),
        "revision zero": envelope_with(revision=0),
        "bad format": envelope_with(format="something/else"),
        "bad uuid": envelope_with(submission_id="123"),
        "date out of range": envelope_with(signed_at="99999-12-31T00:00:00Z"),
        "impossible date": envelope_with(signed_at="2026-02-30T10:00:00Z"),
        "action date out of range": envelope_with(
            actions=[
                {
                    **first_action,
                    "action_id": "6f1c1a3e-2b9a-4a55-9a39-8f0f2d6d1e11",
                    "target_date": "0000-01-01",
                }
            ]
        ),
        "bad action id": envelope_with(actions=[first_action]),
        "responses not a list": envelope_with(responses={"A1": "met"}),
        "no sign-off": envelope_with(sign_off=[]),
        "unknown rating": envelope_with(
            responses=[{"standard_id": "A1", "rating": "brilliant", "evidence": ""}]
        ),
        "establishment a string": envelope_with(establishment="123456"),
        "signature a number": {**body, "signature": 12345},
        "signature missing": {"envelope": body["envelope"]},
        "envelope missing": {"signature": body["signature"]},
        "huge signature": {**body, "signature": "A" * 100_000},
        "unknown field added after signing": envelope_with(extra_field="surprise"),
    }


def stored_count(world) -> int:
    with world.database.read() as session:
        return session.scalar(select(func.count()).select_from(Submission))


def test_broken_submission_bytes_are_refused_with_4xx(client, world, device):
    for name, raw in raw_bodies(device.body(world.template)).items():
        response = client.post(SUBMISSIONS, content=raw, headers={**JSON, **device.headers})
        assert_error(response, 422, case=name)
    assert stored_count(world) == 0


def test_wrong_shapes_and_values_are_refused_with_422(client, world, device):
    for name, body in typed_variants(device.body(world.template)).items():
        response = client.post(SUBMISSIONS, json=body, headers=device.headers)
        assert_error(response, 422, case=name)
        assert response.json()["error"]["code"] in {"schema_invalid", "signature_invalid"}, name
    assert stored_count(world) == 0


def test_broken_enrolment_bytes_are_refused_with_4xx(client, world):
    valid = {"code": world.issue("123456"), "public_key": "A" * 43, "device_name": "x"}
    for name, raw in raw_bodies(
        {"envelope": {"revision": 1, "name": "Alex Morgan", "r": "met"}, "signature": "s", **valid}
    ).items():
        assert_error(client.post(ENROLMENTS, content=raw, headers=JSON), 422, case=name)
    for wrong in (
        {"code": 5, "public_key": [], "device_name": None},
        {"code": "x" * 1000, "public_key": "A", "device_name": "d"},
    ):
        assert_error(client.post(ENROLMENTS, json=wrong), 422)


def test_a_body_over_the_limit_is_413_whether_declared_or_streamed(client, world, device):
    limit = world.settings.body_limit_bytes
    declared = client.post(
        SUBMISSIONS, content=b" " * (limit + 1), headers={**JSON, **device.headers}
    )
    assert_error(declared, 413, "payload_too_large")

    def chunks():  # no Content-Length: the size is only known while reading
        for _ in range(limit // 65536 + 2):
            yield b" " * 65536

    streamed = client.post(SUBMISSIONS, content=chunks(), headers={**JSON, **device.headers})
    assert "content-length" not in {k.lower() for k in streamed.request.headers}
    assert_error(streamed, 413, "payload_too_large")


def test_a_body_just_under_the_limit_is_read(client, world, device):
    body = device.body(world.template)
    raw = json.dumps(body).encode()
    padded = raw + b" " * (world.settings.body_limit_bytes - len(raw))
    response = client.post(SUBMISSIONS, content=padded, headers={**JSON, **device.headers})
    assert response.status_code == 201


def test_anything_but_json_is_415(client, world, device):
    raw = json.dumps(device.body(world.template)).encode()
    for content_type in (
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        None,
    ):
        headers = dict(device.headers)
        if content_type:
            headers["Content-Type"] = content_type
        response = client.post(SUBMISSIONS, content=raw, headers=headers)
        assert_error(response, 415, "unsupported_media_type")
    assert_error(
        client.post(ENROLMENTS, content=b"code=x", headers={"Content-Type": "text/plain"}), 415
    )


def test_json_with_a_charset_is_fine(client, world, device):
    raw = json.dumps(device.body(world.template)).encode()
    headers = {**device.headers, "Content-Type": "application/json; charset=utf-8"}
    assert client.post(SUBMISSIONS, content=raw, headers=headers).status_code == 201


def test_framework_errors_use_the_error_shape(client, device):
    assert_error(client.get("/api/v1/nowhere"), 404, "not_found")
    assert_error(client.delete(SUBMISSIONS, headers=device.headers), 405, "method_not_allowed")
    assert_error(
        client.get(f"{SUBMISSIONS}/not-a-uuid", headers=device.headers), 422, "schema_invalid"
    )
    assert_error(client.get("/api/v1/templates", headers={"Authorization": "Basic abc"}), 401)


def test_an_unexpected_failure_is_a_plain_500(client, monkeypatch, world, device):
    def explode(*_args, **_kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("school_audit.collector.ingest.service.Ingestor.ingest", explode)
    response = client.post(SUBMISSIONS, json=device.body(world.template), headers=device.headers)
    assert response.status_code == 500
    assert response.json() == {
        "error": {"code": "internal_error", "message": "Something went wrong on the collector."}
    }


def test_no_page_loads_scripts_from_the_internet(client):
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404
    assert "/api/v1/submissions" in client.get("/openapi.json").json()["paths"]

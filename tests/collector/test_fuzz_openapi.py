"""Fuzz every operation of the OpenAPI description (schemathesis): no input may cause a 5xx.

Each operation gets valid (positive) and invalid (negative) generated requests, sent with a real
device token so they reach past authentication, on SQLite and PostgreSQL. Bounded for CI.
(Schemathesis's pytest plugin does not run under pytest 9, so its strategies drive Hypothesis here.)
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode

from tests.collector.factories import CollectorWorld, enrol_device

EXAMPLES_PER_OPERATION = 15


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def fuzz_target(request, tmp_path_factory):
    url = None
    if request.param == "postgres":
        url = request.getfixturevalue("pg_server").fresh_collector_database()
    world = CollectorWorld.create(tmp_path_factory.mktemp("fuzz"), url)
    world.add_school("123456")
    app = world.app()
    from fastapi.testclient import TestClient

    with TestClient(app) as client:
        device = enrol_device(client, world)
    yield app, device
    world.database.dispose()


def operations(app):
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).include(path_regex="^/api/")
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize(
    "mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value
)
def test_no_input_causes_a_server_error(fuzz_target, mode):
    app, device = fuzz_target
    found = operations(app)
    assert {op.path for op in found} >= {
        "/api/v1/enrolments",
        "/api/v1/submissions",
        "/api/v1/templates",
    }
    for operation in found:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            response = case.call(headers={**(case.headers or {}), **device.headers})
            assert response.status_code < 500, (
                case.method,
                case.path,
                response.status_code,
                response.text[:300],
            )
            if response.status_code >= 400:
                assert set(response.json()["error"]) == {"code", "message"}

        try:
            check()
        except Unsatisfiable:
            # Nothing to make invalid (no parameters, no body): the positive run covers it.
            assert (
                mode is GenerationMode.NEGATIVE
                and not operation.body
                and not operation.path_parameters
            )

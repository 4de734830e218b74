"""The API reads an envelope strictly, as ARCHITECTURE §4.1 writes it: a value that merely converts
to the right type ("1" for 1, "yes" for true, 0 for a date) is refused with 422 schema_invalid and
nothing is stored; so is a submission id in any form but the canonical one that the receipt names.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import func, select

from school_audit.collector.db.tables import Submission
from tests.collector.factories import sign

URL = "/api/v1/submissions"
ACTION = {
    "action_id": "3f1c2a4e-8b7d-4c6e-9a5f-1e2d3c4b5a69",
    "standard_id": "A1",
    "description": "Update the policy.",
    "owner_role": "DSL",
    "target_date": "2026-03-31",
    "status": "not_started",
    "support_requested": False,
}
UPPER = "6B3A5B7C-1111-4111-8111-111111111111"


def _set(envelope: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    place = envelope
    for key in path[:-1]:
        place = place[key]
    place[path[-1]] = value


CASES = [
    (("revision",), "1", "revision: Input should be a valid integer"),
    (("revision",), True, "revision: Input should be a valid integer"),
    (("revision",), 1.0, "revision: Input should be a valid integer"),
    (("signed_at",), 1764585015, "signed_at: Value error, must be an RFC 3339 time"),
    (("signed_at",), "2025-12-01 10:30:15Z", "signed_at: Value error, must be an RFC 3339"),
    (("sign_off", 0, "signed_at"), "2025-12-01", "sign_off.0.signed_at: Value error, must be an"),
    (("actions", 0, "target_date"), 0, "actions.0.target_date: Value error, must be a date"),
    (("actions", 0, "target_date"), "2026-03-31T00:00:00", "actions.0.target_date: Value error"),
    (("actions", 0, "support_requested"), "yes", "actions.0.support_requested: Input should be"),
    (("actions", 0, "support_requested"), 1, "actions.0.support_requested: Input should be a"),
    (("actions", 0, "action_id"), ACTION["action_id"].upper(), "actions.0.action_id: Value err"),
    (("establishment", "flags", "has_eyfs"), "true", "establishment.flags.has_eyfs: Input shou"),
    (("responses", 2, "dates", "dsl_training"), 20250901, "responses.2.dates.dsl_training: Va"),
    (("cycle",), "٢٠٢٥-٢٦", "cycle: String should match pattern"),
    (("submission_id",), UPPER, "submission_id: Value error, must be a UUID in its canonical"),
    (("submission_id",), "urn:uuid:" + UPPER.lower(), "submission_id: Value error, must be a"),
    (("submission_id",), "{" + UPPER.lower() + "}", "submission_id: Value error, must be a"),
    (("submission_id",), UPPER.lower().replace("-", ""), "submission_id: Value error, must be"),
    (("audit_id",), UPPER, "audit_id: Value error, must be a UUID in its canonical form"),
    (("supersedes",), UPPER, "supersedes: Value error, must be a UUID in its canonical form"),
]


@pytest.mark.parametrize(("path", "value", "message"), CASES)
def test_values_that_only_convert_to_the_contract_are_refused(
    client, world, device, path, value, message
):
    envelope = device.envelope(world.template)
    envelope["actions"] = [dict(ACTION)]
    assert "dsl_training" in envelope["responses"][2]["dates"]
    _set(envelope, path, value)
    response = client.post(URL, json=sign(envelope, device.key), headers=device.headers)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "schema_invalid"
    assert message in error["message"]
    with world.database.read() as session:
        assert session.scalar(select(func.count()).select_from(Submission)) == 0


def test_the_values_the_contract_allows_are_accepted(client, world, device):
    envelope = device.envelope(world.template)
    envelope["actions"] = [dict(ACTION, support_requested=True)]
    envelope["signed_at"] = "2025-12-01T10:30:15.250Z"  # fractions of a second are RFC 3339
    envelope["submission_id"] = str(uuid.uuid4())
    response = client.post(URL, json=sign(envelope, device.key), headers=device.headers)
    assert response.status_code == 201, response.text
    assert response.json()["receipt"]["submission_id"] == envelope["submission_id"]

"""Correctly signed but odd envelopes (the OpenAPI fuzzer cannot sign): never a 5xx.

Hypothesis changes one field of a valid envelope to an arbitrary JSON value, the device signs
the result, and the collector must answer 201 (kept, maybe quarantined) or a 4xx.
"""

from __future__ import annotations

import copy
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.collector.factories import sign

PATHS = [
    ("revision",),
    ("supersedes",),
    ("cycle",),
    ("signed_at",),
    ("device_key_id",),
    ("local_answers",),
    ("establishment", "name"),
    ("establishment", "phase"),
    ("establishment", "district"),
    ("establishment", "setting_type"),
    ("template", "id"),
    ("template", "version"),
    ("responses", 0, "standard_id"),
    ("responses", 0, "rating"),
    ("responses", 0, "evidence"),
    ("responses", 0, "na_reason"),
    ("responses", 0, "dates"),
    ("responses", 0, "extra"),
    ("actions", 0, "standard_id"),
    ("actions", 0, "target_date"),
    ("actions", 0, "support_requested"),
    ("actions", 0, "owner_role"),
    ("sign_off", 0, "role"),
    ("sign_off", 0, "name"),
    ("sign_off", 0, "signed_at"),
    ("extension",),
]
text = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=600
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
    | text
    | st.sampled_from(
        [
            "2026-01-01",
            "0001-01-01",
            "9999-12-31T23:59:59+14:00",
            "met",
            "not_applicable",
            "1999-99",
        ]
    )
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=8,
)


def with_action(envelope):
    envelope["actions"] = [
        {
            "action_id": str(uuid.uuid4()),
            "standard_id": "A1",
            "description": "Do it.",
            "owner_role": "DSL",
            "target_date": "2026-07-01",
            "status": "in_progress",
            "support_requested": False,
        }
    ]
    return envelope


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(path=st.sampled_from(PATHS), value=values)
def check_one(client, base, device, seen, path, value):
    envelope = copy.deepcopy(base)
    envelope["submission_id"] = str(uuid.uuid4())
    target = envelope
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    response = client.post(
        "/api/v1/submissions", json=sign(envelope, device.key), headers=device.headers
    )
    seen.append(response.status_code)
    assert response.status_code in {201, 403, 422}, (
        path,
        value,
        response.status_code,
        response.text[:300],
    )


def test_signed_odd_envelopes_never_cause_a_server_error(client, world, device):
    seen: list[int] = []
    check_one(client, with_action(device.envelope(world.template)), device, seen)
    assert len(seen) >= 20
    assert {201, 422} <= set(seen)  # both kept-and-quarantined and refused cases were reached

"""Local packs at the collector: publication rules, GET /local-packs, and returns that name one."""

from __future__ import annotations

import copy
import json
import uuid

import pytest

from school_audit.collector.local_packs import PackPublishError, publish_pack
from school_audit.domain.local_pack import load_local_pack
from school_audit.domain.local_pack_merge import merge_pack
from tests.conftest import FIXTURES

PACK_JSON = json.loads((FIXTURES / "mini_local_pack.json").read_text())


def pack_variant(change=None):
    data = copy.deepcopy(PACK_JSON)
    if change:
        change(data)
    return load_local_pack(data)


@pytest.fixture
def pack(world):
    pack = pack_variant()
    with world.database.write() as session:
        assert publish_pack(session, pack) is True
    return pack


def test_a_device_lists_and_downloads_exactly_the_published_pack(client, pack, device):
    listing = client.get("/api/v1/local-packs", headers=device.headers)
    assert listing.status_code == 200
    assert listing.json() == [
        {
            "id": "mini-county",
            "version": "2025-26.1",
            "sha256": pack.sha256,
            "cycle": "2025-26",
            "title": "Mini County local pack",
            "la_name": "Mini County",
            "applies_to": ["mini-school"],
        }
    ]
    full = client.get("/api/v1/local-packs/mini-county/2025-26.1", headers=device.headers)
    assert full.status_code == 200
    assert load_local_pack(full.content).sha256 == pack.sha256


def test_unknown_pack_is_404_in_the_usual_shape_and_no_token_is_401(client, pack, device):
    missing = client.get("/api/v1/local-packs/mini-county/9.9", headers=device.headers)
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/local-packs").status_code == 401
    assert client.get("/api/v1/local-packs/mini-county/2025-26.1").status_code == 401


def test_a_collector_without_packs_lists_none(client, device):
    assert client.get("/api/v1/local-packs", headers=device.headers).json() == []


def test_a_pack_that_redefines_a_national_standard_is_not_published(world):
    bad = pack_variant(lambda d: d["sections"][0]["questions"][0].update(id="A2"))
    with pytest.raises(PackPublishError) as caught, world.database.write() as session:
        publish_pack(session, bad)
    assert [str(p) for p in caught.value.problems] == [
        "sections[0].questions[0].id: 'A2' is a national standard of mini-school: "
        "a local pack cannot redefine it"
    ]


def test_a_pack_needs_its_national_templates_published_first(world):
    other = pack_variant(lambda d: d.update(applies_to=["early-years-eyfs"]))
    with pytest.raises(PackPublishError) as caught, world.database.write() as session:
        publish_pack(session, other)
    assert [str(p) for p in caught.value.problems] == [
        "applies_to[0]: no national template 'early-years-eyfs' published for 2025-26 "
        "(publish the templates before the pack)"
    ]


def test_a_version_cannot_be_republished_with_other_content(world, pack):
    changed = pack_variant(lambda d: d.update(title="Another title"))
    with pytest.raises(PackPublishError, match="already published"), world.database.write() as s:
        publish_pack(s, changed)
    with world.database.write() as session:
        assert publish_pack(session, pack) is False


def submit(client, device, template):
    response = client.post(
        "/api/v1/submissions", json=device.body(template), headers=device.headers
    )
    assert response.status_code == 201, response.text
    return response.json()["receipt"]


def test_a_return_on_the_merged_view_is_received(client, world, pack, device):
    merged = merge_pack(world.template, pack)
    receipt = submit(client, device, merged)
    assert receipt["status"] == "received"


def test_a_return_naming_an_unpublished_pack_is_kept_but_quarantined(client, world, device):
    unpublished = pack_variant()  # never published at this collector
    receipt = submit(client, device, merge_pack(world.template, unpublished))
    assert receipt["status"] == "quarantined"
    assert receipt["quarantine_reason"].startswith("local_pack_unknown: the collector has no")


def test_a_return_naming_a_pack_with_other_content_is_quarantined(client, world, pack, device):
    edited = pack_variant(lambda d: d.update(title="Edited on the school's computer"))
    assert edited.version == pack.version and edited.sha256 != pack.sha256
    receipt = submit(client, device, merge_pack(world.template, edited))
    assert receipt["status"] == "quarantined"
    assert "local_pack_unknown" in receipt["quarantine_reason"]


def test_a_return_without_a_pack_is_as_before(client, world, pack, device):
    assert submit(client, device, world.template)["status"] == "received"


def test_the_routes_are_documented():
    from pathlib import Path

    from school_audit.collector.api import local_packs

    doc = (Path(__file__).resolve().parents[2] / "docs" / "collector.md").read_text()
    for route in local_packs.router.routes:
        path = route.path.replace("{pack_id}", "{id}")
        assert f"`GET {path}" in doc, path


def test_an_action_on_a_pack_question_is_received_not_quarantined(client, world, pack, device):
    merged = merge_pack(world.template, pack)
    body = device.body(merged)
    envelope = body["envelope"]
    action = {
        "action_id": str(uuid.uuid4()), "standard_id": "MC1", "description": "Brief all staff",
        "owner_role": "DSL", "target_date": "2026-03-01", "status": "not_started",
    }  # fmt: skip
    envelope["actions"].append(action)
    response = client.post(
        "/api/v1/submissions", json=device.resign(envelope), headers=device.headers
    )
    assert response.status_code == 201, response.text
    assert response.json()["receipt"]["status"] == "received"
    # without the pack, the same action is on no standard of the return's templates
    plain = device.body(world.template)["envelope"]
    plain["actions"].append(dict(action, action_id=str(uuid.uuid4())))
    response = client.post("/api/v1/submissions", json=device.resign(plain), headers=device.headers)
    assert "action_unknown_standard: MC1" in response.json()["receipt"]["quarantine_reason"]

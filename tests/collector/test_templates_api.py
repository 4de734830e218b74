"""GET /templates and GET /templates/{id}/{version}; publishing rules."""

from __future__ import annotations

import pytest

from school_audit.collector.catalog import PublishError, publish_template
from school_audit.domain.template_loading import load_template


def test_a_device_downloads_exactly_the_published_template(client, world, device):
    listing = client.get("/api/v1/templates", headers=device.headers)
    assert listing.status_code == 200
    (summary,) = listing.json()
    assert summary == {
        "id": world.template.id,
        "version": world.template.version,
        "sha256": world.template.sha256,
        "setting_type": "school",
        "cycle": "2025-26",
        "title": world.template.title,
    }
    full = client.get(
        f"/api/v1/templates/{summary['id']}/{summary['version']}", headers=device.headers
    )
    assert full.status_code == 200
    assert load_template(full.content).sha256 == summary["sha256"]


def test_only_templates_for_the_devices_setting_type_are_listed(client, world, device):
    data = world.template.to_json()
    data.update(
        id="mini-ey",
        setting_type="early_years",
        sections=[{**data["sections"][1], "standards": [data["sections"][1]["standards"][0]]}],
    )
    with world.database.write() as session:
        publish_template(session, load_template(data))
    ids = [t["id"] for t in client.get("/api/v1/templates", headers=device.headers).json()]
    assert ids == [world.template.id]


def test_unknown_template_is_404_and_no_token_is_401(client, world, device):
    missing = client.get("/api/v1/templates/mini-school/9.9", headers=device.headers)
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    assert (
        client.get(f"/api/v1/templates/{world.template.id}/{world.template.version}").status_code
        == 401
    )


def test_a_version_cannot_be_republished_with_other_content(world):
    changed = load_template({**world.template.to_json(), "title": "Another title"})
    with pytest.raises(PublishError), world.database.write() as session:
        publish_template(session, changed)
    with world.database.write() as session:
        assert publish_template(session, world.template) is False  # same content: nothing to do

"""Nothing is cached per token: a device revoked right after a successful upload is refused at
its very next call, by the same running app."""

from __future__ import annotations

from school_audit.collector.devices import revoke_device

URL = "/api/v1/submissions"


def test_a_revoked_device_is_refused_right_after_an_accepted_upload(client, world, device):
    assert (
        client.post(URL, json=device.body(world.template), headers=device.headers).status_code
        == 201
    )
    with world.database.write() as session:
        revoke_device(session, device.device_id)
    response = client.post(URL, json=device.body(world.template), headers=device.headers)
    assert response.status_code == 401

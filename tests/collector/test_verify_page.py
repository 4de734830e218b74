"""The public `/verify/{code}` page: whether the LA received a return with that hash, when, its
review state and how each role signed; no names, no content; rate-limited; no log-in."""

from __future__ import annotations

import hashlib

from school_audit.collector.web.pages import verify
from school_audit.domain.canonical import canonical_bytes
from school_audit.signing import sign_attestation
from tests.collector.factories import sign

URL = "/api/v1/submissions"


def code_of(envelope) -> str:
    """As the governors' PDF prints it."""
    head = hashlib.sha256(canonical_bytes(envelope)).hexdigest()[:16].upper()
    return "-".join(head[i : i + 4] for i in range(0, 16, 4))


def send(client, device, envelope):
    response = client.post(URL, json=sign(envelope, device.key), headers=device.headers)
    assert response.status_code == 201, response.text
    return response.json()["receipt"]


def test_a_received_return_is_confirmed_without_names_or_content(client, world, device):
    envelope = device.envelope(world.template)
    envelope["sign_off"].append({
        "role": "chair_of_governors", "name": "Priya Quartermaine", "statement": "As chair.",
        "signed_at": "2026-03-01T09:00:00Z",
    })  # fmt: skip
    key = client.app.state.collector_key
    from school_audit.domain.seal import content_sha256

    envelope["sign_off"][1]["attestation"] = sign_attestation(
        key, content_sha256=content_sha256(envelope), role="chair_of_governors",
        name="Priya Quartermaine", verified_at="2026-03-01T09:00:00Z",
    )  # fmt: skip
    assert send(client, device, envelope)["status"] == "received"
    page = client.get(f"/verify/{code_of(envelope)}")
    assert page.status_code == 200, page.text
    text = page.text
    assert "Received: this is the return" in text
    assert "Received; not reviewed yet" in text
    assert "Chair of governors" in text and "with a code sent to their email address" in text
    assert "Designated safeguarding lead" in text and "2 Mar 2026" in text
    assert "1 Mar 2026" in text
    for private in ("Priya Quartermaine", "Alex Morgan", "School 123456", "Seen in the minutes"):
        assert private not in text
    lower = client.get(f"/verify/{code_of(envelope).lower().replace('-', '')}")
    assert lower.status_code == 200 and "Received: this is the return" in lower.text


def test_an_unknown_or_malformed_code_says_so(client, world, device):
    envelope = device.envelope(world.template)
    send(client, device, envelope)
    unknown = client.get("/verify/0000-0000-0000-0000")
    assert unknown.status_code == 404 and "has received no return with the code" in unknown.text
    bad = client.get("/verify/not-a-code")
    assert bad.status_code == 400 and "not a verification code" in bad.text
    typed = client.get("/verify", params={"code": code_of(envelope)}, follow_redirects=False)
    assert typed.status_code == 303 and typed.headers["location"].startswith("/verify/")


def test_the_page_is_rate_limited_per_address(client, world, device):
    for _ in range(verify.CHECKS_PER_WINDOW):
        assert client.get("/verify/0000-0000-0000-0000").status_code == 404
    refused = client.get("/verify/0000-0000-0000-0000")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "Too many checks" in refused.text

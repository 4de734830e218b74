"""A chair of governors signs remotely with a passkey, in Chromium with a virtual authenticator
(the DevTools WebAuthn domain): registered on first use, reused on the next request; the return
arrives verified; a tampered assertion is quarantined; the archive re-verifies it offline.

Set SIGNING_SHOTS to a folder to keep screenshots of the signing page (desktop and phone width).
"""

from __future__ import annotations

import copy
import json
import os
import zipfile
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from school_audit.archive import read_archive, verify_archive
from school_audit.collector.db.tables import OutgoingMail, PasskeyCredential
from school_audit.domain.seal import content_sha256
from school_audit.signing import SigningKey, verify_attestation
from school_audit.signing.passkeys import verify_passkey_assertion
from tests.collector.factories import EnrolledDevice, mini_template, sign
from tests.collector_web.test_browser import check_accessibility

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
               "--disable-background-networking", "--disable-component-update"]  # fmt: skip
SHOTS = Path(os.environ["SIGNING_SHOTS"]) if os.environ.get("SIGNING_SHOTS") else None
CHAIR = {"role": "chair_of_governors", "name": "Sam Patel",
         "statement": "As chair, I confirm.", "signed_at": "2026-03-02T09:30:00Z"}  # fmt: skip


def enrolled(api: httpx.Client, code: str) -> EnrolledDevice:
    key = SigningKey.generate()
    reply = api.post("/api/v1/enrolments", json={"code": code, "public_key": key.public_key_b64,
                                                 "device_name": "Office PC"})  # fmt: skip
    assert reply.status_code == 201, reply.text
    data = reply.json()
    return EnrolledDevice(key, data["device_id"], data["device_key_id"], data["token"], "123456")


def ask_chair(api: httpx.Client, device: EnrolledDevice, envelope: dict) -> str:
    body = {"cycle": envelope["cycle"], "content_sha256": content_sha256(envelope),
            "role": "chair_of_governors", "name": "Sam Patel", "email": "chair@example.org",
            "summary": {"statutory_not_met": [], "overdue_actions": 0}}  # fmt: skip
    reply = api.post("/api/v1/sign-off-requests", json=body, headers=device.headers)
    assert reply.status_code == 201, reply.text
    return reply.json()["request_id"]


def latest_link(collector) -> str:
    engine = create_engine(collector.database_url)
    try:
        with Session(engine) as session:
            rows = session.scalars(
                select(OutgoingMail).where(OutgoingMail.kind == "sign_off_request")
                .order_by(OutgoingMail.id)
            ).all()  # fmt: skip
            return json.loads(rows[-1].context)["sign_link"]
    finally:
        engine.dispose()


def emailed_code(collector) -> str:
    engine = create_engine(collector.database_url)
    try:
        with Session(engine) as session:
            rows = session.scalars(
                select(OutgoingMail).where(OutgoingMail.kind == "sign_off_code")
                .order_by(OutgoingMail.id)
            ).all()  # fmt: skip
            return json.loads(rows[-1].context)["code"]
    finally:
        engine.dispose()


def credentials(collector) -> list[PasskeyCredential]:
    engine = create_engine(collector.database_url)
    try:
        with Session(engine) as session:
            return list(session.scalars(select(PasskeyCredential)))
    finally:
        engine.dispose()


def click_and_wait(page) -> None:
    """Press the passkey button; wait until the page says it signed, or shows why not."""
    page.click("#passkey-button")
    page.wait_for_function(
        "() => { const s = document.getElementById('passkey-status');"
        " return s.dataset.signed === 'yes' || !document.getElementById('passkey-button').disabled; }",
        timeout=20000,
    )
    message = page.inner_text("#passkey-status")
    assert "you have signed" in message, message


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        yield chromium
        chromium.close()


def sign_with_passkey(browser, link: str, code_of, shot: str | None = None):
    """Open the link with a virtual platform authenticator (kept for the browser's context)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True, "automaticPresenceSimulation": True,
    }})  # fmt: skip
    page.goto(link)
    if SHOTS and shot:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{shot}-desktop.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=str(SHOTS / f"{shot}-phone.png"), full_page=True)
    assert page.locator("#passkey-section").is_visible()
    check_accessibility(page, "sign-page-with-passkey")  # axe-core: no moderate or worse
    # The first time, the passkey needs the code from the email (a leaked link is not enough).
    page.click("#passkey-button")
    page.wait_for_function("() => !document.getElementById('passkey-button').disabled")
    assert "needs the code from your email" in page.inner_text("#passkey-status")
    page.click("form[action$='/code'] button")
    page.wait_for_selector("text=A code is on its way")
    page.fill("#code", code_of())
    click_and_wait(page)
    if SHOTS and shot:
        page.screenshot(path=str(SHOTS / f"{shot}-signed.png"), full_page=True)
    return context, page


@pytest.mark.parametrize("collector_db_url", ["sqlite"], indirect=True)
def test_a_chair_signs_with_a_passkey_and_the_return_arrives_verified(
    make_running_collector, browser, tmp_path
):
    collector = make_running_collector(["123456"])
    collector.open_cycle()
    base = collector.url.replace("127.0.0.1", "localhost")  # a passkey needs a host name
    api = httpx.Client(base_url=base, timeout=20)
    device = enrolled(api, collector.issue_code("123456"))
    template = mini_template()

    first = device.envelope(template)
    request_id = ask_chair(api, device, first)
    context, page = sign_with_passkey(
        browser, latest_link(collector), lambda: emailed_code(collector), shot="sign-page"
    )
    [stored] = credentials(collector)  # registered on first use
    status = api.get(f"/api/v1/sign-off-requests/{request_id}", headers=device.headers).json()
    assert status["status"] == "signed"
    attestation = status["attestation"]
    assert attestation["method"] == "passkey" and attestation["collector_key_id"]
    passkey = attestation["passkey"]
    assert passkey["credential_id"] == stored.credential_id and passkey["algorithm"] == -7
    assert passkey["rp_id"] == "localhost"
    # Offline, with nothing but the attestation and the collector's public key:
    verify_passkey_assertion(attestation, content_sha256=content_sha256(first),
                             role="chair_of_governors")  # fmt: skip
    verify_attestation(attestation, content_sha256=content_sha256(first),
                       role="chair_of_governors", name="Sam Patel",
                       public_key_b64=collector.public_key)  # fmt: skip

    first["sign_off"].append({**CHAIR, "attestation": attestation})
    reply = api.post("/api/v1/submissions", json=sign(first, device.key), headers=device.headers)
    assert reply.status_code == 201, reply.text
    receipt = reply.json()["receipt"]
    assert receipt["status"] == "received", receipt.get("quarantine_reason")

    # A second request to the same person uses the passkey already registered (the virtual
    # authenticator belongs to this tab).
    second = device.envelope(template)
    second_id = ask_chair(api, device, second)
    page.goto(latest_link(collector))
    click_and_wait(page)
    assert len(credentials(collector)) == 1
    status = api.get(f"/api/v1/sign-off-requests/{second_id}", headers=device.headers).json()
    assert status["status"] == "signed"
    tampered = copy.deepcopy(status["attestation"])
    signature = tampered["passkey"]["signature"]
    tampered["passkey"]["signature"] = signature[:10] + ("A" if signature[10] != "A" else "B") + (
        signature[11:]
    )
    second["sign_off"].append({**CHAIR, "attestation": tampered})
    reply = api.post("/api/v1/submissions", json=sign(second, device.key), headers=device.headers)
    assert reply.status_code == 201, reply.text
    quarantined = reply.json()["receipt"]
    assert quarantined["status"] == "quarantined"
    assert "attestation_forged: the passkey assertion for the chair of governors does not " \
        "verify" in quarantined["quarantine_reason"]  # fmt: skip
    context.close()

    # The LA's archive re-verifies the passkey assertion offline.
    archive = tmp_path / "la.zip"
    collector.cli("export", "archive", "--urn", "123456", "-o", str(archive))
    report = verify_archive(read_archive(archive), [receipt["collector_key_id"]])
    results = {r.submission_id: r for r in report.returns}
    assert results[first["submission_id"]].valid
    assert "passkey assertion" in results[first["submission_id"]].passed
    [problem] = [p for p in results[second["submission_id"]].problems
                 if p.check == "passkey assertion"]  # fmt: skip
    assert "sign_off[" in problem.item and "(chair_of_governors) attestation" in problem.item
    assert "does not match" in problem.detail
    assert zipfile.ZipFile(archive).read("keys/collector.json")


"""The admin pages in a real browser (Chromium via Playwright) against a real collector process:
each page and the enrolment letter pass axe-core, and the forms work by clicking.

Set DASHBOARD_SHOTS to a folder to keep a screenshot of every page checked.
"""

from __future__ import annotations

import re

import pytest

from tests.collector_web import live_server
from tests.collector_web import test_browser as shared

# The browser suite's fixtures and helpers: one real collector and one Chromium for this module.
live, browser, context = shared.live, shared.browser, shared.context
log_in, check_accessibility = shared.log_in, shared.check_accessibility

pytestmark = pytest.mark.browser
PAGES = ["/admin/users", "/admin/enrolment", "/admin/cycles", "/admin/templates", "/admin/register"]


def test_every_admin_page_passes_axe(context, live):
    page = log_in(context, live, "admin")
    for number, path in enumerate(PAGES):
        response = page.goto(live.url + path)
        assert response.status == 200, path
        check_accessibility(page, f"6{number}-{path.strip('/').replace('/', '-')}")


def test_issue_a_code_and_print_its_letter(context, live):
    page = log_in(context, live, "admin")
    page.goto(live.url + "/admin/enrolment")
    page.fill("#urn", "990801")
    page.click("text=Issue code and show letter")
    page.wait_for_load_state()
    letter = page.locator("article.letter").inner_text()
    assert "Ash Grove First School" in letter and live.url in letter
    assert re.search(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}", letter)
    check_accessibility(page, "65-enrolment-letter")
    page.emulate_media(media="print")
    assert not page.locator("header.site-header").is_visible()  # the letter prints alone
    page.emulate_media(media="screen")
    page.goto(live.url + "/admin/enrolment")
    page.click("text=Revoke code for 990801")
    page.wait_for_load_state()
    assert page.locator("[role=status]", has_text="Code revoked").count() == 1


def test_add_a_user_and_see_a_refusal_in_words(context, live):
    page = log_in(context, live, "admin")
    page.goto(live.url + "/admin/users")
    page.fill("#new-username", "newofficer")
    page.select_option("#new-role", "la_officer")
    page.fill("#new-password", "a long enough passphrase")
    page.click("text=Add user")
    page.wait_for_load_state()
    assert page.locator("[role=status]", has_text="User added.").count() == 1
    page.click(f"text=Disable {live_server.USERS['admin']}")
    page.wait_for_load_state()
    assert page.locator("[role=alert]", has_text="last active administrator").count() == 1
    check_accessibility(page, "66-users-refused")


def test_a_template_upload_that_is_not_a_template_lists_its_problems(context, live, tmp_path):
    page = log_in(context, live, "admin")
    page.goto(live.url + "/admin/templates")
    bad = tmp_path / "not-a-template.json"
    bad.write_text('{"id": "x"}', encoding="utf-8")
    page.set_input_files("#file", str(bad))
    page.click("text=Check and publish")
    page.wait_for_load_state()
    alert = page.locator("[role=alert]")
    assert "Nothing was published" in alert.inner_text()
    assert alert.locator("li").count() >= 1
    check_accessibility(page, "67-templates-refused")


def test_register_upload_shows_a_preview_before_importing(context, live, tmp_path):
    from school_audit.collector.register.samples import gias_csv
    from tests.collector_la.gias_rows import gias_row

    # Another LA's file: it adds one school and closes none of the demo LA's.
    upload = tmp_path / "edubasealldata.csv"
    upload.write_bytes(
        gias_csv([gias_row("990990", "Quince Tree Primary School", **{"LA (code)": "999"})])
    )
    page = log_in(context, live, "admin")
    page.goto(live.url + "/admin/register")
    page.fill("#la-code", "999")
    page.set_input_files("#register-file", str(upload))
    page.click("text=Preview the import")
    page.wait_for_load_state()
    assert "1 would be added" in page.locator("main").inner_text()
    check_accessibility(page, "68-register-preview")
    page.click("text=Import this register")
    page.wait_for_load_state()
    assert page.locator("[role=status]", has_text="Register imported.").count() == 1
    assert "1 added" in page.locator("main").inner_text()
    check_accessibility(page, "69-register-imported")


def test_set_a_password_from_a_reset_link(context, live):
    """The page a reset link opens passes axe; a password refused by the policy is said in words
    and the link still works; a good one logs the user in; the link then works no more."""
    import json

    from sqlalchemy import select

    from school_audit.collector import password_reset, users
    from school_audit.collector.db import Database
    from school_audit.collector.db.tables import OutgoingMail
    from school_audit.collector.db.types import utc_now

    database = Database(f"sqlite:///{live.home / 'collector.sqlite3'}")
    try:
        users.add_user(database, "rosa", "la_officer", "a first long phrase here", "ada",
                       "rosa@county.example.gov.uk")  # fmt: skip
        with database.write() as session:
            password_reset.send_link(session, "rosa", live.url, "ada", utc_now())
        with database.read() as session:  # queued, not yet sent: the link is still in the row
            row = session.scalars(
                select(OutgoingMail).where(OutgoingMail.kind == "password_reset")
            ).one()
            link = json.loads(row.context)["reset_link"]
    finally:
        database.dispose()
    page = context.new_page()
    page.goto(link)
    check_accessibility(page, "70-reset-password")
    page.fill("#password", "password1234")
    page.fill("#password_again", "password1234")
    page.click("text=Set my password")
    page.wait_for_load_state()
    assert page.locator("[role=alert]", has_text="Choose another password").count() == 1
    check_accessibility(page, "71-reset-password-refused")
    page.fill("#password", "lantern orchard quietly")
    page.fill("#password_again", "lantern orchard quietly")
    page.click("text=Set my password")
    page.wait_for_load_state()
    assert page.locator("[role=status]", has_text="Your password is set, rosa").count() == 1
    check_accessibility(page, "72-reset-password-done")
    page.get_by_role("link", name="Log in").click()
    page.fill("#username", "rosa")
    page.fill("#password", "lantern orchard quietly")
    page.press("#password", "Enter")
    page.wait_for_load_state()
    assert page.locator("text=Log out").count() == 1
    page.goto(link)
    assert page.locator("[role=alert]", has_text="This link is not valid").count() == 1


def test_an_upload_that_closes_many_settings_needs_the_box_ticked(context, live, tmp_path):
    """The closure guard in the browser: the preview warns and lists what would close; the
    import button does nothing until the box is ticked (and the server checks it too)."""
    from school_audit.collector.register.samples import gias_csv
    from tests.collector_la.gias_rows import gias_row

    schools = [
        gias_row(f"9980{n:02d}", f"Willow School {n}", **{"LA (code)": "998"}) for n in range(10)
    ]
    page = log_in(context, live, "admin")
    for name, rows in (("whole.csv", schools), ("cut-short.csv", schools[:2])):
        upload = tmp_path / name
        upload.write_bytes(gias_csv(rows))
        page.goto(live.url + "/admin/register")
        page.fill("#la-code", "998")
        page.set_input_files("#register-file", str(upload))
        page.click("text=Preview the import")
        page.wait_for_load_state()
        if name == "whole.csv":
            page.click("text=Import this register")
            page.wait_for_load_state()
            assert "10 added" in page.locator("main").inner_text()
    warning = page.locator("#closing-warning")
    assert "This file would close 8 of the 10 open settings" in warning.inner_text()
    assert page.locator("li", has_text="998009 Willow School 9").count() == 1
    check_accessibility(page, "73-register-closing-guard")
    page.click("text=Import and close 8 settings")  # the box is not ticked: the browser stops it
    assert page.locator("#confirm-closing").evaluate("box => box.validity.valueMissing")
    assert page.locator("#closing-warning").count() == 1  # still on the preview
    page.check("#confirm-closing")
    page.click("text=Import and close 8 settings")
    page.wait_for_load_state()
    assert page.locator("[role=status]", has_text="Register imported.").count() == 1
    assert "8 closed" in page.locator("main").inner_text()
    page.goto(live.url + "/admin?action=register.closing_allowed")
    assert "Allowed: 8 · Closed: 8" in page.locator("main").inner_text()

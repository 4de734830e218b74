"""The dashboard in a real browser (Debian's Chromium driven by Playwright) against a real
collector process: log-in by keyboard, every page checked with axe-core, reviews, exports, CSRF.

Set DASHBOARD_SHOTS to a folder to keep a full-page screenshot of every page checked.
"""

from __future__ import annotations

import json
import os
import sqlite3
import urllib.request
from pathlib import Path

import pytest

from tests.collector_web import live_server

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
# Full-page screenshots cost seconds on long pages: taken only when someone will look at them.
SHOTS = Path(os.environ["DASHBOARD_SHOTS"]) if os.environ.get("DASHBOARD_SHOTS") else None

if not CHROMIUM.exists():  # pragma: no cover - the machine set-up installs it
    pytest.fail("Debian's chromium is needed: scripts/setup.sh installs it", pytrace=False)
if not AXE.exists():  # pragma: no cover
    pytest.fail("axe-core is needed: run `npm install --no-save axe-core@4`", pytrace=False)


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    collector = live_server.start(tmp_path_factory.mktemp("collector"))
    yield collector
    live_server.stop(collector)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    yield context
    context.close()


def log_in(context, live, role: str):
    page = context.new_page()
    page.goto(live.url + "/login")
    page.fill("#username", live_server.USERS[role])
    page.fill("#password", live_server.PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_load_state()
    return page


def check_accessibility(page, name: str) -> None:
    """No moderate, serious or critical axe-core violation (and a screenshot when asked for)."""
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    page.evaluate(AXE.read_text(encoding="utf-8"))
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .map(v => ({id: v.id, impact: v.impact, help: v.help,
                        targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"""
    )
    # The bar is no serious or critical violation; the pages also have no moderate one today.
    found = [v for v in violations if v["impact"] in ("moderate", "serious", "critical")]
    assert not found, json.dumps(found, indent=1)


def api_status(live, submission_id: str) -> dict:
    request = urllib.request.Request(
        f"{live.url}/api/v1/submissions/{submission_id}",
        headers={"Authorization": f"Bearer {live.ids['tokens'][submission_id]}"},
    )
    with urllib.request.urlopen(request, timeout=5) as answer:
        return json.loads(answer.read())


def stored_status(live, submission_id: str) -> str:
    """Read the collector's own database file (for demo returns, whose device tokens we lack)."""
    with sqlite3.connect(f"file:{live.home / 'collector.sqlite3'}?mode=ro", uri=True) as db:
        return db.execute(
            "SELECT status FROM submissions WHERE submission_id = ?", (submission_id,)
        ).fetchone()[0]


def test_login_by_keyboard_with_skip_link_and_visible_focus(context, live):
    page = context.new_page()
    page.goto(live.url + "/login")
    check_accessibility(page, "01-login")
    # The user name field has the focus on arrival; its focus outline is visible.
    assert page.evaluate("document.activeElement.id") == "username"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none"), "the focused field shows no focus outline"
    page.keyboard.type(live_server.USERS["la_officer"])
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "password"
    page.keyboard.type(live_server.PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(live.url + "/")
    assert page.locator("h1").inner_text() == "Overview"
    # First Tab on a page reaches the skip link, which moves the focus past the navigation.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to main content"
    assert page.locator(".skip-link").bounding_box()["x"] >= 0  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "f-cycle"


def test_wrong_password_shows_a_clear_message(context, live):
    page = context.new_page()
    page.goto(live.url + "/login")
    page.fill("#username", "olive")
    page.fill("#password", "not the password")
    page.press("#password", "Enter")
    page.wait_for_load_state()
    assert "not right" in page.locator("[role=alert]").inner_text()
    check_accessibility(page, "02-login-failed")


def test_overview_shows_counts_and_who_to_chase(context, live):
    page = log_in(context, live, "la_officer")
    assert page.locator(".cards").inner_text().count("Expected") == 1
    missing = page.locator("#missing-h + div table tbody tr")
    assert missing.count() >= 1
    assert missing.first.locator("a[href^='mailto:']").count() == 1  # who to chase, and how
    assert page.locator("svg.chart[role=img]").count() >= 3
    check_accessibility(page, "03-overview")


def test_compliance_draws_charts_with_tables(context, live):
    page = log_in(context, live, "la_officer")
    page.click("nav >> text=Compliance")
    page.select_option("#f-by", "district")
    page.click("form.filters button")
    page.wait_for_url("**/compliance?**")
    charts = page.locator("svg.chart")
    assert charts.count() >= 4
    assert charts.first.get_attribute("aria-label")
    assert page.locator("#groups-h + div table tbody tr").count() >= 2
    check_accessibility(page, "04-compliance-by-district")


def test_overview_breaks_down_by_trust_and_size_band(context, live):
    page = log_in(context, live, "la_officer")
    for heading in ("#b-trust", "#b-size"):
        assert page.locator(heading).count() == 1
        assert page.locator(f"{heading} + div svg.chart[role=img]").count() == 1
    trusts = page.locator("#b-trust + div table tbody th").all_inner_texts()
    assert "Severn Vale Learning Trust" in trusts and trusts[-1] == "Not in a trust"
    bands = page.locator("#b-size + div table tbody th").all_inner_texts()
    assert bands[0] == "Up to 100 pupils" and bands[-1] == "Size not known"
    assert "Over 80 places" in bands  # early-years settings are banded by places
    page.locator("#b-trust").scroll_into_view_if_needed()
    check_accessibility(page, "05-overview-trust-size")


@pytest.mark.parametrize("by", ["trust", "size"])
def test_compliance_by_trust_and_by_size_band(context, live, by):
    page = log_in(context, live, "la_officer")
    page.goto(live.url + "/compliance")
    page.select_option("#f-by", by)
    page.click("form.filters button")
    page.wait_for_url(f"**/compliance?**by={by}**")
    groups = page.locator("#groups-h + div table tbody th").all_inner_texts()
    assert len(groups) >= 3
    assert page.locator("#groups-h + div svg.chart[role=img]").count() == 1
    if by == "trust":
        assert groups[-1] == "Not in a trust" and "Forest Learning Partnership" in groups
    else:
        assert groups[0] == "Up to 100 pupils"
    check_accessibility(page, f"06-compliance-by-{by}")


def test_steering_view_by_trust_folds_the_small_trust(context, live):
    page = log_in(context, live, "steering")
    page.select_option("#f-by", "trust")
    page.click("form.filters button")
    page.wait_for_url("**/steering?**by=trust**")
    rows = page.locator("#comp-h + div table tbody tr")
    # Four schools, under five: put together with other small trusts, never shown on its own.
    assert rows.filter(has_text="Forest Learning Partnership").count() == 0
    assert rows.filter(has_text="Other trusts").count() == 1
    key = page.locator("dl.folded-key").inner_text()
    assert "Other trusts" in key and "Forest Learning Partnership" in key
    assert "put together" in page.locator(".notice").inner_text()
    check_accessibility(page, "32-steering-by-trust")
    page.select_option("#f-by", "size")
    page.click("form.filters button")
    page.wait_for_url("**/steering?**by=size**")
    assert "Returns by size band" in page.locator("#comp-h").inner_text()
    check_accessibility(page, "33-steering-by-size")


def test_every_other_page_passes_axe(context, live):
    page = log_in(context, live, "admin")
    for number, path in enumerate(
        ["/returns", "/triage", "/themes", "/trends", "/steering", "/exports", "/admin", "/mail"]
    ):
        response = page.goto(live.url + path)
        assert response.status == 200, path
        check_accessibility(page, f"1{number}-{path.strip('/')}")
    page.goto(live.url + "/returns/" + live.ids["revised_first"])
    check_accessibility(page, "20-return-superseded")


def test_steering_group_sees_its_view_only(context, live):
    page = log_in(context, live, "steering")
    assert page.url == live.url + "/steering"
    check_accessibility(page, "30-steering")
    assert page.goto(live.url + "/returns").status == 403
    check_accessibility(page, "31-steering-refused")


def test_accept_a_return_and_the_school_sees_it(context, live):
    submission_id = live.ids["accept_me"]
    page = log_in(context, live, "la_officer")
    page.click("nav >> text=Returns")
    page.click(f"a[href='/returns/{submission_id}']")
    assert page.locator(".badge.ok", has_text="Hash matches").count() == 1
    check_accessibility(page, "40-one-return")
    page.fill("#general_comment", "Thank you: a thorough return.")
    page.click("button[value=accepted]")
    page.wait_for_url("**?saved=1")
    assert "Review saved" in page.locator("[role=status]").inner_text()
    check_accessibility(page, "41-return-accepted")
    answer = api_status(live, submission_id)
    assert answer["status"] == "accepted"
    assert answer["review"]["general_comment"] == "Thank you: a thorough return."


def test_return_for_changes_with_a_comment_on_one_standard(context, live):
    submission_id = live.ids["weak"]
    page = log_in(context, live, "la_officer")
    page.goto(f"{live.url}/returns/{submission_id}")
    changes = page.locator("h3:has-text('What changed') + table").inner_text()
    assert live.ids["weak_changed"] in changes
    standard = live.ids["weak_not_met"]
    # Keyboard only: open the comment box for the not-met standard, type, press the button.
    page.focus(f"[id='std-{standard}'] summary")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == f"comment_{standard}"
    page.keyboard.type("Please attach the minutes that show the board's review.")
    page.focus("button[value=returned]")
    page.keyboard.press("Enter")
    page.wait_for_url("**?saved=1")
    assert page.locator(".badge.returned").count() >= 1
    answer = api_status(live, submission_id)
    assert answer["status"] == "returned"
    assert answer["review"]["comments"] == {
        "A1": "Please attach the minutes that show the board's review."
    }


def test_returning_without_a_comment_is_explained(context, live):
    page = log_in(context, live, "la_officer")
    page.goto(f"{live.url}/returns/{live.ids['received'][0]}")
    page.click("button[value=returned]")
    assert "Say what the school needs to change" in page.locator("[role=alert]").inner_text()
    check_accessibility(page, "42-return-refused")


def test_form_post_without_csrf_token_is_refused(context, live):
    page = log_in(context, live, "la_officer")
    submission_id = live.ids["received"][1]
    page.goto(f"{live.url}/returns/{submission_id}")
    page.evaluate("document.querySelectorAll('input[name=csrf_token]').forEach(e => e.remove())")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.click("button[value=accepted]")
    assert posted.value.status == 403
    assert "Form refused" in page.locator("h1").inner_text()
    check_accessibility(page, "50-csrf-refused")
    assert stored_status(live, submission_id) == "received"


def test_export_download_is_a_real_workbook(context, live, tmp_path):
    from openpyxl import load_workbook

    page = log_in(context, live, "la_officer")
    page.click("nav >> text=Exports")
    check_accessibility(page, "60-exports")
    with page.expect_download() as download:
        page.click("a[href^='/exports/returns.xlsx']")
    assert download.value.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    workbook = load_workbook(path, read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert len(rows) >= 2  # a header row and at least one return
    assert any("Ash Grove First School" in str(cell) for row in rows for cell in row)
    with sqlite3.connect(f"file:{live.home / 'collector.sqlite3'}?mode=ro", uri=True) as db:
        logged = db.execute(
            "SELECT actor FROM audit_log WHERE action = 'export.returns'"
        ).fetchall()
    assert ("officer",) in logged

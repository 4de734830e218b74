"""The overview's reminder button in a real browser against the demo collector: preview first
(who gets which message, and why), then the confirm button; the list of settings still to return
then shows who was reminded when; pressing again sends nothing new. axe-clean at each step."""

from __future__ import annotations

import pytest

from tests.collector_web.test_browser import (  # noqa: F401 - fixtures
    browser,
    check_accessibility,
    context,
    live,
    log_in,
)

pytestmark = pytest.mark.browser


def test_preview_then_send_reminders_from_the_overview(context, live):  # noqa: F811
    page = log_in(context, live, "la_officer")
    missing = page.locator("#missing-h + div table tbody tr")
    assert missing.count() >= 1
    last = missing.locator("td:last-child").all_inner_texts()
    assert set(last) == {"Not reminded"}  # no reminder has gone yet
    assert page.locator("form button", has_text="Send today's reminders").count() == 0

    page.click("text=Preview today's reminders")
    page.wait_for_url("**remind=preview**")
    plan = page.locator("#reminders-h ~ table").first.locator("tbody tr")
    planned = plan.count()
    assert planned >= 1
    first = plan.first.locator("td").all_inner_texts()
    assert first[0] and first[1] and "@" in first[2] and "due" in first[3]  # who, step, to, why
    steps = {row.split("\t")[1].strip() for row in plan.all_inner_texts()}
    check_accessibility(page, "08-overview-reminder-preview")

    page.click(f"text=Send today's reminders ({planned})")
    page.wait_for_url("**reminded=**")
    assert f"Reminders queued: {planned} setting(s)" in page.locator("[role=status]").inner_text()
    last = page.locator("#missing-h + div table tbody tr td:last-child").all_inner_texts()
    reminded = [text for text in last if text != "Not reminded"]
    assert len(reminded) == planned
    assert all(text.split(", ")[-1] in steps for text in reminded)  # the step just taken
    check_accessibility(page, "09-overview-reminded")

    page.click("text=Preview today's reminders")
    page.wait_for_url("**remind=preview**")
    assert (
        page.locator("#reminders-h ~ table").first.inner_text().count("Nothing to send today.") == 1
    )

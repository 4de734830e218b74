"""Redaction in a real browser: suggestions, one-click Redact, typed text and Undo, all by
keyboard, and axe-core finds nothing moderate or worse on the page in each state."""

from __future__ import annotations

import pytest

from tests.collector_web import live_server
from tests.collector_web import test_browser as shared
from tests.collector_web.test_browser import SHOTS, check_accessibility, log_in

# The same fixtures as the other browser tests (a live collector, Chromium, a fresh context).
live, browser, context = shared.live, shared.browser, shared.context

pytestmark = pytest.mark.browser


def _press(page, selector: str) -> None:
    """Move the keyboard focus to a control and press Enter, as a keyboard user would."""
    page.locator(selector).first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _shoot(page, name: str) -> None:
    """The redaction panel and the first answer on their own, easier to look at than the page."""
    if SHOTS is not None:
        page.locator("section[aria-labelledby=redaction-heading]").screenshot(
            path=str(SHOTS / f"{name}-panel.png")
        )
        page.locator(".standard").first.screenshot(path=str(SHOTS / f"{name}-answer.png"))


def test_redact_a_suggestion_type_text_and_undo_by_keyboard(context, live):
    submission_id = live.ids["flagged"]
    page = log_in(context, live, "la_officer")
    page.goto(f"{live.url}/returns/{submission_id}")
    section = page.locator("section[aria-labelledby=redaction-heading]")
    assert section.locator("mark", has_text="Jayden Smith").count() >= 1
    assert "Looks like a case reference" in section.inner_text()
    check_accessibility(page, "redaction-01-suggestions")
    _shoot(page, "redaction-01-suggestions")

    _press(page, "section[aria-labelledby=redaction-heading] ul.suggestions button")
    assert "The text is hidden" in page.locator("[role=status], .notice").first.inner_text()
    answers = page.locator(".standard .evidence").all_inner_texts()
    assert any("Referral for pupil [redacted] followed up" in text for text in answers)
    assert "Jayden Smith" not in page.content()
    check_accessibility(page, "redaction-02-redacted")
    _shoot(page, "redaction-02-redacted")

    page.locator("#redact-item").select_option(live.ids["weak_not_met"])
    page.locator("#redact-text").focus()
    page.keyboard.type("Xanthe Quillfeather")
    page.keyboard.press("Tab")
    page.keyboard.type("Child's name")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Xanthe" not in page.content()
    assert "Hidden text (2)" in page.locator("#redaction-heading ~ h3").all_inner_texts()
    assert "Hash matches" in page.content()
    check_accessibility(page, "redaction-03-two-hidden")
    _shoot(page, "redaction-03-two-hidden")

    _press(page, "section[aria-labelledby=redaction-heading] table button")
    assert "Redaction undone" in page.content()
    assert "Jayden Smith" in page.content()  # the first redaction was undone
    assert "Xanthe" not in page.content()


def test_steering_user_cannot_open_the_return_page(context, live):
    page = log_in(context, live, "steering")
    response = page.goto(f"{live.url}/returns/{live.ids['flagged']}")
    assert response.status == 403
    assert live_server.FLAGGED_EVIDENCE not in page.content()

"""Compliance grouped by source document, in a real browser against the demo collector: chosen
with the form (a plain GET, no script needed), documents named in words with counts that match
the standards listed under them, the local pack named beside the local procedures, axe-clean."""

from __future__ import annotations

import re

import pytest

from tests.collector_web.test_browser import (  # noqa: F401 - fixtures
    browser,
    check_accessibility,
    context,
    live,
    log_in,
)

pytestmark = pytest.mark.browser


def _number(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def test_compliance_groups_standards_by_source_document(context, live):  # noqa: F811
    page = log_in(context, live, "la_officer")
    page.goto(live.url + "/compliance")
    page.select_option("#f-group", "source")
    page.click("form.filters button")
    page.wait_for_url("**/compliance?**group=source**")
    rows = page.locator("#sources-h + p + div table tbody tr")
    titles = rows.locator("th").all_inner_texts()
    # Titles in words, from the registry, national statutory guidance first.
    assert titles[0].startswith("Keeping children safe in education 2025")
    assert any(t.startswith("Working together to safeguard children 2023") for t in titles)
    assert any(t.startswith("Local") for t in titles)
    assert all(not re.fullmatch(r"[a-z0-9-]+", t) for t in titles)  # never a registry id
    # Each document's standard count is the number of standards listed under it.
    for index in range(rows.count()):
        row = rows.nth(index)
        target = row.locator("a").get_attribute("href")
        listed = page.locator(f"{target} ~ div table tbody tr").first.locator("xpath=..")
        count = _number(row.locator("td").nth(0).inner_text())
        assert listed.locator("tr").count() == count
        statutory = listed.locator("tr .badge").count()
        assert _number(row.locator("td").nth(1).inner_text()) == statutory
    # The demo LA published its local pack for the cycle: named beside the local procedures.
    local = page.locator("section.panel", has_text="local pack")
    assert local.count() == 1 and "Worcestershire" in local.inner_text()
    # A standard's cells still link to the settings behind them.
    first = page.locator("section.panel table tbody tr").first.locator("td a").first
    assert "/settings?" in first.get_attribute("href") and "rating=met" in first.get_attribute(
        "href"
    )
    check_accessibility(page, "07-compliance-by-source")


def test_grouping_by_source_works_with_a_breakdown_and_without_script(browser, live):  # noqa: F811
    plain = browser.new_context(java_script_enabled=False)
    try:
        page = log_in(plain, live, "la_officer")
        page.goto(live.url + "/compliance?by=phase&group=source")
        assert page.locator("#f-group option[selected]").inner_text() == "Source document"
        assert page.locator("#sources-h").count() == 1
        heads = page.locator("section.panel").first.locator("thead th").all_inner_texts()
        assert any(h.startswith("Primary") for h in heads)  # the breakdown's columns stay
        # Sections are not shown twice: the page shows one grouping at a time.
        assert page.locator("h2", has_text="By standard").count() == 0
        page.goto(live.url + "/compliance?group=nonsense")
        assert page.locator("h2", has_text="By standard").count() == 1
    finally:
        plain.close()


def test_steering_view_by_source_document_shows_only_the_snapshots_figures(context, live):  # noqa: F811
    page = log_in(context, live, "steering")
    page.goto(live.url + "/steering")
    plain = {
        row.locator("th").inner_text(): row.locator("td").all_inner_texts()
        for row in page.locator("#std-h + div table tbody tr").all()
    }
    page.select_option("#f-group", "source")
    page.click("form.filters button")
    page.wait_for_url("**/steering?**group=source**")
    panels = page.locator("#std-h ~ section.panel")
    titles = panels.locator("h3").all_inner_texts()
    assert titles[0].startswith("Keeping children safe in education 2025")
    # Every figure is the standard's own from the snapshot, suppressed as it was: nothing new.
    for row in panels.locator("tbody tr").all():
        assert plain[row.locator("th").inner_text()] == row.locator("td").all_inner_texts()
    assert "Source document" not in page.locator("#std-h ~ section.panel thead").first.inner_text()
    check_accessibility(page, "10-steering-by-source")

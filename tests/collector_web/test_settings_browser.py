"""The officer's desk in a real browser (Debian's Chromium, Playwright, axe-core on every page):
from a figure to the settings behind it and on to the return, sorting and filtering by address,
the search box, a setting's page and triage notes. No JavaScript of ours is involved.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.collector_web.test_browser import (  # noqa: F401 - the fixtures are used by name
    browser,
    check_accessibility,
    context,
    live,
    log_in,
)

pytestmark = pytest.mark.browser


def test_from_a_compliance_share_to_the_settings_and_their_return(context, live):  # noqa: F811
    page = log_in(context, live, "la_officer")
    page.goto(live.url + "/compliance")
    link = page.locator("section.panel table tbody a[href*='rating=not_met']").first
    link.click()
    page.wait_for_url("**/settings?**rating=not_met**")
    assert "rated not met" in page.locator("p.lede").inner_text()
    rows = page.locator("#settings-caption ~ tbody tr")
    assert rows.count() >= 1
    check_accessibility(page, "40-settings-drill-down")
    rows.first.locator("a[href^='/returns/']").click()
    page.wait_for_url("**/returns/**")
    assert page.locator("h2", has_text="Needs attention").count() >= 1


def test_sorting_and_filtering_live_in_the_address(context, live):  # noqa: F811
    page = log_in(context, live, "la_officer")
    page.goto(live.url + "/settings?sort=district&order=desc")
    header = page.locator("th[aria-sort='descending']")
    assert header.inner_text().startswith("District")
    districts = page.locator("#settings-caption ~ tbody tr td:nth-child(2)").all_inner_texts()
    assert districts == sorted(districts, reverse=True) and len(set(districts)) >= 2
    check_accessibility(page, "41-settings-sorted")
    # The plain form keeps the sort and adds the filter: the address can be bookmarked.
    chosen = districts[-1]
    page.select_option("#f-district", chosen)
    page.select_option("#f-reviewed", "no")
    page.click("form.filters button")
    page.wait_for_url("**/settings?**district=**")
    assert "sort=district" in page.url and "reviewed=no" in page.url
    shown = page.locator("#settings-caption ~ tbody tr td:nth-child(2)").all_inner_texts()
    assert shown and set(shown) == {chosen}
    bookmarked = context.new_page()
    bookmarked.goto(page.url)
    assert (
        bookmarked.locator("#settings-caption").inner_text()
        == page.locator("#settings-caption").inner_text()
    )
    check_accessibility(page, "42-settings-filtered")


def test_the_search_box_finds_a_setting_and_its_history(context, live):  # noqa: F811
    page = log_in(context, live, "la_officer")
    page.goto(live.url + "/settings")
    first = page.locator("#settings-caption ~ tbody tr").first
    name = first.locator("td a").first.inner_text()
    urn = first.locator("td .muted").inner_text().split()[1]
    page.goto(live.url + "/themes")
    page.fill("#site-q", urn)
    page.press("#site-q", "Enter")
    page.wait_for_url(f"**/settings/{urn}")
    assert page.locator("h1").inner_text() == name
    for heading in ("Returns", "Reminders sent", "Triage notes"):
        assert page.locator("h2", has_text=heading).count() == 1
    check_accessibility(page, "43-setting-history")
    page.fill("#site-q", "School")
    page.press("#site-q", "Enter")
    page.wait_for_url("**/search?q=School")
    assert page.locator("ul.search-results li").count() >= 2
    check_accessibility(page, "44-search-results")


def test_mark_a_triage_item_contacted_and_it_is_in_hand(context, live):  # noqa: F811
    page = log_in(context, live, "la_officer")
    page.goto(live.url + "/triage")
    check_accessibility(page, "45-triage")
    row = page.locator("table tbody tr").first
    urn_link = row.locator("a[href^='/settings/']").first
    href = urn_link.get_attribute("href")
    row.locator("summary").click()
    row.locator("textarea").fill("Rang the DSL; training booked.")
    row.locator("input[type=date]").fill((date.today() + timedelta(days=14)).isoformat())
    check_accessibility(page, "46-triage-note-form")
    row.locator("button", has_text="Save note").click()
    page.wait_for_url("**/triage?**noted=1**")
    assert "Marked contacted" in page.locator("[role=status]").inner_text()
    assert page.locator(f"table tbody a[href='{href}']").count() == 0  # in hand: hidden
    page.click("text=show them")
    assert page.locator(f"table tbody a[href='{href}']").count() >= 1
    assert "Rang the DSL; training booked." in page.content()
    page.goto(live.url + href)
    assert "Rang the DSL; training booked." in page.locator("ul.notes").inner_text()

"""Releasing a quarantined return in a real browser: the form passes axe-core, and after the
click the return is the school's current one."""

from __future__ import annotations

import sqlite3

import pytest

from tests.collector_web.test_browser import (  # noqa: F401 - pytest fixtures
    browser,
    check_accessibility,
    context,
    live,
    log_in,
    stored_status,
)

pytestmark = pytest.mark.browser


def test_an_officer_releases_a_quarantined_return(context, live):  # noqa: F811
    with sqlite3.connect(live.home / "collector.sqlite3") as db:
        (sid,) = db.execute(
            "SELECT submission_id FROM submissions WHERE status = 'quarantined' LIMIT 1"
        ).fetchone()
    page = log_in(context, live, "la_officer")
    page.goto(f"{live.url}/returns/{sid}")
    check_accessibility(page, "return-quarantined")
    page.get_by_role("button", name="Release as the current return").click()
    page.wait_for_load_state()
    assert "Released: this is now the current return" in page.content()
    assert stored_status(live, sid) == "received"
    with sqlite3.connect(live.home / "collector.sqlite3") as db:
        assert db.execute(
            "SELECT count(*) FROM current_returns WHERE submission_id = ?", (sid,)
        ).fetchone() == (1,)

"""A second audit from one school is quarantined as a duplicate; the officer releases it on the
return page (a POST form with the CSRF token). The returns list never defaults to a cycle the LA
did not open."""

from __future__ import annotations

from datetime import date

from school_audit.collector.aggregate.compliance import compliance
from school_audit.collector.db.tables import AuditLogEntry, Submission
from tests.collector_web.conftest import csrf_from


def _duplicate(app, seeded, template) -> str:
    from tests.collector_web import seeding

    strong, _ = seeded["schools"]
    envelope = seeding.envelope_for(strong, template, seeding.ALL_MET)  # a new audit: another PC
    return seeding.submit(app.state.database, app.state.collector_key, strong, envelope)


def test_the_officer_releases_a_duplicate_and_it_counts_instead(
    as_role, seeded, app, mini_template_loaded
):
    duplicate = _duplicate(app, seeded, mini_template_loaded)
    client = as_role("la_officer")
    page = client.get(f"/returns/{duplicate}")
    assert "Another return already counts for this setting and cycle" in page.text
    assert "duplicate_return" not in page.text and seeded["strong"] in page.text
    # The decision comes first: why it is quarantined and the release form, then the detail.
    assert page.text.index("Release as the current return") < page.text.index(
        "Signature and integrity"
    )
    assert "Release as the current return" in page.text
    refused = client.post(f"/returns/{duplicate}/release", data={}, follow_redirects=False)
    assert refused.status_code in (400, 403)  # no CSRF token: nothing happens
    with app.state.database.read() as session:
        assert session.get(Submission, duplicate).status == "quarantined"
        assert compliance(session, mini_template_loaded.cycle).returns == 2  # two schools
    response = client.post(
        f"/returns/{duplicate}/release",
        data={"csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    with app.state.database.read() as session:
        assert session.get(Submission, duplicate).status == "received"
        assert session.get(Submission, seeded["strong"]).status == "superseded"
        assert compliance(session, mini_template_loaded.cycle).returns == 2
        assert session.query(AuditLogEntry).filter_by(action="return_released").count() == 1
    again = client.get(f"/returns/{duplicate}")
    assert "Release as the current return" not in again.text
    twice = client.post(
        f"/returns/{duplicate}/release",
        data={"csrf_token": csrf_from(again.text)},
        follow_redirects=False,
    )
    assert twice.status_code == 422 and "Only a quarantined return" in twice.text


def test_steering_users_cannot_release(as_role, seeded, app, mini_template_loaded):
    duplicate = _duplicate(app, seeded, mini_template_loaded)
    client = as_role("steering")
    page = client.get("/steering")
    response = client.post(
        f"/returns/{duplicate}/release",
        data={"csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 403
    with app.state.database.read() as session:
        assert session.get(Submission, duplicate).status == "quarantined"


def test_a_device_cannot_set_the_default_cycle(as_role, seeded, app, mini_template_loaded):
    """A quarantined return for a cycle nobody opened is listed, after the opened ones, but the
    list opens on the LA's newest opened cycle."""
    from school_audit.collector.cycles import open_cycle
    from tests.collector_web import seeding

    cycle = mini_template_loaded.cycle
    with app.state.database.write() as session:
        open_cycle(session, cycle, [(mini_template_loaded.id, mini_template_loaded.version)],
                   date(2026, 6, 1), date(2026, 7, 1), "admin")  # fmt: skip
    strong, _ = seeded["schools"]
    odd = seeding.envelope_for(strong, mini_template_loaded, seeding.ALL_MET)
    odd["cycle"] = "2025-99"
    odd_id = seeding.submit(app.state.database, app.state.collector_key, strong, odd)
    page = as_role("la_officer").get("/returns")
    assert f'<option value="{cycle}" selected>' in page.text
    assert '<option value="2025-99">' in page.text
    assert page.text.index(f'value="{cycle}"') < page.text.index('value="2025-99"')
    assert odd_id not in page.text

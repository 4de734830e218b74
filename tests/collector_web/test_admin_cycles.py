"""Cycles in the browser: open one with its templates and deadlines, move them, exempt and undo."""

from __future__ import annotations

from datetime import date

from school_audit.collector.cycles import cycle_info, expected_establishments
from school_audit.collector.db.tables import AuditLogEntry, Exemption
from tests.collector_web import seeding
from tests.collector_web.conftest import csrf_from


def _post(client, path: str, data: dict[str, object]):
    token = csrf_from(client.get("/admin/cycles").text)
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=False)


def _actions(app) -> list[str]:
    with app.state.database.read() as session:
        return [r.action for r in session.query(AuditLogEntry).order_by(AuditLogEntry.id)]


def test_open_move_deadlines_exempt_and_lift(as_role, app, mini_template_loaded):
    seeding.publish(app.state.database, mini_template_loaded)
    seeding.add_school(app.state.database, "100001", "Hollybank First School", "first")
    admin = as_role("admin")
    assert "mini-school@2025-26.1" in admin.get("/admin/cycles").text
    opened = _post(admin, "/admin/cycles", {"cycle": "2025-26", "first": "2026-03-01",
                   "final": "2026-03-31", "template": "mini-school@2025-26.1"})  # fmt: skip
    assert opened.status_code == 303, opened.text
    moved = _post(
        admin, "/admin/cycles/2025-26/deadlines", {"first": "2026-04-01", "final": "2026-04-30"}
    )
    assert moved.status_code == 303
    with app.state.database.read() as session:
        info = cycle_info(session, "2025-26")
        assert (info.first_deadline, info.final_deadline) == (date(2026, 4, 1), date(2026, 4, 30))
        assert info.templates == {"school": ("mini-school", "2025-26.1")}
    exempted = _post(
        admin,
        "/admin/cycles/2025-26/exemptions",
        {"urn": "100001", "reason": "Closing at Christmas"},
    )
    assert exempted.status_code == 303
    page = admin.get("/admin/cycles?done=exempted").text
    assert "Closing at Christmas" in page and "Exemption recorded." in page
    with app.state.database.read() as session:
        assert expected_establishments(session, "2025-26") == []
    assert _post(admin, "/admin/cycles/2025-26/exemptions/100001/lift", {}).status_code == 303
    with app.state.database.read() as session:
        assert [e.urn for e in expected_establishments(session, "2025-26")] == ["100001"]
    assert _actions(app)[-4:] == ["cycle.open", "cycle.deadlines", "cycle.exempt", "cycle.unexempt"]
    with app.state.database.read() as session:
        assert session.query(AuditLogEntry).filter_by(action="cycle.open").one().actor == "ada"


def test_refusals_say_why_and_change_nothing(as_role, app, mini_template_loaded):
    seeding.publish(app.state.database, mini_template_loaded, date(2026, 3, 1), date(2026, 3, 31))
    admin = as_role("admin")
    cases = [
        ("/admin/cycles", {"cycle": "2025-27", "first": "2026-03-01", "final": "2026-03-31",
                           "template": "mini-school@2025-26.1"}, "not an academic year"),
        ("/admin/cycles", {"cycle": "2026-27", "first": "2026-03-01", "final": "2026-03-31"},
         "choose at least one published template"),
        ("/admin/cycles/2025-26/deadlines", {"first": "2026-05-01", "final": "2026-04-01"},
         "cannot come before"),
        ("/admin/cycles/2025-26/deadlines", {"first": "1 May", "final": "2026-04-01"},
         "a date like 2026-03-31"),
        ("/admin/cycles/2025-26/exemptions", {"urn": "100001", "reason": " "}, "needs a reason"),
        ("/admin/cycles/2025-26/exemptions", {"urn": "424242", "reason": "x"}, "no establishment"),
        ("/admin/cycles/2025-26/exemptions/424242/lift", {}, "is not exempt"),
    ]  # fmt: skip
    before = len(_actions(app))
    for path, data, words in cases:
        response = _post(admin, path, data)
        assert response.status_code == 422, (path, data)
        assert words in response.text, (path, words)
    with app.state.database.read() as session:
        info = cycle_info(session, "2025-26")
        assert (info.first_deadline, info.final_deadline) == (date(2026, 3, 1), date(2026, 3, 31))
        assert session.query(Exemption).count() == 0
    assert len(_actions(app)) == before

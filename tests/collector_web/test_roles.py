"""Role × route: each role reaches exactly what ARCHITECTURE §4.3 allows, and nothing else.

The expected table is written out here by hand (not read from roles.py), so a change to the
permissions in code that the design does not allow fails this test.
"""

from __future__ import annotations

import pytest

from tests.collector_web.conftest import csrf_from

ALLOWED, DENIED, LOGIN = "allowed", "denied", "login"
ROLES = ("admin", "la_officer", "steering", None)


def _row(admin: str, la_officer: str, steering: str) -> dict[str | None, str]:
    return {"admin": admin, "la_officer": la_officer, "steering": steering, None: LOGIN}


EVERYONE = _row(ALLOWED, ALLOWED, ALLOWED)
LA_STAFF = _row(ALLOWED, ALLOWED, DENIED)
ADMIN_ONLY = _row(ALLOWED, DENIED, DENIED)

# Every dashboard GET route. "{weak}" is a real return's id.
GET_ROUTES: dict[str, dict[str | None, str]] = {
    "/": _row(ALLOWED, ALLOWED, "redirect:/steering"),
    "/compliance": LA_STAFF,
    "/compliance?by=district": LA_STAFF,
    "/compliance?by=phase&group=source": LA_STAFF,
    "/triage": LA_STAFF,
    "/themes": LA_STAFF,
    "/trends": LA_STAFF,
    "/returns": LA_STAFF,
    "/returns/{weak}": LA_STAFF,
    "/settings": LA_STAFF,
    "/settings?standard=A1&rating=not_met&district=Wychavon&sort=status&order=desc": LA_STAFF,
    "/settings?flag=statutory_not_met": LA_STAFF,
    "/settings/100001": LA_STAFF,
    "/search?q=School": LA_STAFF,
    "/steering": EVERYONE,
    "/steering?group=source": EVERYONE,
    "/exports": EVERYONE,
    "/exports/returns.xlsx": LA_STAFF,
    "/exports/returns.csv": LA_STAFF,
    "/exports/aggregates.xlsx": EVERYONE,
    "/exports/aggregates.csv": EVERYONE,
    "/exports/steering-pack.pdf": EVERYONE,
    "/admin": ADMIN_ONLY,
    "/admin/users": ADMIN_ONLY,
    "/admin/enrolment": ADMIN_ONLY,
    "/admin/cycles": ADMIN_ONLY,
    "/admin/templates": ADMIN_ONLY,
    "/admin/register": ADMIN_ONLY,
    "/mail": LA_STAFF,
}


def _check(response, expected: str, where: str) -> None:
    if expected == ALLOWED:
        assert response.status_code == 200, where
    elif expected == DENIED:
        assert response.status_code == 403, where
        assert "Not available to your role" in response.text, where
    elif expected == LOGIN:
        assert response.status_code == 303, where
        assert response.headers["location"].startswith("/login?next="), where
    else:
        assert response.status_code == 303, where
        assert response.headers["location"] == expected.split(":", 1)[1], where


@pytest.mark.parametrize("role", ROLES)
def test_every_get_route_for_each_role(as_role, seeded, role):
    client = as_role(role)
    for path, expected in GET_ROUTES.items():
        response = client.get(path.format(weak=seeded["weak"]), follow_redirects=False)
        _check(response, expected[role], f"{role} on {path}")


@pytest.mark.parametrize("role", ROLES)
def test_every_role_on_the_review_post(as_role, seeded, role):
    client = as_role(role)
    token = csrf_from(client.get("/steering").text) if role else "none"
    response = client.post(
        f"/returns/{seeded['strong']}/review",
        data={"csrf_token": token, "decision": "accepted"},
        follow_redirects=False,
    )
    if role in ("admin", "la_officer"):
        assert response.status_code == 303
    else:
        # Steering: refused by role even with a valid token; anonymous: no session, no token.
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_every_role_on_the_triage_note_post(as_role, seeded, role, app):
    from school_audit.collector.db.tables import TriageNote

    client = as_role(role)
    token = csrf_from(client.get("/steering").text) if role else "none"
    response = client.post(
        "/triage/notes",
        data={"csrf_token": token, "urn": "100002", "note": "Rang the DSL."},
        follow_redirects=False,
    )
    with app.state.database.read() as session:
        saved = session.query(TriageNote).count()
    if role in ("admin", "la_officer"):
        assert (response.status_code, saved) == (303, 1)
    else:
        assert (response.status_code, saved) == (403, 0)


@pytest.mark.parametrize("role", ROLES)
def test_every_role_on_the_redaction_posts(as_role, seeded, role, app):
    from school_audit.collector.db.tables import Redaction

    client = as_role(role)
    token = csrf_from(client.get("/steering").text) if role else "none"
    base = f"/returns/{seeded['strong']}/redactions"
    hide = {"csrf_token": token, "item": "A1", "text": "Minutes", "reason": "test"}
    responses = [client.post(base, data=hide, follow_redirects=False)]
    with app.state.database.read() as session:
        ids = [row.id for row in session.query(Redaction).all()] or [1]
    undo = {"csrf_token": token}
    responses.append(client.post(f"{base}/{ids[0]}/undo", data=undo, follow_redirects=False))
    if role in ("admin", "la_officer"):
        assert [r.status_code for r in responses] == [303, 303]
    else:
        assert [r.status_code for r in responses] == [403, 403]
        with app.state.database.read() as session:
            assert session.query(Redaction).count() == 0


# Every admin form. The admin's posts are refused as bad input (422) or go through (303); what
# matters here is that no other role, and nobody signed out, gets past the role check.
ADMIN_POSTS = {
    "/admin/users": {"username": "x", "role": "steering", "password": "short"},
    "/admin/users/olive/active": {"active": "no"},
    "/admin/users/olive/role": {"role": "steering"},
    "/admin/users/olive/password": {"password": "short"},
    "/admin/users/olive/email": {"email": "not an address"},
    "/admin/users/olive/reset-link": {},
    "/admin/enrolment": {"urn": "100001", "days": "0"},
    "/admin/enrolment/1/revoke": {},
    "/admin/cycles": {"cycle": "2025-26"},
    "/admin/cycles/2025-26/deadlines": {"first": "x", "final": "y"},
    "/admin/cycles/2025-26/exemptions": {"urn": "100001", "reason": ""},
    "/admin/cycles/2025-26/exemptions/100001/lift": {},
    "/admin/templates": {"kind": "template"},
    "/admin/register/preview": {"kind": "gias", "la_code": ""},
    "/admin/register/apply": {"token": "none"},
}


@pytest.mark.parametrize("role", ROLES)
def test_every_role_on_the_admin_posts(as_role, seeded, role, app):
    from school_audit.collector.db.tables import AuditLogEntry, User

    client = as_role(role)
    token = csrf_from(client.get("/steering").text) if role else "none"
    with app.state.database.read() as session:
        logged_before = session.query(AuditLogEntry).count()
    for path, data in ADMIN_POSTS.items():
        uploads = path in ("/admin/templates", "/admin/register/preview")
        files = {"file": ("f.json", b"{}", "application/json")} if uploads else None
        response = client.post(path, data={"csrf_token": token, **data}, files=files,
                               follow_redirects=False)  # fmt: skip
        if role == "admin":
            assert response.status_code in (303, 422), path
        else:
            assert response.status_code == 403, (role, path)
    with app.state.database.read() as session:
        olive = session.get(User, "olive")
        logged_after = session.query(AuditLogEntry).count()
    if role != "admin":
        assert (olive.active, olive.role) == (True, "la_officer")
        assert logged_after == logged_before


def test_the_admin_posts_cover_every_admin_form():
    from school_audit.collector.web.routes import PAGE_MODULES

    routes = [route for module in PAGE_MODULES for route in module.router.routes]
    declared = {r.path for r in routes if "POST" in r.methods and r.path.startswith("/admin")}
    covered = {
        path.replace("olive", "{username}")
        .replace("/1/", "/{code_id}/")
        .replace("2025-26", "{cycle}")
        .replace("100001", "{urn}")
        for path in ADMIN_POSTS
    }
    assert declared == covered


def test_the_route_table_covers_every_dashboard_route():
    from school_audit.collector.web.routes import PAGE_MODULES

    routes = [route for module in PAGE_MODULES for route in module.router.routes]
    declared = {route.path for route in routes if "GET" in route.methods}
    public = {
        "/login",
        "/static/{name}",
        "/verify",
        "/verify/{code}",
        "/sign/{token}",
        "/reset/{token}",
    }
    declared -= public
    covered = {
        path.split("?")[0]
        .replace("{weak}", "{submission_id}")
        .replace("/settings/100001", "/settings/{urn}")
        .replace(".xlsx", ".{fmt}")
        .replace(".csv", ".{fmt}")
        for path in GET_ROUTES
    }
    assert declared == covered


def test_navigation_shows_only_what_the_role_may_open(as_role, seeded):
    steering_page = as_role("steering").get("/steering").text
    for href in ('href="/returns"', 'href="/triage"', 'href="/compliance"', 'href="/admin"'):
        assert href not in steering_page
    officer_page = as_role("la_officer").get("/returns").text
    assert 'href="/triage"' in officer_page and 'href="/admin"' not in officer_page


def test_steering_pages_name_no_setting(as_role, seeded):
    client = as_role("steering")
    for path in ("/steering", "/exports", "/exports/aggregates.csv"):
        text = client.get(path).text
        for name in ("Hollybank", "Brookside", "100001", "100002", "dsl100001"):
            assert name not in text, (path, name)

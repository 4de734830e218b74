"""Log-in, log-out, sessions, the log-in rate limit and the audit log."""

from __future__ import annotations

from sqlalchemy import select

from school_audit.collector.db.tables import AuditLogEntry, User, WebSession
from school_audit.collector.web import auth
from tests.collector_web.conftest import PASSWORD, USERS, csrf_from, log_in


def _audit_actions(app) -> list[tuple[str, str]]:
    with app.state.database.read() as session:
        return [
            (e.actor, e.action)
            for e in session.scalars(select(AuditLogEntry).order_by(AuditLogEntry.id))
        ]


def test_passwords_are_stored_as_argon2id(app):
    with app.state.database.read() as session:
        stored = session.get(User, USERS["la_officer"]).password_hash
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_anonymous_is_sent_to_login(client):
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


def test_wrong_password_is_refused_and_logged(client, app):
    page = client.get("/login")
    response = client.post(
        "/login",
        data={
            "username": "olive",
            "password": "wrong password!",
            "csrf_token": csrf_from(page.text),
        },
        follow_redirects=False,
    )
    assert response.status_code == 401
    assert "not right" in response.text
    assert auth.SESSION_COOKIE not in response.cookies
    assert ("olive", "login_failed") in _audit_actions(app)


def test_login_then_logout_ends_the_session_server_side(client, app):
    log_in(client, "la_officer")
    assert ("olive", "login") in _audit_actions(app)
    token = client.cookies.get(auth.SESSION_COOKIE)
    assert token
    with app.state.database.read() as session:
        assert session.scalar(select(WebSession.username)) == "olive"
        # Only the token's hash is stored, never the cookie value itself.
        assert session.scalar(select(WebSession.token_hash)) != token
    page = client.get("/steering")
    response = client.post(
        "/logout", data={"csrf_token": csrf_from(page.text)}, follow_redirects=False
    )
    assert response.status_code == 303
    assert ("olive", "logout") in _audit_actions(app)
    with app.state.database.read() as session:
        assert session.scalar(select(WebSession.username)) is None
    # The old cookie no longer works even if a copy was kept.
    client.cookies.set(auth.SESSION_COOKIE, token)
    assert client.get("/steering", follow_redirects=False).status_code == 303


def test_disabled_user_loses_access_at_once(client, app):
    log_in(client, "la_officer")
    with app.state.database.write() as session:
        session.get(User, "olive").active = False
    assert client.get("/steering", follow_redirects=False).headers["location"].startswith("/login")


def test_next_parameter_cannot_leave_the_site(client):
    page = client.get("/login?next=//evil.example/")
    assert 'name="next" value="/"' in page.text
    response = client.post(
        "/login",
        data={
            "username": "olive",
            "password": PASSWORD,
            "csrf_token": csrf_from(page.text),
            "next": "https://evil.example/",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_login_is_rate_limited_per_account_and_address(client, app):
    for _ in range(auth.FAILURES_PER_ACCOUNT_AND_ADDRESS):
        page = client.get("/login")
        client.post(
            "/login",
            data={
                "username": "olive",
                "password": "nope nope nope",
                "csrf_token": csrf_from(page.text),
            },
        )
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"username": "olive", "password": PASSWORD, "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    # Even the right password is refused while the user name is blocked.
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.text
    assert auth.SESSION_COOKIE not in response.cookies


def test_login_is_rate_limited_per_address(client, app):
    # A small limit keeps the test quick; each failed try costs one Argon2id verification.
    app.state.settings = app.state.settings.model_copy(update={"login_rate_per_ip": 3})
    limit = 3
    for number in range(limit):
        page = client.get("/login")
        client.post(
            "/login",
            data={
                "username": f"guess{number}",
                "password": "x" * 12,
                "csrf_token": csrf_from(page.text),
            },
        )
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"username": "ada", "password": PASSWORD, "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 429

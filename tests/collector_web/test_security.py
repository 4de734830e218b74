"""Security headers, cookie flags and CSRF refusal, seen from outside over HTTP."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from school_audit.collector.app import create_app
from school_audit.collector.settings import CollectorSettings
from school_audit.collector.web import auth, csrf
from tests.collector_web.conftest import PASSWORD, csrf_from


def _set_cookie_headers(response) -> list[str]:
    return response.headers.get_list("set-cookie")


@pytest.mark.parametrize("path", ["/login", "/static/site.css"])
def test_security_headers_on_public_responses(client, path):
    response = client.get(path)
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_security_headers_on_signed_in_and_error_pages(as_role):
    client = as_role("steering")
    for path in ("/steering", "/returns"):
        response = client.get(path)
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["cache-control"] == "no-store"
    assert client.get("/returns").status_code == 403


def test_session_cookie_is_httponly_and_samesite(client):
    page = client.get("/login")
    login_cookie = next(c for c in _set_cookie_headers(page) if c.startswith(csrf.LOGIN_COOKIE))
    assert "httponly" in login_cookie.lower() and "samesite=lax" in login_cookie.lower()
    response = client.post(
        "/login",
        data={"username": "olive", "password": PASSWORD, "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    cookie = next(
        c for c in _set_cookie_headers(response) if c.startswith(auth.SESSION_COOKIE + "=")
    )
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    assert "secure" not in cookie.lower().replace("samesite", "")  # plain http in this test


def test_session_cookie_is_secure_when_settings_say_so(settings, app):
    app.state.settings = settings.model_copy(update={"secure_cookies": True})
    with TestClient(app, base_url="http://testserver") as client:
        page = client.get("/login")
        assert "; secure" in _set_cookie_headers(page)[0].lower()


def test_session_cookie_is_secure_over_https(app):
    with TestClient(app, base_url="https://testserver") as client:
        page = client.get("/login")
        assert "; secure" in _set_cookie_headers(page)[0].lower()
        assert "strict-transport-security" in page.headers


def test_login_without_csrf_token_is_refused(client):
    client.get("/login")
    response = client.post(
        "/login", data={"username": "olive", "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 403
    assert "security token" in response.text
    assert auth.SESSION_COOKIE not in response.cookies


def test_login_with_a_forged_csrf_token_is_refused(client):
    client.get("/login")
    response = client.post(
        "/login", data={"username": "olive", "password": PASSWORD, "csrf_token": "forged"}
    )
    assert response.status_code == 403


def test_signed_in_post_without_or_with_wrong_token_is_refused(as_role, seeded, app):
    client = as_role("la_officer")
    for data in ({"decision": "accepted"}, {"decision": "accepted", "csrf_token": "x" * 43}):
        response = client.post(f"/returns/{seeded['strong']}/review", data=data)
        assert response.status_code == 403
        assert "Nothing was changed" in response.text
    from school_audit.collector.db.tables import Submission

    with app.state.database.read() as session:
        assert session.get(Submission, seeded["strong"]).status == "received"


def test_logout_needs_csrf_token(as_role):
    client = as_role("la_officer")
    assert client.post("/logout", data={}).status_code == 403
    assert client.get("/returns").status_code == 200  # still signed in


def test_another_sessions_token_does_not_work(as_role, seeded):
    first, second = as_role("la_officer"), as_role("admin")
    token_of_first = csrf_from(first.get("/returns").text)
    response = second.post(
        f"/returns/{seeded['strong']}/review",
        data={"decision": "accepted", "csrf_token": token_of_first},
    )
    assert response.status_code == 403


def test_static_files_cannot_escape_their_folder(client):
    assert client.get("/static/..%2Fauth.py").status_code == 404
    assert client.get("/static/auth.py").status_code == 404


def test_login_page_resets_nothing_for_signed_in_users(as_role):
    client = as_role("la_officer")
    response = client.get("/login", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_default_settings_object_is_used_when_app_has_none(tmp_path):
    from school_audit.collector.keys import create_key_file

    create_key_file(tmp_path / "collector-signing-key")
    app = create_app(CollectorSettings(home=tmp_path))
    del app.state.settings
    with TestClient(app) as client:
        assert client.get("/login").status_code == 200
    app.state.database.dispose()

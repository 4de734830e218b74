"""The Manage users page: add, disable, enable, change role, new password; refusals in words."""

from __future__ import annotations

from school_audit.collector.db.tables import AuditLogEntry, User
from tests.collector_web.conftest import PASSWORD, USERS, csrf_from


def _post(client, path: str, **data: str):
    token = csrf_from(client.get("/admin/users").text)
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=False)


def _logged(app, action: str) -> list[tuple[str, str]]:
    with app.state.database.read() as session:
        rows = session.query(AuditLogEntry).filter_by(action=action).all()
        return [(r.actor, r.target) for r in rows]


def test_an_admin_adds_a_user_who_can_then_log_in(as_role, app):
    admin = as_role("admin")
    response = _post(admin, "/admin/users", username="nadia", role="la_officer",
                     password="a long enough passphrase")  # fmt: skip
    assert response.status_code == 303 and response.headers["location"] == "/admin/users?done=added"
    assert "User added." in admin.get(response.headers["location"]).text
    assert _logged(app, "user_added")[-1] == ("ada", "nadia")
    fresh = as_role(None)
    page = fresh.get("/login")
    logged_in = fresh.post("/login", data={"username": "nadia", "password": "a long enough passphrase",
                           "csrf_token": csrf_from(page.text)}, follow_redirects=False)  # fmt: skip
    assert logged_in.status_code == 303


def test_disable_role_and_password_change_what_the_user_can_do(as_role, app):
    admin, officer = as_role("admin"), as_role("la_officer")
    assert officer.get("/returns").status_code == 200
    assert _post(admin, "/admin/users/olive/role", role="steering").status_code == 303
    # A new role ends the user's sessions: the next page asks her to log in again.
    assert officer.get("/returns", follow_redirects=False).status_code == 303
    olive_again = as_role("la_officer")  # logs in afresh as olive, now a steering user
    assert olive_again.get("/returns").status_code == 403
    assert _post(admin, "/admin/users/olive/active", active="no").status_code == 303
    assert olive_again.get("/steering", follow_redirects=False).status_code == 303  # signed out
    with app.state.database.read() as session:
        olive = session.get(User, "olive")
        assert (olive.active, olive.role) == (False, "steering")
    assert _post(admin, "/admin/users/olive/active", active="yes").status_code == 303
    assert (
        _post(admin, "/admin/users/olive/password", password="another fine passphrase").status_code
        == 303
    )
    old = as_role(None)
    page = old.get("/login")
    refused = old.post("/login", data={"username": USERS["la_officer"], "password": PASSWORD,
                       "csrf_token": csrf_from(page.text)}, follow_redirects=False)  # fmt: skip
    assert refused.status_code == 401
    for action in ("user_role_changed", "user_disabled", "user_enabled", "user_password_reset"):
        assert _logged(app, action) == [("ada", "olive")], action


def test_the_last_admin_cannot_disable_or_demote_themself(as_role, app):
    admin = as_role("admin")
    for path, data in (("/admin/users/ada/active", {"active": "no"}),
                       ("/admin/users/ada/role", {"role": "la_officer"})):  # fmt: skip
        response = _post(admin, path, **data)
        assert response.status_code == 422
        assert (
            "is the last active administrator" in response.text
        )  # the refusal, not the page's note
    with app.state.database.read() as session:
        ada = session.get(User, "ada")
        assert ada.active and ada.role == "admin"


def test_bad_input_is_refused_in_words_and_changes_nothing(as_role, app):
    admin = as_role("admin")
    weak = _post(admin, "/admin/users", username="nadia", role="steering", password="short")
    assert weak.status_code == 422 and "at least 12 characters" in weak.text
    assert 'value="nadia"' in weak.text  # what was typed is kept (never the password)
    taken = _post(admin, "/admin/users", username="olive", role="steering", password=PASSWORD)
    assert taken.status_code == 422 and "already exists" in taken.text
    missing = _post(admin, "/admin/users/nobody/role", role="steering")
    assert missing.status_code == 422 and "no user" in missing.text
    with app.state.database.read() as session:
        assert session.query(User).count() == 3


def test_a_form_without_its_csrf_token_is_refused(as_role, app):
    admin = as_role("admin")
    response = admin.post(
        "/admin/users/olive/active", data={"active": "no"}, follow_redirects=False
    )
    assert response.status_code == 403 and "Form refused" in response.text
    with app.state.database.read() as session:
        assert session.get(User, "olive").active


def test_without_mail_the_admin_sets_a_password_and_no_link_is_offered(as_role, app):
    """This collector has no mail relay: the page says so, keeps the password form, and a reset
    link asked for anyway is refused in words with nothing queued."""
    from school_audit.collector.db.tables import OutgoingMail, PasswordResetToken

    admin = as_role("admin")
    assert (
        _post(admin, "/admin/users/olive/email", email="olive@county.example.gov.uk").status_code
        == 303
    )
    page = admin.get("/admin/users").text
    assert "Email olive a reset link" not in page and "mail is not set up" in page
    assert 'value="olive@county.example.gov.uk"' in page
    refused = _post(admin, "/admin/users/olive/reset-link")
    assert refused.status_code == 422 and "Nothing was sent" in refused.text
    with app.state.database.read() as session:
        assert session.query(OutgoingMail).count() == 0
        assert session.query(PasswordResetToken).count() == 0
    assert _logged(app, "user_email_changed") == [("ada", "olive")]
    bad = _post(admin, "/admin/users/olive/email", email="olive at county")
    assert bad.status_code == 422 and "is not an email address" in bad.text


def test_a_reset_link_page_with_a_made_up_token_says_so(as_role):
    page = as_role(None).get("/reset/not-a-real-token")
    assert page.status_code == 404 and "This link is not valid" in page.text
    assert "Log out" not in page.text


def test_a_reset_link_post_without_its_form_cookie_is_refused(as_role, app):
    """The reset page has no session: its form's token is a cookie repeated in the form. A post
    from elsewhere (no cookie) is refused before the link is even looked at."""
    from datetime import datetime, timedelta

    from school_audit.collector import password_reset
    from school_audit.collector.db.tables import PasswordResetToken
    from school_audit.collector.devices import secret_hash

    with app.state.database.write() as session:
        session.add(PasswordResetToken(
            username="olive", token_hash=secret_hash("known-token-for-test"), status="open",
            created_by="ada", created_at=datetime.now().astimezone(),
            expires_at=datetime.now().astimezone() + timedelta(minutes=30),
        ))  # fmt: skip
    stranger = as_role(None)
    refused = stranger.post("/reset/known-token-for-test",
                            data={"csrf_token": "forged", "password": "x" * 20,
                                  "password_again": "x" * 20})  # fmt: skip
    assert refused.status_code == 403
    page = stranger.get("/reset/known-token-for-test")
    assert page.status_code == 200 and "Choose the password olive will log in with" in page.text
    assert page.headers["cache-control"] == "no-store"
    with app.state.database.read() as session:
        assert password_reset.open_link(session, "known-token-for-test",
                                        datetime.now().astimezone()) is not None  # fmt: skip

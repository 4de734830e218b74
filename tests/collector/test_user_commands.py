"""`user add|list|disable|enable|role|reset-password`: each change audit-logged, a disabled user's
sessions end at once, the last active admin stays, and weak passwords are refused."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from school_audit.collector.app import create_app
from school_audit.collector.cli.main import main
from school_audit.collector.db.tables import AuditLogEntry, User, WebSession
from school_audit.collector.keys import create_key_file
from school_audit.collector.settings import CollectorSettings
from tests.collector_web.conftest import csrf_from

GOOD = "kettle harbour violet"


@pytest.fixture
def home(tmp_path, monkeypatch):
    home = tmp_path / "collector-home"
    create_key_file(home / "collector-signing-key")
    monkeypatch.setenv("SCHOOL_AUDIT_COLLECTOR_HOME", str(home))
    monkeypatch.delenv("SCHOOL_AUDIT_COLLECTOR_DATABASE_URL", raising=False)
    return home


def run(monkeypatch, *argv: str, password: str | None = None) -> int:
    if password is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return main(list(argv))


def add(monkeypatch, name: str, role: str, password: str = GOOD) -> int:
    return run(
        monkeypatch, "user", "add", name, "--role", role, "--password-stdin", password=password
    )


@pytest.fixture
def app(home):
    app = create_app(CollectorSettings(home=home))
    yield app
    app.state.database.dispose()


def logged_in(app, username: str, password: str = GOOD) -> TestClient:
    client = TestClient(app, base_url="http://testserver")
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


def audit(app) -> list[tuple[str, str, str]]:
    with app.state.database.read() as session:
        rows = session.scalars(select(AuditLogEntry).order_by(AuditLogEntry.id))
        return [(e.actor, e.action, e.target) for e in rows]


def test_disabling_a_user_ends_their_session_at_once_and_is_logged(app, monkeypatch, capsys):
    assert add(monkeypatch, "ada", "admin") == 0
    assert add(monkeypatch, "olive", "la_officer") == 0
    client = logged_in(app, "olive")
    assert client.get("/returns", follow_redirects=False).status_code == 200
    assert run(monkeypatch, "user", "disable", "olive") == 0
    with app.state.database.read() as session:
        assert session.scalars(select(WebSession).where(WebSession.username == "olive")).all() == []
    assert client.get("/returns", follow_redirects=False).status_code == 303  # to /login
    page = client.get("/login")
    refused = client.post(
        "/login", data={"username": "olive", "password": GOOD, "csrf_token": csrf_from(page.text)}
    )
    assert refused.status_code == 401
    assert ("cli", "user_disabled", "olive") in audit(app)
    capsys.readouterr()
    assert run(monkeypatch, "user", "list") == 0
    assert "olive\tla_officer\tno" in capsys.readouterr().out
    assert run(monkeypatch, "user", "enable", "olive") == 0
    assert ("cli", "user_enabled", "olive") in audit(app)
    logged_in(app, "olive").close()
    client.close()


def test_the_last_active_admin_can_be_neither_disabled_nor_demoted(app, monkeypatch, capsys):
    assert add(monkeypatch, "ada", "admin") == 0
    capsys.readouterr()
    assert run(monkeypatch, "user", "disable", "ada") == 1
    assert "last active admin" in capsys.readouterr().err
    assert run(monkeypatch, "user", "role", "ada", "steering") == 1
    assert "last active admin" in capsys.readouterr().err
    with app.state.database.read() as session:
        ada = session.get(User, "ada")
        assert (ada.role, ada.active) == ("admin", True)
    # With a second admin, the first may go.
    assert add(monkeypatch, "bea", "admin") == 0
    assert run(monkeypatch, "user", "role", "ada", "steering") == 0
    assert run(monkeypatch, "user", "disable", "bea") == 1  # bea is now the last one
    assert ("cli", "user_role_changed", "ada") in audit(app)


def test_a_role_change_ends_the_users_sessions(app, monkeypatch):
    assert add(monkeypatch, "ada", "admin") == 0
    assert add(monkeypatch, "olive", "la_officer") == 0
    client = logged_in(app, "olive")
    assert run(monkeypatch, "user", "role", "olive", "steering") == 0
    assert client.get("/returns", follow_redirects=False).status_code == 303
    assert logged_in(app, "olive").get("/returns", follow_redirects=False).status_code == 403
    client.close()


def test_reset_password_sets_a_new_one_and_ends_sessions(app, monkeypatch, capsys):
    assert add(monkeypatch, "olive", "la_officer") == 0
    client = logged_in(app, "olive")
    new = "lantern orchard pebble"
    assert (
        run(monkeypatch, "user", "reset-password", "olive", "--password-stdin", password=new) == 0
    )
    assert client.get("/returns", follow_redirects=False).status_code == 303
    logged_in(app, "olive", new).close()
    assert ("cli", "user_password_reset", "olive") in audit(app)
    capsys.readouterr()
    weak = "password1234"
    assert (
        run(monkeypatch, "user", "reset-password", "olive", "--password-stdin", password=weak) == 1
    )
    assert "most common" in capsys.readouterr().err
    assert run(monkeypatch, "user", "disable", "nobody") == 1
    assert "no user 'nobody'" in capsys.readouterr().err
    client.close()


@pytest.mark.parametrize(
    ("password", "words"),
    [
        ("short", "at least 12 characters"),
        ("Football2024!", "most common"),
        ("qwertyqwertyqwerty", "most common"),
        ("PASSWORD123456", "most common"),
        ("olive-at-county-hall", "user name"),
    ],
)
def test_user_add_refuses_weak_passwords_with_a_clear_message(
    home, monkeypatch, capsys, password, words
):
    assert add(monkeypatch, "olive", "la_officer", password) == 1
    assert words in capsys.readouterr().err
    assert run(monkeypatch, "user", "list") == 0
    assert "olive" not in capsys.readouterr().out

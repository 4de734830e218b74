"""Log-in limits that slow a guesser without letting a stranger keep an officer out, and a
name that is no user (often a password typed into the wrong box) never stored as typed."""

from __future__ import annotations

import threading

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from school_audit.collector.db.tables import AuditLogEntry, LoginAttempt
from school_audit.collector.web import auth, passwords
from tests.collector_web.conftest import PASSWORD, csrf_from

OFFICE = "192.0.2.10"  # the officer's own computer


@pytest.fixture
def from_address(app):
    """A TestClient whose requests come from the given address (the direct peer)."""
    clients: list[TestClient] = []

    def make(address: str) -> TestClient:
        client = TestClient(app, base_url="http://testserver", client=(address, 40000))
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def _try(client: TestClient, username: str, password: str) -> int:
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    return response.status_code


def test_a_stranger_guessing_does_not_lock_the_officer_out(from_address):
    stranger = from_address("203.0.113.7")
    for _ in range(auth.FAILURES_PER_ACCOUNT_AND_ADDRESS + 1):
        _try(stranger, "olive", "not the password")
    # The stranger's own address is stopped, even with the right password...
    assert _try(stranger, "olive", PASSWORD) == 429
    # ...but the officer, elsewhere, logs in at once.
    assert _try(from_address(OFFICE), "olive", PASSWORD) == 303


def test_many_addresses_reach_the_account_ceiling_but_not_the_officers_usual_address(
    app, from_address
):
    app.state.settings = app.state.settings.model_copy(update={"login_rate_per_account": 4})
    assert _try(from_address(OFFICE), "olive", PASSWORD) == 303  # signed in from here before
    for number in range(4):  # a guesser spread over several addresses
        assert _try(from_address(f"203.0.113.{number}"), "olive", "not the password") == 401
    # Over the account's ceiling: a new address waits (the back-off)...
    assert _try(from_address("198.51.100.1"), "olive", PASSWORD) == 429
    # ...while the address that signed in lately is still let in.
    assert _try(from_address(OFFICE), "olive", PASSWORD) == 303


def test_the_account_ceiling_is_a_back_off_not_a_lock(app, from_address):
    app.state.settings = app.state.settings.model_copy(update={"login_rate_per_account": 2})
    for number in range(2):
        _try(from_address(f"203.0.113.{number}"), "olive", "not the password")
    with app.state.database.write() as session:
        for attempt in session.scalars(select(LoginAttempt)):
            attempt.at = attempt.at - auth.ACCOUNT_SLOW_LANE  # half a minute with no try
    # Still over the ceiling, but one try is let through after the pause.
    assert _try(from_address("198.51.100.1"), "olive", PASSWORD) == 303


def test_a_password_typed_as_the_user_name_is_not_stored(app, client):
    typed = "Sunflower-Meadow-42"
    assert _try(client, typed, "anything at all") == 401
    with app.state.database.read() as session:
        names = session.scalars(select(LoginAttempt.username)).all()
        actors = session.scalars(select(AuditLogEntry.actor)).all()
        details = session.scalars(select(AuditLogEntry.detail)).all()
    assert names == [auth.UNKNOWN_USER]
    assert auth.UNKNOWN_USER in actors
    assert not any(typed in text for text in [*names, *actors, *details])


def test_unknown_names_still_count_against_the_address(app, client):
    app.state.settings = app.state.settings.model_copy(update={"login_rate_per_ip": 3})
    for number in range(3):
        assert _try(client, f"nobody{number}", "x" * 12) == 401
    assert _try(client, "ada", PASSWORD) == 429


def test_the_password_check_runs_off_the_event_loop(app, monkeypatch):
    """While one log-in's Argon2id check runs, the server still answers /healthz. (Had the check
    run on the event loop, the health check could only be answered after it gave up waiting.)"""
    entered, answered = threading.Event(), threading.Event()
    real = passwords.password_matches
    seen: list[bool] = []

    def slow_check(stored_hash, password):
        entered.set()
        seen.append(answered.wait(timeout=20))
        return real(stored_hash, password)

    monkeypatch.setattr(passwords, "password_matches", slow_check)
    with TestClient(app, base_url="http://testserver") as client:
        token = csrf_from(client.get("/login").text)
        form = {"username": "olive", "password": PASSWORD, "csrf_token": token}
        results: list[int] = []
        login = threading.Thread(
            target=lambda: results.append(
                client.post("/login", data=form, follow_redirects=False).status_code
            )
        )
        login.start()
        assert entered.wait(timeout=20)
        assert client.get("/api/v1/healthz").status_code == 200
        answered.set()
        login.join(timeout=30)
    assert seen == [True]
    assert results == [303]

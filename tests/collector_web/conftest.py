"""A real collector app on a temporary SQLite file, with one user of each dashboard role."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from school_audit.collector.app import create_app
from school_audit.collector.keys import create_key_file
from school_audit.collector.settings import CollectorSettings
from school_audit.collector.web import auth

PASSWORD = "correct horse battery"
USERS = {"admin": "ada", "la_officer": "olive", "steering": "stella"}


@pytest.fixture
def settings(tmp_path):
    home = tmp_path / "collector"
    create_key_file(home / "collector-signing-key")
    return CollectorSettings(home=home)


@pytest.fixture
def app(settings):
    app = create_app(settings)
    for role, username in USERS.items():
        auth.create_user(app.state.database, username, role, PASSWORD)
    yield app
    app.state.database.dispose()


@pytest.fixture
def client(app):
    with TestClient(app, base_url="http://testserver") as client:
        yield client


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def log_in(client: TestClient, role: str) -> TestClient:
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"username": USERS[role], "password": PASSWORD, "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


@pytest.fixture
def as_role(app):
    """A TestClient logged in as the given role (or anonymous for None)."""
    clients = []

    def make(role: str | None) -> TestClient:
        client = TestClient(app, base_url="http://testserver")
        clients.append(client)
        return log_in(client, role) if role else client

    yield make
    for client in clients:
        client.close()

"""A real collector app on a temporary SQLite file, with one user of each dashboard role."""

from __future__ import annotations

import functools
import re

import pytest
from fastapi.testclient import TestClient

from school_audit.collector.app import create_app
from school_audit.collector.db.tables import User
from school_audit.collector.keys import create_key_file
from school_audit.collector.settings import CollectorSettings
from school_audit.collector.web import passwords

PASSWORD = "correct horse battery"
USERS = {"admin": "ada", "la_officer": "olive", "steering": "stella"}


@functools.cache
def _password_hash() -> str:
    # Argon2id is slow on purpose: hash the shared test password once per run.
    return passwords.hash_password(PASSWORD)


@pytest.fixture
def settings(tmp_path):
    home = tmp_path / "collector"
    create_key_file(home / "collector-signing-key")
    return CollectorSettings(home=home)


@pytest.fixture
def app(settings):
    app = create_app(settings)
    with app.state.database.write() as session:
        for role, username in USERS.items():
            session.add(User(username=username, role=role, password_hash=_password_hash()))
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


@pytest.fixture
def mini_template_loaded():
    from pathlib import Path

    from school_audit.domain.template_loading import load_template

    return load_template(
        (Path(__file__).parent.parent / "fixtures" / "mini_school_template.json").read_bytes()
    )


@pytest.fixture
def seeded(app, mini_template_loaded):
    """Two schools: one strong return, one weak return that was later revised."""
    from tests.collector_web import seeding

    database, key, template = app.state.database, app.state.collector_key, mini_template_loaded
    seeding.publish(database, template)
    strong = seeding.add_school(database, "100001", "Hollybank First School", "first", "Redditch")
    weak = seeding.add_school(database, "100002", "Brookside Primary School", "primary", "Wychavon")
    strong_id = seeding.submit(
        database, key, strong, seeding.envelope_for(strong, template, seeding.ALL_MET)
    )
    first = seeding.envelope_for(weak, template, seeding.WEAK)
    first_id = seeding.submit(database, key, weak, first)
    revised = dict(seeding.WEAK, A2="met")
    second = seeding.envelope_for(
        weak,
        template,
        revised,
        revision=2,
        audit_id=first["audit_id"],
        supersedes=first_id,
        evidence="Minutes and records checked again.",
    )
    weak_id = seeding.submit(database, key, weak, second)
    return {"strong": strong_id, "weak_first": first_id, "weak": weak_id, "schools": (strong, weak)}

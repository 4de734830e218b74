"""The drill-down lists, search, triage notes and named audit log on a real PostgreSQL server
(the same pages as test_settings_pages.py, whose SQL must also hold on PostgreSQL)."""

from __future__ import annotations

import re

import pytest

from school_audit.collector.db.tables import Establishment
from school_audit.collector.keys import create_key_file
from school_audit.collector.settings import CollectorSettings
from tests.collector_web.conftest import csrf_from
from tests.pg_server import PostgresServer

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg_server():
    server = PostgresServer.start()
    yield server
    server.stop()


@pytest.fixture
def settings(tmp_path, pg_server):
    """Overrides conftest's: the same app, on PostgreSQL."""
    home = tmp_path / "collector"
    create_key_file(home / "collector-signing-key")
    return CollectorSettings(home=home, database_url=pg_server.fresh_collector_database())


def _names(html: str) -> list[str]:
    return re.findall(r'<a href="/settings/\d+">([^<]+)</a>', html)


def test_lists_search_notes_and_audit_names_on_postgres(as_role, seeded, app):
    assert app.state.database.engine.dialect.name == "postgresql"
    with app.state.database.write() as session:
        session.get(Establishment, "100001").postcode = "WR1 2AB"
    client = as_role("la_officer")
    assert _names(client.get("/settings?standard=A1&rating=not_met").text) == [
        "Brookside Primary School"
    ]
    assert _names(client.get("/settings?support=A1&sort=size&order=desc").text) == [
        "Brookside Primary School"
    ]
    assert _names(client.get("/settings?district=Redditch&reviewed=no").text) == [
        "Hollybank First School"
    ]
    found = client.get("/search?q=wr12ab", follow_redirects=False)
    assert found.headers["location"] == "/settings/100001"
    token = csrf_from(client.get("/triage").text)
    noted = client.post(
        "/triage/notes", data={"csrf_token": token, "urn": "100002", "note": "Rang the DSL."}
    )
    assert noted.status_code == 200 and "Marked contacted" in noted.text
    assert "Rang the DSL." in client.get("/settings/100002").text
    assert "Setting marked contacted" in as_role("admin").get("/admin").text

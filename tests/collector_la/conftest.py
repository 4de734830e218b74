"""Databases for the LA-side tests: a SQLite file, and a real PostgreSQL server (tests/pg_server)."""

from __future__ import annotations

import pytest

from tests.pg_server import PostgresServer


@pytest.fixture(scope="session")
def pg_server():
    server = PostgresServer.start()  # raises with a clear message if PostgreSQL is missing
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'collector.sqlite3'}"
    return request.getfixturevalue("pg_server").create_database()


@pytest.fixture
def database(database_url):
    from school_audit.collector.db import init_database

    db = init_database(database_url)
    yield db
    db.dispose()


@pytest.fixture(
    scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def demo_world(request, tmp_path_factory):
    """The demo county seeded once per test run and database kind (tests only read it, apart
    from the audit-log lines exports add)."""
    from tests.collector_la.demo_world import seed_world

    folder = tmp_path_factory.mktemp("demo")
    if request.param == "sqlite":
        url = f"sqlite:///{folder / 'collector.sqlite3'}"
    else:
        url = request.getfixturevalue("pg_server").create_database()
    world = seed_world(folder, url)
    yield world
    world.database.dispose()

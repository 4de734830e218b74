"""End-to-end fixtures: a real collector over real HTTP, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest

from tests.e2e.collector_server import make_collector


@pytest.fixture(scope="session")
def e2e_pg_server():
    from tests.pg_server import PostgresServer

    server = PostgresServer.start()  # a clear error, never a skip, if PostgreSQL is missing
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def collector_db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'collector.sqlite3'}"
        return
    server = request.getfixturevalue("e2e_pg_server")
    url = server.fresh_collector_database()  # schema already migrated: faster
    yield url
    server.drop_database(url)


@pytest.fixture
def make_running_collector(tmp_path, collector_db_url):
    started = []

    def make(urns: list[str], tls=None):
        collector = make_collector(tmp_path / "collector-home", collector_db_url, urns, tls)
        started.append(collector)
        return collector

    yield make
    for collector in started:
        collector.stop()

"""Collector test fixtures: each API test runs on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import shutil

import pytest

from tests.collector.factories import CollectorWorld, EnrolledDevice, enrol_device
from tests.pg_server import PostgresServer, empty_collector_tables

OTHER_URN = "654321"


@pytest.fixture(scope="session")
def pg_server():
    server = PostgresServer.start()  # raises with a clear message if PostgreSQL is missing
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_collector_url(pg_server):
    """One PostgreSQL database with the collector schema, emptied before each test that uses it."""
    return pg_server.fresh_collector_database()


@pytest.fixture(scope="session")
def sqlite_schema_file(tmp_path_factory):
    """A SQLite file migrated once; each test gets a copy (quicker than migrating again)."""
    from school_audit.collector.db import init_database

    path = tmp_path_factory.mktemp("sqlite-template") / "collector.sqlite3"
    init_database(f"sqlite:///{path}").dispose()
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """An empty collector database per test: a new SQLite file, or the PostgreSQL one emptied."""
    if request.param == "sqlite":
        path = tmp_path / "collector.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_schema_file"), path)
        yield f"sqlite:///{path}"
        return
    url = request.getfixturevalue("pg_collector_url")
    empty_collector_tables(url)
    yield url


@pytest.fixture
def world(tmp_path, db_url):
    world = CollectorWorld.create(tmp_path / "collector-home", db_url, migrate=False)
    world.add_school("123456")
    world.add_school(OTHER_URN, district="Bromsgrove", phase="primary")
    yield world
    world.database.dispose()


@pytest.fixture
def client(world):
    from fastapi.testclient import TestClient

    with TestClient(world.app(), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def device(client, world) -> EnrolledDevice:
    return enrol_device(client, world, "123456")


@pytest.fixture
def other_device(client, world) -> EnrolledDevice:
    return enrol_device(client, world, OTHER_URN)

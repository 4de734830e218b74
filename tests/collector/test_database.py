"""The one Alembic chain builds the same schema on SQLite and PostgreSQL; SQLite runs in WAL."""

from __future__ import annotations

import threading

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from school_audit.collector.db import Database, init_database
from school_audit.collector.db.migrate import alembic_config, current_revision, head_revision
from school_audit.collector.db.tables import AuditLogEntry, metadata


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    server = request.getfixturevalue("pg_server")
    url = server.create_database()
    yield url
    server.drop_database(url)


def test_migrations_build_exactly_the_tables_and_go_down_again(empty_url):
    database = init_database(empty_url)
    try:
        assert current_revision(database.engine) == head_revision()
        with database.engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), metadata) == []
        config = alembic_config()
        with database.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
        with database.engine.connect() as connection:
            remaining = set(database.engine.dialect.get_table_names(connection))
        assert remaining <= {"alembic_version"}
        init_database(empty_url).dispose()  # and up again
    finally:
        database.dispose()


def test_sqlite_runs_in_wal_with_full_sync(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    with database.read() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        # Checkpoints are spaced for ingest (a return dirties hundreds of pages), not disabled.
        assert session.execute(text("PRAGMA wal_autocheckpoint")).scalar() == 8000
        assert session.execute(text("PRAGMA journal_size_limit")).scalar() == 64 * 1024 * 1024
    database.dispose()


def test_writers_take_turns_on_sqlite(tmp_path):
    """Many threads writing at once: each write commits, none fails with "database is locked"."""
    database = init_database(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    failures: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(10):
                with database.write() as session:
                    session.add(AuditLogEntry(actor=f"t{n}", action="test", target=str(i)))
        except BaseException as error:  # noqa: BLE001 - collected and asserted below
            failures.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with database.read() as session:
        assert session.execute(text("SELECT count(*) FROM audit_log")).scalar() == 80
    database.dispose()


def test_a_failed_write_leaves_nothing_behind(tmp_path):
    database = init_database(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    with pytest.raises(RuntimeError), database.write() as session:
        session.add(AuditLogEntry(actor="x", action="half", target=""))
        session.flush()
        raise RuntimeError("stop")
    with database.read() as session:
        assert session.execute(text("SELECT count(*) FROM audit_log")).scalar() == 0
    database.dispose()


def test_a_populated_sqlite_collector_upgrades_through_table_rebuilds(tmp_path):
    """Batch-mode migrations rebuild `submissions` on SQLite; answers point at it, so the rebuild
    must not trip over foreign keys (an existing collector with returns must be able to upgrade)."""
    from fastapi.testclient import TestClient

    from school_audit.collector.db.migrate import migrate
    from tests.collector.factories import CollectorWorld, enrol_device

    world = CollectorWorld.create(tmp_path / "home")
    world.add_school("123456")
    with TestClient(world.app()) as client:
        device = enrol_device(client, world)
        response = client.post(
            "/api/v1/submissions", json=device.body(world.template), headers=device.headers
        )
        assert response.status_code == 201, response.text
    engine = world.database.engine
    with engine.connect() as connection:
        before = connection.execute(text("SELECT count(*) FROM answers")).scalar()
    assert before > 0
    migrate(engine, "0003", down=True)  # back past the table rebuilds, with the rows in place
    migrate(engine, "head")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM answers")).scalar() == before
        assert connection.execute(text("PRAGMA foreign_key_check")).fetchall() == []
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert current_revision(engine) == head_revision()
    world.database.dispose()

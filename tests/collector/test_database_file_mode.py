"""The collector's SQLite file (and its -wal and -shm files) is readable by its owner only."""

from __future__ import annotations

import os
import stat

import pytest
from sqlalchemy import text

from school_audit.collector.db import init_database


@pytest.fixture
def usual_umask():
    before = os.umask(0o022)  # the common default, under which files come out 0644
    yield
    os.umask(before)


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_database_and_its_wal_files_are_0600(tmp_path, usual_umask):
    path = tmp_path / "data" / "collector.sqlite3"
    database = init_database(f"sqlite:///{path}")
    with database.write() as session:
        session.execute(text("CREATE TABLE probe (x INTEGER)"))
    with database.read() as session:  # keeps the WAL open while we look
        session.execute(text("SELECT count(*) FROM probe")).scalar()
        files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
        assert all(f.exists() for f in files)
        assert {f.name: _mode(f) for f in files} == {f.name: 0o600 for f in files}
    database.dispose()


def test_an_existing_file_keeps_the_mode_its_owner_chose(tmp_path, usual_umask):
    path = tmp_path / "collector.sqlite3"
    init_database(f"sqlite:///{path}").dispose()
    path.chmod(0o640)  # e.g. a backup group given read access on purpose
    init_database(f"sqlite:///{path}").dispose()
    assert _mode(path) == 0o640


def test_the_upgrade_forgets_failed_log_in_names_that_are_no_user(tmp_path):
    """Before 0011 a password typed as the user name was kept in login_attempts and the audit
    log (shown on /admin): the upgrade replaces every such name."""
    from school_audit.collector.db.migrate import migrate

    database = init_database(f"sqlite:///{tmp_path / 'collector.sqlite3'}")
    migrate(database.engine, "0007", down=True)
    with database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (username, role, password_hash, active, created_at) "
                "VALUES ('olive', 'la_officer', 'x', 1, '2026-01-01 00:00:00')"
            )
        )
        for name in ("olive", "Sunflower-Meadow-42"):
            connection.execute(
                text(
                    "INSERT INTO login_attempts (at, username, client, succeeded) "
                    "VALUES ('2026-01-01 00:00:00', :n, '192.0.2.1', 0)"
                ),
                {"n": name},
            )
            connection.execute(
                text(
                    "INSERT INTO audit_log (at, actor, action, target, detail) "
                    "VALUES ('2026-01-01 00:00:00', :n, 'login_failed', '', 'from 192.0.2.1')"
                ),
                {"n": name},
            )
    migrate(database.engine, "head")
    with database.engine.connect() as connection:
        names = connection.execute(text("SELECT username FROM login_attempts")).scalars().all()
        actors = connection.execute(text("SELECT actor FROM audit_log")).scalars().all()
    assert sorted(names) == sorted(actors) == ["(unknown user)", "olive"]
    database.dispose()

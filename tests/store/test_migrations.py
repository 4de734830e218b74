"""Schema migrations: a new file is built at head; an older one is copied first, then upgraded."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from school_audit.store import DatabaseTooNew, Store, list_backups, remove_copy
from school_audit.store.connection import make_engine
from school_audit.store.migrate import HEAD_REVISION, KNOWN_REVISIONS, alembic_config, upgrade
from school_audit.store.tables import metadata


def _revision(path):
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        connection.close()


def test_known_revisions_match_the_shipped_scripts():
    scripts = ScriptDirectory.from_config(alembic_config(None))
    shipped = [script.revision for script in reversed(list(scripts.walk_revisions()))]
    assert tuple(shipped) == KNOWN_REVISIONS
    assert scripts.get_current_head() == HEAD_REVISION


def test_a_new_database_is_created_at_head_without_a_backup(db_path, backups):
    Store.open(db_path, backups=backups).close()
    assert _revision(db_path) == HEAD_REVISION
    assert list_backups(backups) == []


def test_the_migrations_build_exactly_the_tables_the_code_uses(store):
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []


@pytest.fixture
def old_database(db_path, mini_template, school_profile):
    """A file at the first revision, holding a profile and an audit with one answer."""
    db_path.parent.mkdir(parents=True)
    engine = make_engine(db_path)
    upgrade(engine, "0001")
    engine.dispose()
    audit_id = str(uuid.uuid4())
    raw = sqlite3.connect(db_path)
    with raw:
        raw.execute(
            "INSERT INTO profile VALUES (1, ?, '2025-09-01T00:00:00.000000+00:00')",
            (school_profile.model_dump_json(),),
        )
        raw.execute(
            "INSERT INTO audits VALUES (?, '2025-26', ?, ?, ?, 'draft', 1, NULL, ?, '{}', '{}',"
            " 'c', 'u')",
            (
                audit_id,
                mini_template.id,
                mini_template.version,
                mini_template.sha256,
                school_profile.model_dump_json(),
            ),
        )
        raw.execute(
            "INSERT INTO responses VALUES (?, 'A1', 'met', 'Minutes, autumn term', '', '{}',"
            " 'null', 'u')",
            (audit_id,),
        )
    raw.close()
    return uuid.UUID(audit_id)


def test_an_older_database_is_copied_then_upgraded(old_database, db_path, backups):
    before = db_path.read_bytes()
    with Store.open(db_path, backups=backups) as store:
        assert store.load_audit(old_database).responses["A1"].evidence == "Minutes, autumn term"
        store.set_setting("collector_url", "https://la.example")  # a table from revision 0002
    assert _revision(db_path) == HEAD_REVISION
    [backup] = list_backups(backups)
    assert backup.name.startswith("audit-") and backup.name.endswith(
        f"-before-{HEAD_REVISION}.sqlite3"
    )
    copy = sqlite3.connect(backup)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert copy.execute("SELECT evidence FROM responses").fetchall() == [
            ("Minutes, autumn term",)
        ]
        tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master")}
        assert "outbox" not in tables
    finally:
        copy.close()
    assert before  # the old file had content when it was copied


def test_the_backup_includes_changes_still_in_the_write_ahead_log(old_database, db_path, backups):
    # While another connection stays open, the writer's close does not checkpoint: the change
    # lives only in the -wal file, and a plain file copy would miss it.
    holder = sqlite3.connect(db_path)
    holder.execute("PRAGMA journal_mode = WAL")
    writer = sqlite3.connect(db_path)
    with writer:
        writer.execute("UPDATE responses SET evidence = 'Only in the log'")
    writer.close()
    try:
        assert b"Only in the log" not in db_path.read_bytes()
        assert b"Only in the log" in db_path.with_name(db_path.name + "-wal").read_bytes()
        Store.open(db_path, backups=backups).close()
    finally:
        holder.close()
    [backup] = list_backups(backups)
    copy = sqlite3.connect(backup)
    try:
        assert copy.execute("SELECT evidence FROM responses").fetchone() == ("Only in the log",)
    finally:
        copy.close()


def test_a_database_from_a_newer_app_is_refused_and_left_alone(store, db_path, backups):
    store.close()
    raw = sqlite3.connect(db_path)
    with raw:
        raw.execute("UPDATE alembic_version SET version_num = '9999'")
    raw.close()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseTooNew) as raised:
        Store.open(db_path, backups=backups)
    assert "newer" in raised.value.message and "Install" in raised.value.what_to_do
    assert db_path.read_bytes() == before
    assert list_backups(backups) == []


def test_an_old_backup_can_be_looked_at_without_changing_it(old_database, db_path, backups):
    Store.open(db_path, backups=backups).close()
    [backup] = list_backups(backups)
    before = backup.read_bytes()
    copy = Store.open_copy(backup)
    try:
        assert copy.read_only
        assert copy.load_audit(old_database).responses["A1"].evidence == "Minutes, autumn term"
    finally:
        remove_copy(copy)
    assert backup.read_bytes() == before
    assert not copy.path.parent.exists()


def test_opening_a_current_database_does_not_load_alembic(store, db_path, backups):
    store.close()
    script = (
        "import sys; from pathlib import Path; from school_audit.store import Store; "
        f"Store.open(Path({str(db_path)!r})).close(); print('alembic' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "False", result.stderr

"""Locked, read-only and full databases: a clear typed error, nothing saved is lost, retry works."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import event

from school_audit.domain.audit import Action, Rating, Response
from school_audit.store import (
    DatabaseCorrupt,
    DatabaseLocked,
    DatabaseReadOnly,
    DiskFull,
    Store,
    StoreError,
)
from school_audit.store.errors import translate


def _integrity(path) -> str:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()


def test_locked_database_raises_and_the_retry_after_release_saves(store, draft, db_path):
    store.save_response(draft.audit_id, Response(standard_id="A1", rating=Rating.MET))
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    answer = Response(standard_id="A2", rating=Rating.NOT_MET, evidence="Link governor left")
    try:
        with pytest.raises(DatabaseLocked) as raised:
            store.save_response(draft.audit_id, answer)
        assert "another program" in raised.value.message
        assert "try again" in raised.value.what_to_do
        with pytest.raises(DatabaseLocked):
            store.save_action(draft.audit_id, Action(standard_id="A2"))
    finally:
        other.execute("ROLLBACK")
        other.close()
    store.save_response(draft.audit_id, answer)  # the caller kept the value and retries
    saved = store.load_audit(draft.audit_id)
    assert saved.responses["A2"] == answer
    assert saved.responses["A1"].rating is Rating.MET
    assert saved.actions == []


def test_reading_still_works_while_another_program_writes(store, draft, db_path):
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # WAL: a writer does not stop readers
    try:
        assert store.load_audit(draft.audit_id).audit_id == draft.audit_id
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_read_only_medium_raises_database_read_only(store, draft, db_path, backups):
    # Tests run as root, where chmod stops nothing: open the file the way SQLite opens a file on
    # a read-only medium (mode=ro), which refuses writes whoever the user is.
    store.save_response(draft.audit_id, Response(standard_id="A1", rating=Rating.MET))
    store.close()
    with Store.open(db_path, read_only=True, backups=backups) as read_only:
        assert read_only.load_audit(draft.audit_id).responses["A1"].rating is Rating.MET
        with pytest.raises(DatabaseReadOnly) as raised:
            read_only.save_response(draft.audit_id, Response(standard_id="A2", rating=Rating.MET))
        assert "read-only" in raised.value.message
        assert "--data-dir" in raised.value.what_to_do
        with pytest.raises(DatabaseReadOnly):
            read_only.set_setting("collector_url", "https://la.example")
    with Store.open(db_path, backups=backups) as again:
        assert "A2" not in again.load_audit(draft.audit_id).responses


def test_query_only_connection_is_reported_as_read_only(store, draft):
    @event.listens_for(store.engine, "connect")
    def _query_only(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA query_only = 1")

    store.engine.dispose()
    with pytest.raises(DatabaseReadOnly):
        store.save_response(draft.audit_id, Response(standard_id="A1", rating=Rating.MET))


def test_disk_full_raises_and_keeps_what_was_saved(store, draft, db_path, backups):
    saved = Response(standard_id="A1", rating=Rating.MET, evidence="Governors' minutes")
    store.save_response(draft.audit_id, saved)
    with store.engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()

    @event.listens_for(store.engine, "connect")
    def _no_room(dbapi_connection, _record):
        # A full disk, simulated: the file may not grow by a single page.
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    store.engine.dispose()
    too_big = Response(standard_id="A2", rating=Rating.MET, evidence="x" * 200_000)
    with pytest.raises(DiskFull) as raised:
        store.save_response(draft.audit_id, too_big)
    assert "Free some space" in raised.value.what_to_do
    store.close()
    with Store.open(db_path, backups=backups) as again:
        audit = again.load_audit(draft.audit_id)
        assert audit.responses == {"A1": saved}
        again.save_response(draft.audit_id, too_big)  # room again: the same value saves
        assert again.load_audit(draft.audit_id).responses["A2"] == too_big
    assert _integrity(db_path) == "ok"


def test_a_folder_that_cannot_be_created_is_reported(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError) as raised:
        Store.open(blocker / "data" / "audit.sqlite3")
    assert "cannot be created" in raised.value.message


def test_a_file_sqlite_cannot_open_is_reported_as_such(tmp_path):
    try:
        sqlite3.connect(f"file:{tmp_path / 'missing' / 'audit.sqlite3'}?mode=ro", uri=True)
    except sqlite3.OperationalError as error:
        translated = translate(error)
    assert isinstance(translated, DatabaseReadOnly)
    assert "cannot be opened" in translated.message and "--data-dir" in translated.what_to_do


def test_a_folder_in_place_of_the_file_is_a_store_error(tmp_path):
    folder = tmp_path / "audit.sqlite3"
    folder.mkdir()
    with pytest.raises(StoreError) as raised:
        Store.open(folder)
    assert "disk reported an error" in raised.value.message


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("database is locked", DatabaseLocked),
        ("attempt to write a readonly database", DatabaseReadOnly),
        ("database or disk is full", DiskFull),
        ("file is not a database", DatabaseCorrupt),
        ("database disk image is malformed", DatabaseCorrupt),
    ],
)
def test_driver_messages_map_to_typed_errors(message, kind):
    from sqlalchemy.exc import OperationalError

    assert type(translate(sqlite3.OperationalError(message))) is kind
    wrapped = OperationalError("UPDATE x", {}, sqlite3.OperationalError(message))
    assert type(translate(wrapped)) is kind

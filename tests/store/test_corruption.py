"""A damaged file is reported, never changed, and the last good copy can be opened or restored."""

from __future__ import annotations

import os
import sqlite3

import pytest

from school_audit.domain.audit import Rating, Response
from school_audit.store import (
    DatabaseCorrupt,
    DatabaseEmpty,
    DatabaseReadOnly,
    Store,
    list_backups,
)
from school_audit.store.backups import take_backup


@pytest.fixture
def saved(store, draft, db_path, backups):
    """A database with answers, a good copy of it in the backups folder, then closed."""
    for n in range(40):
        store.save_response(
            draft.audit_id,
            Response(standard_id=f"S{n}", rating=Rating.MET, evidence=f"Evidence {n} " * 40),
        )
    expected = store.load_audit(draft.audit_id)
    store.close()
    take_backup(db_path, "before-test", backups)
    return expected


def _trash_responses_page(db_path):
    connection = sqlite3.connect(db_path)
    try:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        root = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'responses'"
        ).fetchone()[0]
    finally:
        connection.close()
    with open(db_path, "r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(os.urandom(page_size))


def test_random_bytes_are_reported_as_corrupt_and_left_untouched(db_path, backups):
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(os.urandom(16384))
    before = db_path.read_bytes()
    with pytest.raises(DatabaseCorrupt) as raised:
        Store.open(db_path, backups=backups)
    assert "damaged" in raised.value.message
    assert "last good copy" in raised.value.what_to_do
    assert db_path.read_bytes() == before
    assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]


def test_a_trashed_page_is_found_on_open_and_the_file_left_as_it_was(saved, db_path, backups):
    _trash_responses_page(db_path)
    before = db_path.read_bytes()
    with pytest.raises(DatabaseCorrupt):
        Store.open(db_path, backups=backups)
    assert db_path.read_bytes() == before


def test_restore_moves_the_damaged_file_aside_and_opens_the_copy(saved, db_path, backups):
    _trash_responses_page(db_path)
    damaged_bytes = db_path.read_bytes()
    [backup] = list_backups(backups)
    backup_bytes = backup.read_bytes()
    restored, damaged = Store.restore_backup(backup, db_path)
    with restored:
        assert restored.load_audit(saved.audit_id) == saved
        restored.save_response(saved.audit_id, Response(standard_id="A1", rating=Rating.NOT_MET))
    assert damaged.name.startswith("damaged-") and damaged.read_bytes() == damaged_bytes
    assert backup.read_bytes() == backup_bytes


def test_restore_refuses_a_damaged_backup_and_changes_nothing(saved, db_path, backups):
    [backup] = list_backups(backups)
    _trash_responses_page(backup)
    before = db_path.read_bytes()
    with pytest.raises(DatabaseCorrupt, match="damaged too"):
        Store.restore_backup(backup, db_path)
    assert db_path.read_bytes() == before
    assert not list(db_path.parent.glob("damaged-*"))


def test_open_copy_shows_a_backup_read_only_without_changing_it(saved, backups):
    [backup] = list_backups(backups)
    before = backup.read_bytes()
    copy = Store.open_copy(backup)
    try:
        assert copy.load_audit(saved.audit_id) == saved
        with pytest.raises(DatabaseReadOnly):
            copy.save_response(saved.audit_id, Response(standard_id="A1", rating=Rating.MET))
    finally:
        copy.close()
    assert backup.read_bytes() == before


def test_an_empty_file_is_damage_not_a_new_database(db_path, backups):
    # SQLite reads a 0-byte file as a new, empty database: opening it must not start afresh.
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"")
    with pytest.raises(DatabaseEmpty) as raised:
        Store.open(db_path, backups=backups)
    assert isinstance(raised.value, DatabaseCorrupt)
    assert "empty (0 bytes)" in raised.value.message
    assert "last good copy" in raised.value.what_to_do
    assert db_path.read_bytes() == b""
    assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]


def test_the_quick_start_reports_an_empty_file_too(db_path):
    from school_audit.store.startup import open_for_start

    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"")
    with pytest.raises(DatabaseEmpty):
        open_for_start(db_path)
    assert db_path.read_bytes() == b""


def test_an_emptied_file_can_be_replaced_by_the_last_good_copy(saved, db_path, backups):
    db_path.write_bytes(b"")
    for side in db_path.parent.glob(db_path.name + "-*"):
        side.unlink()
    [backup] = list_backups(backups)
    restored, damaged = Store.restore_backup(backup, db_path)
    with restored:
        assert restored.load_audit(saved.audit_id) == saved
    assert damaged.name.startswith("damaged-") and damaged.read_bytes() == b""


def test_an_empty_copy_is_not_restored(saved, db_path, backups):
    [backup] = list_backups(backups)
    backup.write_bytes(b"")
    before = db_path.read_bytes()
    with pytest.raises(DatabaseCorrupt, match="damaged too"):
        Store.restore_backup(backup, db_path)
    assert db_path.read_bytes() == before

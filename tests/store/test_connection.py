"""Every connection gets the pragmas of the design, and every save is committed at once."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from school_audit.domain.audit import Rating, Response
from school_audit.store import Store


def test_pragmas_are_in_force_on_every_connection(store):
    with store.engine.connect() as first, store.engine.connect() as second:
        for connection in (first, second):
            values = {
                name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
            }
            assert values == {
                "journal_mode": "wal",
                "synchronous": 2,  # FULL
                "foreign_keys": 1,
                "busy_timeout": 200,
            }


def test_the_file_itself_is_in_wal_mode(store, db_path):
    other = sqlite3.connect(db_path)
    try:
        assert other.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        other.close()


def test_each_save_is_visible_to_an_independent_connection_at_once(store, draft, db_path):
    watcher = sqlite3.connect(db_path)
    query = "SELECT rating, evidence FROM responses WHERE audit_id = ? AND standard_id = ?"
    try:
        for n, rating in enumerate([Rating.MET, Rating.NOT_MET, Rating.PARTIALLY_MET]):
            store.save_response(
                draft.audit_id, Response(standard_id="A1", rating=rating, evidence=f"v{n}")
            )
            row = watcher.execute(query, (str(draft.audit_id), "A1")).fetchone()
            assert row == (rating.value, f"v{n}")
    finally:
        watcher.close()


def test_reopening_gives_back_exactly_what_was_saved(store, draft, db_path, backups):
    store.save_response(draft.audit_id, Response(standard_id="A2", rating=Rating.MET))
    expected = store.load_audit(draft.audit_id)
    store.close()
    with Store.open(db_path, backups=backups) as again:
        assert again.load_audit(draft.audit_id) == expected
        assert expected.responses["A2"].rating is Rating.MET


def test_foreign_keys_are_enforced(store):
    with pytest.raises(Exception, match="FOREIGN KEY"), store.write() as connection:
        connection.exec_driver_sql(
            "INSERT INTO responses VALUES ('no-such-audit', 'A1', NULL, '', '', '{}', 'null', 'x')"
        )


def test_settings_refuse_anything_that_looks_like_a_secret(store):
    store.set_setting("collector_url", "https://la.example/api")
    store.set_setting("device_key_id", "key-1")
    assert store.get_setting("collector_url") == "https://la.example/api"
    for key in ("device_token", "private_key", "password"):
        with pytest.raises(ValueError, match="keyring"):
            store.set_setting(key, "x")
    store.set_setting("device_key_id", None)
    assert store.get_setting("device_key_id", "none") == "none"


def test_saves_from_two_threads_all_land(store, draft):
    # The app saves from its background lane while the window thread may save too: each write
    # takes the lock up front (BEGIN IMMEDIATE) and waits its turn instead of failing.
    def save_many(prefix: str) -> None:
        for n in range(40):
            store.save_response(
                draft.audit_id, Response(standard_id=f"{prefix}{n}", evidence=prefix)
            )

    threads = [threading.Thread(target=save_many, args=(p,)) for p in ("X", "Y")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    saved = store.load_audit(draft.audit_id).responses
    assert {f"{p}{n}" for p in "XY" for n in range(40)} <= set(saved)

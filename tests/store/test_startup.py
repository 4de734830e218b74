"""Opening for start-up: first reads without SQLAlchemy, writes wait for the full store and are
committed in order before they return, and a failed background open is retried by the write."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import pytest

from school_audit.domain.audit import Rating, Response
from school_audit.store import DatabaseLocked, Store, sql_store
from school_audit.store.startup import StartingStore, open_for_start


@pytest.fixture
def at_head(db_path, draft, store):
    """A file at head holding one draft (the `store` fixture's connections closed)."""
    store.close()
    return db_path


def test_a_new_file_is_opened_by_the_full_store(tmp_path):
    opened = open_for_start(tmp_path / "new" / "audit.sqlite3")
    try:
        assert isinstance(opened, Store)
        assert opened.audit_ids() == []
    finally:
        opened.close()


def test_reads_come_from_the_reader_until_the_full_store_is_open(at_head, draft):
    opened = open_for_start(at_head)
    assert isinstance(opened, StartingStore)
    assert not opened.is_warm
    assert opened.load_audit(draft.audit_id) == draft
    assert opened.audit_ids() == [draft.audit_id]
    assert not opened.is_warm  # reading did not need the full store
    opened.warm_up()
    opened.close()
    assert opened.is_warm


class SlowOpen:
    """Holds `Store.open` until released, so a save can be issued while the store warms up."""

    def __init__(self, monkeypatch):
        self.entered = threading.Event()
        self.release = threading.Event()
        real = sql_store.Store.open.__func__

        def open_slowly(cls, *args, **kwargs):
            self.entered.set()
            assert self.release.wait(10)
            return real(cls, *args, **kwargs)

        monkeypatch.setattr(sql_store.Store, "open", classmethod(open_slowly))


def test_a_save_during_warm_up_waits_and_is_committed_in_order(at_head, draft, monkeypatch):
    slow = SlowOpen(monkeypatch)
    opened = open_for_start(at_head)
    opened.warm_up()
    assert slow.entered.wait(10)
    first = Response(standard_id="A1", rating=Rating.NOT_MET, evidence="first")
    second = Response(standard_id="A1", rating=Rating.MET, evidence="second")
    done = threading.Event()

    def save_twice():
        opened.save_response(draft.audit_id, first)
        opened.save_response(draft.audit_id, second)
        done.set()

    saver = threading.Thread(target=save_twice)
    saver.start()
    assert not done.wait(0.2)  # the save waits for the full store...
    assert opened.load_audit(draft.audit_id).responses == {}  # ...and has written nothing yet
    slow.release.set()
    saver.join(10)
    assert done.is_set()
    opened.close()
    with Store.open(at_head) as reopened:
        assert reopened.load_audit(draft.audit_id).responses == {"A1": second}


def test_a_failed_warm_up_is_retried_by_the_first_save(at_head, draft, monkeypatch):
    real = sql_store.Store.open.__func__
    calls = []

    def fail_once(cls, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise DatabaseLocked()
        return real(cls, *args, **kwargs)

    monkeypatch.setattr(sql_store.Store, "open", classmethod(fail_once))
    opened = open_for_start(at_head)
    opened.warm_up()
    opened._warm_up.join(10)  # noqa: SLF001 - wait for the failed attempt
    assert not opened.is_warm
    answer = Response(standard_id="A2", rating=Rating.MET)
    opened.save_response(draft.audit_id, answer)
    opened.close()
    assert len(calls) == 2
    with Store.open(at_head) as reopened:
        assert reopened.load_audit(draft.audit_id).responses == {"A2": answer}


def test_a_save_that_cannot_open_the_store_raises_and_writes_nothing(at_head, draft, monkeypatch):
    def always_locked(cls, *args, **kwargs):
        raise DatabaseLocked()

    monkeypatch.setattr(sql_store.Store, "open", classmethod(always_locked))
    opened = open_for_start(at_head)
    with pytest.raises(DatabaseLocked):
        opened.save_response(draft.audit_id, Response(standard_id="A2", rating=Rating.MET))
    assert opened.load_audit(draft.audit_id).responses == {}


SQLALCHEMY_FREE = """
import json, sys, uuid
from school_audit.store.startup import open_for_start
from pathlib import Path
store = open_for_start(Path(sys.argv[1]))
audit = store.load_audit(uuid.UUID(sys.argv[2]))
before = sorted(m for m in sys.modules if m.split(".")[0] in ("sqlalchemy", "alembic"))
store.warm_up()
store.close()
after = "sqlalchemy" in sys.modules
print(json.dumps({"before": before, "after": after, "audit": str(audit.audit_id)}))
"""


def test_reading_at_start_loads_no_sqlalchemy(at_head, draft):
    result = subprocess.run(
        [sys.executable, "-c", SQLALCHEMY_FREE, str(at_head), str(draft.audit_id)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    found = json.loads(result.stdout)
    assert found == {"before": [], "after": True, "audit": str(draft.audit_id)}

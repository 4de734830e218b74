"""The start-up reader (plain sqlite3) returns exactly what the SQLAlchemy store returns."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from school_audit.domain.audit import Audit, SignOff, SignOffRole
from school_audit.store import DatabaseCorrupt, DatabaseReadOnly, Store
from school_audit.store.reader import StoreReader
from tests.store.test_roundtrip_property import actions, responses, texts

sign_offs = st.builds(
    SignOff,
    role=st.sampled_from(SignOffRole),
    name=texts.filter(str.strip),
    statement=texts,
    signed_at=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    ),
)
audits = st.fixed_dictionaries(
    {
        "responses": st.lists(responses, max_size=6),
        "actions": st.lists(actions, max_size=4, unique_by=lambda a: a.action_id),
        "previous": st.lists(responses, max_size=3),
        "afresh": st.dictionaries(st.sampled_from(["A1", "A2", "C4"]), texts, max_size=2),
        "supersedes": st.none() | st.uuids(),
        "sign_offs": st.none() | st.lists(sign_offs, min_size=1, max_size=3),
    }
)


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    shm = Path("/dev/shm")  # a RAM disk where there is one: this is about values, not fsyncs
    if shm.is_dir() and os.access(shm, os.W_OK):
        folder = Path(tempfile.mkdtemp(prefix="school-audit-reader-", dir=shm))
    else:
        folder = tmp_path_factory.mktemp("reader")
    path = folder / "audit.sqlite3"
    Store.open(path, backups=folder / "backups").close()
    yield path
    shutil.rmtree(folder, ignore_errors=True)


def _store_random_audit(store: Store, template, profile, drawn: dict) -> Audit:
    audit = Audit.start(template, profile).model_copy(
        update={
            "responses": {r.standard_id: r for r in drawn["responses"]},
            "actions": drawn["actions"],
            "previous_responses": {r.standard_id: r for r in drawn["previous"]},
            "answer_afresh": drawn["afresh"],
            "supersedes": drawn["supersedes"],
        }
    )
    store.save_template(template, "builtin")
    store.create_audit(audit)
    if drawn["sign_offs"] is not None:
        store.finalise(audit.audit_id, drawn["sign_offs"], uuid.uuid4(), b"{}", "sig")
    return audit


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(drawn=audits, kind=st.none() | st.sampled_from(["school", "early_years", "nursery"]))
def test_reader_returns_what_the_store_returns(
    database, mini_template, school_profile, drawn, kind
):
    with Store.open(database) as store:
        audit = _store_random_audit(store, mini_template, school_profile, drawn)
        store.save_profile(school_profile)
        reader = StoreReader.open(database)
        assert reader is not None
        loaded = reader.load_audit(audit.audit_id)
        assert loaded == store.load_audit(audit.audit_id)
        assert list(loaded.responses) == list(store.load_audit(audit.audit_id).responses)
        assert reader.audit_ids() == store.audit_ids()
        assert reader.load_profile() == store.load_profile()
        assert reader.outbox_state_of(audit.audit_id) == store.outbox_state_of(audit.audit_id)
        assert reader.stored_templates(kind) == store.stored_templates(kind)
        ref = mini_template.ref
        for sha256 in (None, mini_template.sha256, "0" * 64):
            found = reader.stored_template(ref.id, ref.version, sha256)
            assert found == store.stored_template(ref.id, ref.version, sha256)


def test_missing_audit_and_empty_profile(tmp_path):
    path = tmp_path / "audit.sqlite3"
    Store.open(path).close()
    reader = StoreReader.open(path)
    assert reader is not None
    assert reader.load_profile() is None
    assert reader.audit_ids() == []
    with pytest.raises(LookupError):
        reader.load_audit(uuid.uuid4())


def test_no_reader_for_a_new_or_older_file(tmp_path):
    assert StoreReader.open(tmp_path / "none.sqlite3") is None
    older = tmp_path / "older.sqlite3"
    Store.open(older).close()
    connection = sqlite3.connect(older)
    connection.execute("UPDATE alembic_version SET version_num = '0001'")
    connection.commit()
    connection.close()
    assert StoreReader.open(older) is None  # only the full store upgrades a file


def test_a_damaged_file_is_reported_as_the_store_reports_it(tmp_path):
    damaged = tmp_path / "audit.sqlite3"
    damaged.write_bytes(b"not a database at all, just some bytes" * 100)
    with pytest.raises(DatabaseCorrupt):
        StoreReader.open(damaged)
    with pytest.raises(DatabaseCorrupt):
        Store.open(damaged)


def test_the_reader_cannot_write(tmp_path):
    path = tmp_path / "audit.sqlite3"
    Store.open(path).close()
    reader = StoreReader.open(path)
    with pytest.raises(DatabaseReadOnly), reader._read() as connection:  # noqa: SLF001
        connection.execute("DELETE FROM audits")

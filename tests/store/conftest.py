"""Real SQLite files in a temporary folder, one per test."""

from __future__ import annotations

import pytest

from school_audit.domain.audit import Audit
from school_audit.store import Store


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "data" / "audit.sqlite3"


@pytest.fixture
def backups(tmp_path):
    return tmp_path / "data" / "backups"


@pytest.fixture
def store(db_path, backups):
    opened = Store.open(db_path, backups=backups, busy_timeout_ms=200)
    yield opened
    opened.close()


@pytest.fixture
def draft(store, mini_template, school_profile) -> Audit:
    audit = Audit.start(mini_template, school_profile)
    store.save_template(mini_template, "builtin")
    store.create_audit(audit)
    return audit

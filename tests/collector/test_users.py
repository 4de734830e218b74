"""The dashboard-user service: every change logged, the last active admin kept, sessions ended."""

from __future__ import annotations

import pytest

from school_audit.collector.db import init_database
from school_audit.collector.db.tables import AuditLogEntry, User, WebSession
from school_audit.collector.db.types import utc_now
from school_audit.collector.users import (
    UserError,
    add_user,
    reset_password,
    set_active,
    set_role,
)
from school_audit.collector.web.passwords import password_matches

PASSWORD = "correct horse battery"


@pytest.fixture
def database(tmp_path):
    database = init_database(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    with database.write() as session:
        add_user(session, "ada", "admin", PASSWORD, "test")
        add_user(session, "olive", "la_officer", PASSWORD, "test")
    yield database
    database.dispose()


def _actions(database) -> list[tuple[str, str, str]]:
    with database.read() as session:
        rows = session.query(AuditLogEntry).order_by(AuditLogEntry.id).all()
        return [(r.actor, r.action, r.target) for r in rows]


def _session_for(database, username: str) -> None:
    with database.write() as session:
        session.add(WebSession(token_hash=f"h-{username}", username=username, csrf_token="t",
                               expires_at=utc_now()))  # fmt: skip


def test_the_last_active_admin_can_be_neither_disabled_nor_demoted(database):
    with database.write() as session, pytest.raises(UserError, match="last active administrator"):
        set_active(session, "ada", False, "ada")
    with database.write() as session, pytest.raises(UserError, match="last active administrator"):
        set_role(session, "ada", "steering", "ada")
    with database.read() as session:
        ada = session.get(User, "ada")
        assert ada.active and ada.role == "admin"


def test_with_a_second_admin_the_first_can_be_demoted(database):
    with database.write() as session:
        set_role(session, "olive", "admin", "ada")
        set_role(session, "ada", "steering", "olive")
    # A disabled admin does not count: olive is now the only active one.
    with database.write() as session, pytest.raises(UserError):
        set_active(session, "olive", False, "olive")
    assert ("olive", "user_role_changed", "ada") in _actions(database)


def test_disabling_and_a_new_password_end_the_users_sessions(database):
    _session_for(database, "olive")
    with database.write() as session:
        set_active(session, "olive", False, "ada")
    with database.read() as session:
        assert session.query(WebSession).filter_by(username="olive").count() == 0
    with database.write() as session:
        set_active(session, "olive", True, "ada")
    _session_for(database, "olive")
    with database.write() as session:
        reset_password(session, "olive", "a brand new passphrase", "ada")
    with database.read() as session:
        assert session.query(WebSession).filter_by(username="olive").count() == 0
        assert password_matches(session.get(User, "olive").password_hash, "a brand new passphrase")
    actions = [a for _, a, t in _actions(database) if t == "olive"]
    assert actions == ["user_added", "user_disabled", "user_enabled", "user_password_reset"]


@pytest.mark.parametrize(
    ("username", "role", "password", "words"),
    [
        ("ada", "admin", PASSWORD, "already exists"),
        ("new user", "admin", PASSWORD, "without spaces"),
        ("newbie", "superuser", PASSWORD, "unknown role"),
        ("newbie", "steering", "short", "at least 12 characters"),
    ],
)
def test_bad_additions_are_refused_in_words(database, username, role, password, words):
    with database.write() as session, pytest.raises(UserError, match=words):
        add_user(session, username, role, password, "ada")
    with database.read() as session:
        assert session.query(User).count() == 2

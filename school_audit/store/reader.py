"""The reads the window needs at start, with Python's own sqlite3 (no SQLAlchemy).

Used only on a file that is already at this app's schema: it is checked exactly as `Store.open`
checks it (a read-only quick check, then the schema revision), and each read is one transaction on
a fresh connection with the store's pragmas and `query_only` on. The queries are the ones the
SQLAlchemy store sends, and rows become objects through the same `rows.py` code, so both return
equal values (tests/store/test_reader.py checks this on random audits).
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self

from school_audit.domain.audit import Audit
from school_audit.domain.profile import EstablishmentProfile
from school_audit.store import rows
from school_audit.store.backups import check_readable
from school_audit.store.errors import AuditNotFound, translate
from school_audit.store.migrate import HEAD_REVISION, stored_revision
from school_audit.store.pragmas import DEFAULT_BUSY_TIMEOUT_MS, apply_pragmas, connect

_AUDIT_IDS = "SELECT audit_id FROM audits ORDER BY updated_at DESC"
_AUDIT = (
    "SELECT audit_id, cycle, template_id, template_version, template_sha256, state, revision, "
    "supersedes, profile_json, previous_responses_json, answer_afresh_json, created_at, "
    "updated_at FROM audits WHERE audit_id = ?"
)
_RESPONSES = (
    "SELECT audit_id, standard_id, rating, evidence, na_reason, dates_json, value_json, "
    "updated_at FROM responses WHERE audit_id = ?"
)
_ACTIONS = (
    "SELECT audit_id, action_id, standard_id, description, owner_role, target_date, status, "
    "support_requested, carried_forward, position FROM actions WHERE audit_id = ? "
    "ORDER BY position"
)
_SIGN_OFFS = (
    "SELECT id, audit_id, revision, position, role, name, statement, signed_at FROM sign_offs "
    "WHERE audit_id = ? AND revision = ? ORDER BY position"
)
_SEALED = "SELECT 1 FROM seals WHERE audit_id = ?"
_PROFILE = "SELECT profile_json FROM profile"
_TEMPLATE = "SELECT template_json, sha256, source FROM templates"
_OUTBOX_STATE = (
    "SELECT outbox.state FROM outbox JOIN audits ON audits.audit_id = outbox.audit_id "
    "AND audits.revision = outbox.revision WHERE outbox.audit_id = ?"
)


class StoreReader:
    """Read-only access to a database at head. Thread-safe: each call has its own connection."""

    def __init__(self, path: Path, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> None:
        self.path = path.resolve()
        self._busy_timeout_ms = busy_timeout_ms

    @classmethod
    def open(cls, path: Path, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> Self | None:
        """A reader on `path`, or None when the file must first be created or upgraded (only the
        full store does that). A damaged file raises the same StoreError as `Store.open`."""
        if not path.exists():
            return None
        try:
            check_readable(path)
            revision = stored_revision(path)
        except sqlite3.Error as error:
            raise translate(error) from error
        return cls(path, busy_timeout_ms) if revision == HEAD_REVISION else None

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: a consistent snapshot while the block runs."""
        try:
            connection = connect(self.path, self._busy_timeout_ms)
            try:
                apply_pragmas(connection, self._busy_timeout_ms)
                connection.execute("PRAGMA query_only = ON")
                connection.row_factory = sqlite3.Row
                connection.execute("BEGIN")
                yield connection
            finally:
                connection.close()  # ends the read transaction
        except sqlite3.Error as error:
            raise translate(error) from error

    def audit_ids(self) -> list[uuid.UUID]:
        with self._read() as connection:
            return [uuid.UUID(row[0]) for row in connection.execute(_AUDIT_IDS)]

    def load_audit(self, audit_id: uuid.UUID | str) -> Audit:
        key = str(audit_id)
        with self._read() as connection:
            row = connection.execute(_AUDIT, (key,)).fetchone()
            if row is None:
                raise AuditNotFound(key)
            answers = connection.execute(_RESPONSES, (key,)).fetchall()
            plan = connection.execute(_ACTIONS, (key,)).fetchall()
            signed = connection.execute(_SIGN_OFFS, (key, row["revision"])).fetchall()
            sealed = connection.execute(_SEALED, (key,)).fetchone() is not None
        audit = rows.audit_from_rows(row, answers, plan, signed)
        audit.sealed = sealed  # the same as the full store says
        return audit

    def load_profile(self) -> EstablishmentProfile | None:
        with self._read() as connection:
            row = connection.execute(_PROFILE).fetchone()
        return rows.profile_from_json(row[0]) if row and row[0] else None

    def stored_templates(self, setting_type: str | None = None) -> list[rows.StoredTemplate]:
        query = _TEMPLATE if setting_type is None else _TEMPLATE + " WHERE setting_type = ?"
        values = () if setting_type is None else (setting_type,)
        with self._read() as connection:
            found = connection.execute(query + " ORDER BY template_id, version", values)
            return [rows.StoredTemplate(*row) for row in found]

    def stored_template(
        self, template_id: str, version: str, sha256: str | None = None
    ) -> rows.StoredTemplate | None:
        query = _TEMPLATE + " WHERE template_id = ? AND version = ?"
        values: tuple[str, ...] = (template_id, version)
        if sha256 is not None:
            query, values = query + " AND sha256 = ?", (*values, sha256)
        with self._read() as connection:
            row = connection.execute(query + " ORDER BY stored_at DESC LIMIT 1", values).fetchone()
        return rows.StoredTemplate(*row) if row else None

    def outbox_state_of(self, audit_id: uuid.UUID | str) -> str | None:
        with self._read() as connection:
            row = connection.execute(_OUTBOX_STATE, (str(audit_id),)).fetchone()
        return None if row is None or row[0] is None else str(row[0])

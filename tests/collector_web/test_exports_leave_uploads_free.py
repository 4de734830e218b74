"""An export is built without holding the database's writer lock (SQLite has one writer): a school's
upload, which needs that lock, goes ahead while the file is being made. The audit-log line of the
export is still written, before the file goes out."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from school_audit.collector.db.tables import AuditLogEntry
from school_audit.collector.exports import tables as exports


@pytest.fixture
def writes_during_build(app, monkeypatch):
    """While each XLSX is built, another thread opens a write transaction (as an upload would)
    and says whether it got one; before the fix it waited until the export had finished."""
    outcomes: list[bool] = []
    build = exports._xlsx

    def build_while_someone_writes(tables):
        def upload() -> None:
            with app.state.database.write() as session:
                session.add(AuditLogEntry(actor="school", action="test.upload", target="x"))

        writer = threading.Thread(target=upload, daemon=True)
        writer.start()
        writer.join(timeout=10)  # would wait for ever (until the export ends) behind the lock
        outcomes.append(not writer.is_alive())
        return build(tables)

    monkeypatch.setattr(exports, "_xlsx", build_while_someone_writes)
    return outcomes


@pytest.mark.parametrize(
    ("path", "action"),
    [
        ("/exports/returns.xlsx", "export.returns"),
        ("/exports/aggregates.xlsx", "export.aggregates"),
    ],
)
def test_an_upload_can_write_while_an_export_is_built(
    as_role, seeded, app, writes_during_build, path, action
):
    response = as_role("la_officer").get(path)
    assert response.status_code == 200
    assert response.content.startswith(b"PK")  # an XLSX (zip) file
    assert writes_during_build == [True]
    with app.state.database.read() as session:
        logged = session.scalars(select(AuditLogEntry.action)).all()
    assert action in logged and "test.upload" in logged

"""`snapshot take|list`, and the command-line steering exports read the latest snapshot."""

from __future__ import annotations

from sqlalchemy import select

from school_audit.collector.cli.main import main
from school_audit.collector.db.tables import AuditLogEntry, SteeringSnapshot
from tests.collector_la.test_snapshots import county, send  # noqa: F401 (fixture)


def test_take_list_and_take_if_due(county, monkeypatch, capsys, tmp_path):  # noqa: F811
    database, key, template = county
    monkeypatch.setenv("SCHOOL_AUDIT_COLLECTOR_DATABASE_URL", str(database.engine.url))
    monkeypatch.setenv("SCHOOL_AUDIT_COLLECTOR_SNAPSHOT_AFTER_RETURNS", "2")
    assert main(["snapshot", "take", "--setting-type", "school"]) == 0
    assert "Snapshot 1: 2025-26 school" in capsys.readouterr().out
    assert main(["snapshot", "take", "--if-due"]) == 0  # early years: its first is due
    assert "early_years" in capsys.readouterr().out
    assert main(["snapshot", "take", "--if-due", "--setting-type", "school"]) == 0
    assert "No snapshot is due." in capsys.readouterr().out
    send(database, key, template, "990001", "Wychavon")
    send(database, key, template, "990002", "Redditch")
    assert main(["snapshot", "take", "--if-due", "--setting-type", "school"]) == 0
    assert "2 settings sent or changed a return" in capsys.readouterr().out
    assert main(["snapshot", "list"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert len(listing) == 4 and listing[3].split("\t")[4] == "cli"
    # The steering export is of the latest snapshot: no new one is taken for it.
    out = tmp_path / "pack.pdf"
    assert main(["export", "aggregates", "--format", "pdf", "--output", str(out)]) == 0
    with database.read() as session:
        assert len(session.scalars(select(SteeringSnapshot.id)).all()) == 3
        actions = session.scalars(select(AuditLogEntry.action)).all()
    assert actions.count("snapshot_taken") == 3

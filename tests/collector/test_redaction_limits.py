"""Hiding typed text is one pass however often it occurs, and bounded with a clear refusal.

A word that occurred 1,500 times in a legal return used to cost one envelope parse, one query of
the return's redactions and one insert per occurrence: 27 s of work, quadratic in the count.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from school_audit.collector import redaction
from school_audit.collector.db import Database
from school_audit.collector.db.tables import AuditLogEntry, Redaction
from school_audit.domain.template_loading import load_template
from school_audit.signing import SigningKey
from tests.collector_web import seeding

TEMPLATE = Path(__file__).parent.parent / "fixtures" / "mini_school_template.json"


@pytest.fixture
def repeated(db_url):
    """(database, submission id) of a return whose A1 evidence names "Sam" 600 times and A2's
    names "Kit" 40 times and "Dr Ng" once."""
    database = Database(db_url)
    template = load_template(TEMPLATE.read_bytes())
    seeding.publish(database, template)
    school = seeding.add_school(database, "100002", "Brookside Primary School")
    evidence = {"A1": "Seen Sam today. " * 600, "A2": "Kit was checked. " * 40 + "Dr Ng signed."}
    envelope = seeding.envelope_for(school, template, seeding.WEAK, evidence_for=evidence)
    submission_id = seeding.submit(database, SigningKey.generate(), school, envelope)
    yield database, submission_id
    database.dispose()


def _statements(database: Database, work) -> int:
    """How many SQL statements `work(session)` sends, in one write transaction."""
    sent: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        sent.append(statement)

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        with database.write() as session:
            work(session)
    finally:
        event.remove(database.engine, "before_cursor_execute", count)
    return len(sent)


def test_hiding_many_occurrences_sends_no_more_statements_than_hiding_one(repeated):
    database, sid = repeated
    few = _statements(
        database, lambda s: redaction.redact_text(s, sid, "A2", "Dr Ng", "Name", "olive")
    )
    # Before the fix: about four statements per occurrence (40 here), now a fixed handful.
    many = _statements(
        database, lambda s: redaction.redact_text(s, sid, "A2", "Kit", "Child's name", "olive")
    )
    assert many <= few
    with database.read() as session:
        rows = redaction.redactions_for(session, sid)
        logged = session.scalar(select(func.count()).where(AuditLogEntry.action == "redaction.add"))
    assert logged == 41  # one audit-log line per hidden span, as before
    kit = sorted((r.start, r.end) for r in rows if r.end - r.start == 3)
    assert kit == [(17 * n, 17 * n + 3) for n in range(40)]


def test_more_occurrences_than_the_cap_are_refused_and_nothing_is_written(repeated):
    database, sid = repeated
    with (
        pytest.raises(redaction.RedactionRefused, match="more than 500 times in A1") as refusal,
        database.write() as session,
    ):
        redaction.redact_text(session, sid, "A1", "Sam", "Child's name", "olive")
    assert "longer, more exact phrase" in str(refusal.value)
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(Redaction)) == 0


def test_a_return_keeps_at_most_max_redactions(repeated, monkeypatch):
    database, sid = repeated
    monkeypatch.setattr(redaction, "MAX_REDACTIONS", 45)
    with database.write() as session:
        redaction.redact_text(session, sid, "A2", "Kit", "Child's name", "olive")
    with (
        pytest.raises(redaction.RedactionRefused, match="already has 40 hidden") as refusal,
        database.write() as session,
    ):
        redaction.redact_text(session, sid, "A2", "checked", "Child's name", "olive")
    assert "at most 45 can be kept" in str(refusal.value)
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(Redaction)) == 40


def test_occurrences_already_hidden_inside_a_longer_span_are_skipped(repeated):
    database, sid = repeated
    with database.write() as session:
        redaction.add_redaction(session, sid, "evidence", "A2", (0, 34), "Names", "olive")
    with database.write() as session:
        rows = redaction.redact_text(session, sid, "A2", "Kit", "Child's name", "olive")
    assert len(rows) == 38 and min(r.start for r in rows) == 34

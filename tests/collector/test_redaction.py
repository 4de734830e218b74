"""Reviewers' redactions on a stored return, on SQLite and a real PostgreSQL server.

The return is signed, ingested and stored by the real code; redactions never touch its bytes.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from school_audit.collector import redaction
from school_audit.collector.db import Database
from school_audit.collector.db.tables import AuditLogEntry, Redaction, Submission
from school_audit.collector.review.verification import verify_submission
from school_audit.domain.privacy import PrivacyKind
from school_audit.domain.template_loading import load_template
from school_audit.signing import SigningKey
from tests.collector_web import seeding

FLAGGED = (
    "Referral for pupil Jayden Smith checked, d.o.b. 12/03/2015; Jayden's mum informed. "
    "Case ref: CP-20931."
)
TEMPLATE = Path(__file__).parent.parent / "fixtures" / "mini_school_template.json"


@pytest.fixture
def stored(db_url):
    """(database, submission id, signed envelope) for one weak return with flagged free text."""
    database = Database(db_url)
    template = load_template(TEMPLATE.read_bytes())
    seeding.publish(database, template)
    school = seeding.add_school(database, "100002", "Brookside Primary School")
    envelope = seeding.envelope_for(school, template, seeding.WEAK, evidence_for={"A1": FLAGGED})
    envelope["actions"][0]["description"] = "Speak to Jayden's mum about attendance."
    envelope["responses"][-1]["na_reason"] = "No nursery; child called Amelia moved away."
    envelope["local_answers"] = [{"question_id": "LP1", "value": "Yes, see pupil Oliver Reed."}]
    submission_id = seeding.submit(database, SigningKey.generate(), school, envelope)
    yield database, submission_id, envelope
    database.dispose()


def _items(envelope):
    return {(i.target, i.item_id): i for i in redaction.free_text_items(envelope)}


def test_free_text_items_cover_evidence_reasons_actions_and_local_answers(stored):
    _, _, envelope = stored
    items = _items(envelope)
    action_id = envelope["actions"][0]["action_id"]
    assert items[("evidence", "A1")].text == FLAGGED
    assert items[("na_reason", "O2")].text.startswith("No nursery")
    assert items[("action", action_id)].standard_id == "A1"
    assert items[("local", "LP1")].text == "Yes, see pupil Oliver Reed."
    assert items[("evidence", "A1")].label == "A1 evidence"


def test_suggestions_come_from_the_privacy_check_and_skip_hidden_text(stored):
    database, sid, envelope = stored
    found = redaction.suggestions(envelope, [])
    a1 = [s for s in found if s.item.item_id == "A1" and s.item.target == "evidence"]
    assert [s.excerpt for s in a1] == [
        "Jayden Smith",
        "d.o.b. 12/03/2015",
        "Jayden",
        "Case ref: CP-20931",
    ]
    assert a1[0].kind is PrivacyKind.CHILD_NAME
    with database.write() as session:
        redaction.add_redaction(session, sid, "evidence", "A1", (19, 31), "Child's name", "olive")
    with database.read() as session:
        left = redaction.suggestions(envelope, redaction.redactions_for(session, sid))
    assert "Jayden Smith" not in [s.excerpt for s in left]
    assert "Jayden" in [s.excerpt for s in left]


def test_a_redaction_hides_the_span_everywhere_in_the_shown_copy(stored):
    database, sid, envelope = stored
    with database.write() as session:
        redaction.add_redaction(session, sid, "evidence", "A1", (19, 31), "Child's name", "olive")
        rows = redaction.redactions_for(session, sid)
    shown = redaction.redacted_envelope(envelope, rows)
    a1 = next(r for r in shown["responses"] if r["standard_id"] == "A1")
    assert a1["evidence"].startswith("Referral for pupil [redacted] checked")
    assert "Jayden Smith" not in json.dumps(shown)
    # The caller's envelope is untouched; so are the stored bytes, hash and signature.
    assert "Jayden Smith" in envelope["responses"][0]["evidence"]
    with database.read() as session:
        submission = session.get(Submission, sid)
        assert hashlib.sha256(submission.envelope).hexdigest() == submission.envelope_sha256
        assert b"Jayden Smith" in submission.envelope
        assert verify_submission(session, submission).ok


def test_overlapping_spans_are_merged_when_shown():
    assert redaction.merged([(5, 9), (0, 3), (2, 6), (12, 14)]) == [(0, 9), (12, 14)]
    assert redaction.apply("abcdefghijklmnop", [(2, 6), (4, 8)]) == "ab[redacted]ijklmnop"
    assert redaction.apply("abc", []) == "abc"
    marked = redaction.segments("one two three", [(4, 7)], [(0, 3), (5, 9)])
    assert [(s.kind, s.text) for s in marked] == [
        ("suggested", "one"),
        ("plain", " "),
        ("redacted", "[redacted]"),
        ("plain", " three"),
    ]


@pytest.mark.parametrize(
    ("target", "item_id", "span", "reason", "problem"),
    [
        ("evidence", "A1", (5, 5), "x", "Choose some text"),
        ("evidence", "A1", (-1, 4), "x", "Choose some text"),
        ("evidence", "A1", (0, len(FLAGGED) + 1), "x", "Choose some text"),
        ("evidence", "Z9", (0, 4), "x", "not in this return"),
        ("comments", "A1", (0, 4), "x", "not in this return"),
        ("na_reason", "A1", (0, 4), "x", "not in this return"),  # A1 has no N/A reason
        ("evidence", "A1", (0, 4), "  ", "Give a reason"),
        ("evidence", "A1", (0, 4), "r" * 201, "longer than 200"),
    ],
)
def test_bad_redactions_are_refused_and_nothing_is_written(
    stored, target, item_id, span, reason, problem
):
    database, sid, _ = stored
    with pytest.raises(redaction.RedactionRefused, match=problem), database.write() as session:
        redaction.add_redaction(session, sid, target, item_id, span, reason, "olive")
    with database.read() as session:
        assert redaction.redactions_for(session, sid) == []
        assert (
            session.scalars(
                select(AuditLogEntry).where(AuditLogEntry.action.like("redaction%"))
            ).all()
            == []
        )


def test_text_already_hidden_is_refused(stored):
    database, sid, _ = stored
    with database.write() as session:
        redaction.add_redaction(session, sid, "evidence", "A1", (10, 40), "Child", "olive")
    with (
        pytest.raises(redaction.RedactionRefused, match="already hidden"),
        database.write() as session,
    ):
        redaction.add_redaction(session, sid, "evidence", "A1", (19, 31), "Child", "olive")


def test_redact_text_hides_every_occurrence_in_the_standards_free_text(stored):
    database, sid, envelope = stored
    with database.write() as session:
        rows = redaction.redact_text(session, sid, "A1", "jayden", "Child's first name", "olive")
    # Two in the evidence, one in A1's action; matched ignoring case as none matched exactly.
    assert sorted((r.target, r.start) for r in rows) == [
        ("action", 9),
        ("evidence", 19),
        ("evidence", 60),
    ]
    with database.read() as session:
        shown = redaction.redacted_envelope(envelope, redaction.redactions_for(session, sid))
    assert "Jayden" not in json.dumps(shown)
    assert shown["actions"][0]["description"] == "Speak to [redacted]'s mum about attendance."


@pytest.mark.parametrize(
    ("item", "text", "problem"),
    [
        ("A1", "Nobody here", "not found in A1"),
        ("Q77", "Jayden", "Q77 has no free text"),
        ("A1", "   ", "Type the text to hide"),
    ],
)
def test_redact_text_explains_what_is_wrong(stored, item, text, problem):
    database, sid, _ = stored
    with pytest.raises(redaction.RedactionRefused, match=problem), database.write() as session:
        redaction.redact_text(session, sid, item, text, "reason", "olive")


def test_unknown_return_is_refused(stored):
    database, _, _ = stored
    with pytest.raises(redaction.RedactionRefused, match="no return"), database.write() as session:
        redaction.redact_text(session, "00000000-0000-0000-0000-000000000000", "A1", "x", "r", "o")


def test_add_and_undo_are_in_the_audit_log_without_the_hidden_text(stored):
    database, sid, _ = stored
    with database.write() as session:
        row = redaction.add_redaction(
            session, sid, "local", "LP1", (15, 26), "Child's name", "olive"
        )
    with database.write() as session:
        redaction.remove_redaction(session, sid, row.id, "ada")
    with database.read() as session:
        assert redaction.redactions_for(session, sid) == []
        assert session.scalars(select(Redaction)).all() == []
        log = session.scalars(
            select(AuditLogEntry)
            .where(AuditLogEntry.action.like("redaction%"))
            .order_by(AuditLogEntry.id)
        ).all()
    assert [(e.actor, e.action, e.target) for e in log] == [
        ("olive", "redaction.add", sid),
        ("ada", "redaction.remove", sid),
    ]
    assert "LP1 local answer characters 15-26: Child's name" in log[0].detail
    assert all("Oliver" not in e.detail for e in log)


def test_undo_of_an_unknown_redaction_is_refused(stored):
    database, sid, _ = stored
    with (
        pytest.raises(redaction.RedactionRefused, match="not on this return"),
        database.write() as session,
    ):
        redaction.remove_redaction(session, sid, 999, "olive")

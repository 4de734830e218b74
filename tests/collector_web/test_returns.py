"""The return pages: list, one return in full with verification, revisions, and the review."""

from __future__ import annotations

import json
import re

from sqlalchemy import select

from school_audit.collector.db.tables import AuditLogEntry, Review, Submission
from tests.collector_web.conftest import csrf_from


def test_list_shows_current_returns_only(as_role, seeded):
    page = as_role("la_officer").get("/returns")
    assert page.status_code == 200
    assert "Hollybank First School" in page.text and "Brookside Primary School" in page.text
    assert seeded["weak_first"] not in page.text  # superseded revision hidden by default
    assert seeded["weak"] in page.text


def test_one_return_shows_answers_verification_and_what_changed(as_role, seeded):
    page = as_role("la_officer").get(f"/returns/{seeded['weak']}")
    assert page.status_code == 200
    text = page.text
    assert "Hash matches" in text and "Valid" in text
    assert "Minutes and records checked again." in text
    assert "Put A1 right this term." in text  # the action on a not-met standard
    assert "dsl12@school.example" not in text and "dsl100002@school.example" in text
    # Revision 2 changed A2 from partially met to met, and every evidence text.
    changes = text.split("What changed since the previous revision")[1].split("</table>")[0]
    assert "A2" in changes and "Partially met" in changes


def test_tampered_bytes_are_reported(as_role, seeded, app):
    with app.state.database.write() as session:
        submission = session.get(Submission, seeded["strong"])
        submission.envelope = submission.envelope.replace(b"Hollybank", b"Hollyba_k")
    page = as_role("la_officer").get(f"/returns/{seeded['strong']}")
    assert "Hash does not match" in page.text and "Not valid" in page.text


def test_accept_records_review_status_and_audit_log(as_role, seeded, app):
    client = as_role("la_officer")
    page = client.get(f"/returns/{seeded['strong']}")
    response = client.post(
        f"/returns/{seeded['strong']}/review",
        data={
            "csrf_token": csrf_from(page.text),
            "decision": "accepted",
            "general_comment": "Thank you.",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    with app.state.database.read() as session:
        assert session.get(Submission, seeded["strong"]).status == "accepted"
        review = session.scalar(select(Review).where(Review.submission_id == seeded["strong"]))
        assert (review.decision, review.reviewer, review.general_comment) == (
            "accepted",
            "olive",
            "Thank you.",
        )
        assert (
            session.scalar(
                select(AuditLogEntry).where(AuditLogEntry.action == "review_accepted")
            ).target
            == seeded["strong"]
        )


def test_return_for_changes_keeps_comments_per_standard(as_role, seeded, app):
    client = as_role("la_officer")
    page = client.get(f"/returns/{seeded['weak']}")
    client.post(
        f"/returns/{seeded['weak']}/review",
        data={
            "csrf_token": csrf_from(page.text),
            "decision": "returned",
            "comment_A1": "Minute the board's review.",
        },
    )
    with app.state.database.read() as session:
        review = session.scalar(select(Review).where(Review.submission_id == seeded["weak"]))
        assert review.decision == "returned"
        assert json.loads(review.comments) == {"A1": "Minute the board's review."}
        assert session.get(Submission, seeded["weak"]).status == "returned"


def test_returning_without_any_comment_is_refused_and_changes_nothing(as_role, seeded, app):
    client = as_role("la_officer")
    page = client.get(f"/returns/{seeded['weak']}")
    response = client.post(
        f"/returns/{seeded['weak']}/review",
        data={"csrf_token": csrf_from(page.text), "decision": "returned"},
    )
    assert response.status_code == 422
    assert "Say what the school needs to change" in response.text
    with app.state.database.read() as session:
        assert session.get(Submission, seeded["weak"]).status == "received"


def test_superseded_revision_cannot_be_reviewed(as_role, seeded, app):
    client = as_role("la_officer")
    page = client.get(f"/returns/{seeded['weak_first']}")
    assert "A newer revision supersedes this return" in page.text
    response = client.post(
        f"/returns/{seeded['weak_first']}/review",
        data={"csrf_token": csrf_from(page.text), "decision": "accepted"},
    )
    assert response.status_code == 422
    with app.state.database.read() as session:
        assert session.get(Submission, seeded["weak_first"]).status == "superseded"


def test_unknown_or_malformed_return_id_is_a_clear_404(as_role):
    client = as_role("la_officer")
    assert client.get("/returns/not-a-uuid").status_code == 404
    page = client.get("/returns/00000000-0000-0000-0000-000000000000")
    assert page.status_code == 404 and "was not found" in page.text


def test_a_return_opens_with_what_needs_a_decision_and_keeps_the_detail_below(as_role, seeded):
    text = as_role("la_officer").get(f"/returns/{seeded['weak']}").text
    order = [
        "Needs attention",
        'id="review-form"',
        "Accept return",
        "The return in detail",
        "Signature and integrity",
        "Answers, evidence and actions",
    ]
    places = [text.index(marker) for marker in order]
    assert places == sorted(places)
    # A comment on one standard sits beside that standard yet belongs to the review form above.
    assert 'name="comment_A1" maxlength="5000" form="review-form"' in text
    signed_off = text.split("Signed off by")[1].split("</table>")[0]
    assert not re.search(r"\d{4}-\d\d-\d\dT", signed_off)  # moments written as on every page


def test_a_comment_beside_a_standard_is_sent_with_the_review_at_the_top(as_role, seeded, app):
    officer = as_role("la_officer")
    page = officer.get(f"/returns/{seeded['weak']}").text
    response = officer.post(
        f"/returns/{seeded['weak']}/review",
        data={"csrf_token": csrf_from(page), "decision": "returned", "comment_A1": "Say who."},
        follow_redirects=False,
    )
    assert response.status_code == 303
    with app.state.database.read() as session:
        review = session.scalars(select(Review).where(Review.submission_id == seeded["weak"])).one()
    assert json.loads(review.comments) == {"A1": "Say who."}

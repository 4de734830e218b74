"""Triage notes: mark an item contacted with a note and a follow-up date; the list hides what is
in hand unless asked; every note is in the audit log with the setting's name."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from school_audit.collector.db.tables import AuditLogEntry, TriageNote
from school_audit.collector.review import triage_notes
from tests.collector_web.conftest import csrf_from

BROOKSIDE = "Brookside Primary School"


def _note(client, **fields):
    token = csrf_from(client.get("/triage").text)
    data = {"csrf_token": token, "urn": "100002", "note": "Rang the DSL; plan agreed.", **fields}
    return client.post("/triage/notes", data=data, follow_redirects=False)


def _listed(html: str) -> bool:
    return 'href="/settings/100002"' in html


def test_a_note_puts_the_item_in_hand_until_its_follow_up(as_role, seeded, app):
    client = as_role("la_officer")
    assert _listed(client.get("/triage").text)
    follow_up = date.today() + timedelta(days=7)
    response = _note(client, follow_up_on=follow_up.isoformat())
    assert response.status_code == 303
    hidden = client.get(response.headers["location"]).text
    assert not _listed(hidden)
    assert "in hand" in hidden and "Marked contacted" in hidden
    shown = client.get("/triage?in_hand=1").text
    assert _listed(shown) and "Rang the DSL; plan agreed." in shown
    with app.state.database.read() as session:
        entry = session.query(AuditLogEntry).filter_by(action="triage.contacted").one()
        assert entry.actor == "olive" and BROOKSIDE in entry.detail  # a name, not only a URN
        assert session.query(TriageNote).one().follow_up_on == follow_up


def test_an_item_shows_again_on_its_follow_up_day(seeded, app):
    with app.state.database.write() as session:
        session.add(
            TriageNote(cycle="2025-26", urn="100002", note="x", follow_up_on=date(2026, 1, 5),
                       author="olive")
        )  # fmt: skip
    with app.state.database.read() as session:
        note = triage_notes.latest_notes(session, "2025-26")["100002"]
        assert triage_notes.in_hand(note, date(2026, 1, 4))
        assert not triage_notes.in_hand(note, date(2026, 1, 5))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"note": "  "}, "Write what was agreed"),
        ({"note": "x" * 2001}, "too long"),
        ({"follow_up_on": "next week"}, "as a date"),
        ({"follow_up_on": "2000-01-01"}, "in the past"),
        ({"urn": "999999"}, "not in the register"),
    ],
)
def test_bad_notes_are_refused_in_words_and_nothing_is_saved(as_role, seeded, app, fields, message):
    response = _note(as_role("la_officer"), **fields)
    assert response.status_code == 422
    assert message in response.text
    with app.state.database.read() as session:
        assert session.query(TriageNote).count() == 0
        assert session.query(AuditLogEntry).filter_by(action="triage.contacted").count() == 0


@pytest.mark.parametrize("role", ["steering", None])
def test_only_la_staff_may_add_a_note(as_role, seeded, app, role):
    client = as_role(role)
    token = csrf_from(client.get("/steering").text) if role else "none"
    response = client.post(
        "/triage/notes",
        data={"csrf_token": token, "urn": "100002", "note": "x"},
        follow_redirects=False,
    )
    assert response.status_code == 403
    with app.state.database.read() as session:
        assert session.query(TriageNote).count() == 0

"""Redaction on the dashboard: suggestions, one-click and typed redactions, undo, and that hidden
text leaves the collector through no page or export (a new view that forgot would fail here)."""

from __future__ import annotations

import io
import subprocess
import zipfile

import pytest
from sqlalchemy import select

from school_audit.collector.db.tables import AuditLogEntry, Redaction
from tests.collector_web import seeding
from tests.collector_web.conftest import csrf_from
from tests.collector_web.test_roles import GET_ROUTES

SECRET = "Xanthe Quillfeather"  # stands for a child's details; no page may show it once hidden
FLAGGED = f"Referral for pupil Jayden Smith checked; {SECRET} seen by the DSL."


@pytest.fixture
def flagged(app, seeded, mini_template_loaded):
    """A third school whose return has a child's name in every kind of free text."""
    database = app.state.database
    school = seeding.add_school(database, "100003", "Cedar Lane Primary", "primary", "Redditch")
    envelope = seeding.envelope_for(
        school, mini_template_loaded, seeding.WEAK, evidence_for={"A1": FLAGGED}
    )
    envelope["actions"][0]["description"] = f"Meet {SECRET}'s parents about attendance."
    envelope["responses"][-1]["na_reason"] = f"No nursery since {SECRET} left."
    envelope["local_answers"] = [{"question_id": "LP1", "value": f"Yes, with {SECRET}."}]
    return seeding.submit(database, app.state.collector_key, school, envelope)


def _post(client, path, page, **data):
    return client.post(path, data={"csrf_token": csrf_from(page), **data}, follow_redirects=False)


def test_suggestions_are_shown_with_a_redact_button(as_role, flagged):
    page = as_role("la_officer").get(f"/returns/{flagged}").text
    section = page.split('id="redaction-heading"')[1].split("</section>")[0]
    assert "Looks like a child&#39;s name: <mark>Jayden Smith</mark>" in section
    assert 'name="start" value="19"' in section and 'name="end" value="31"' in section
    assert "Nothing is hidden in this return." in section


def test_one_click_redaction_hides_the_suggestion_and_keeps_the_signature(as_role, flagged, app):
    client = as_role("la_officer")
    page = client.get(f"/returns/{flagged}").text
    response = _post(
        client,
        f"/returns/{flagged}/redactions",
        page,
        target="evidence",
        item_id="A1",
        start="19",
        end="31",
        reason="Looks like a child's name",
    )
    assert response.status_code == 303
    shown = client.get(response.headers["location"]).text
    assert "Jayden Smith" not in shown
    assert "Referral for pupil [redacted] checked" in shown
    assert "The text is hidden in every view and export" in shown
    assert "Hash matches" in shown and ">Valid<" in shown
    hidden = shown.split("Hidden text (1)")[1].split("</table>")[0]
    assert "A1 evidence" in hidden and "olive" in hidden and "Looks like a child" in hidden
    with app.state.database.read() as session:
        row = session.scalar(select(Redaction))
        assert (row.target, row.item_id, row.start, row.end, row.reviewer) == (
            "evidence",
            "A1",
            19,
            31,
            "olive",
        )
        logged = session.scalar(
            select(AuditLogEntry).where(AuditLogEntry.action == "redaction.add")
        )
        assert logged.actor == "olive" and logged.target == flagged


def test_typed_text_not_found_is_refused_keeping_what_was_typed(as_role, flagged, app):
    client = as_role("la_officer")
    page = client.get(f"/returns/{flagged}").text
    response = _post(
        client, f"/returns/{flagged}/redactions", page, item="A2", text="Nobody", reason="Name"
    )
    assert response.status_code == 422
    assert "That text was not found in A2" in response.text
    assert 'value="Nobody"' in response.text and '<option value="A2" selected>' in response.text
    with app.state.database.read() as session:
        assert session.scalars(select(Redaction)).all() == []


@pytest.mark.parametrize(
    "data",
    [
        {"target": "evidence", "item_id": "A1", "start": "x", "end": "4", "reason": "r"},
        {
            "target": "evidence",
            "item_id": "A1",
            "start": "0",
            "end": "99999999999999",
            "reason": "r",
        },
        {"target": "evidence", "item_id": "Z1", "start": "0", "end": "4", "reason": "r"},
        {"item": "A1", "text": "Jayden", "reason": ""},
    ],
)
def test_bad_redaction_forms_get_a_clear_error(as_role, flagged, app, data):
    client = as_role("la_officer")
    page = client.get(f"/returns/{flagged}").text
    response = _post(client, f"/returns/{flagged}/redactions", page, **data)
    assert response.status_code == 422
    assert 'class="notice error" role="alert"' in response.text
    with app.state.database.read() as session:
        assert session.scalars(select(Redaction)).all() == []


def test_typed_text_then_undo(as_role, flagged, app):
    client = as_role("la_officer")
    page = client.get(f"/returns/{flagged}").text
    response = _post(
        client, f"/returns/{flagged}/redactions", page, item="A1", text=SECRET, reason="Name"
    )
    assert response.status_code == 303
    page = client.get(f"/returns/{flagged}").text
    # Hidden in A1's evidence and A1's action; O2's N/A reason is another standard's text.
    assert "checked; [redacted] seen by the DSL" in page and "Meet [redacted]&#39;s" in page
    assert "Hidden text (2)" in page
    with app.state.database.read() as session:
        first = session.scalars(select(Redaction).order_by(Redaction.id)).first()
    undone = _post(client, f"/returns/{flagged}/redactions/{first.id}/undo", page)
    assert undone.status_code == 303
    page = client.get(undone.headers["location"]).text
    assert "Redaction undone" in page and "Hidden text (1)" in page
    assert FLAGGED in page  # the evidence shows again; the action stays hidden
    again = _post(client, f"/returns/{flagged}/redactions/{first.id}/undo", page)
    assert again.status_code == 422 and "not on this return" in again.text
    bad = _post(client, f"/returns/{flagged}/redactions/abc/undo", page)
    assert bad.status_code == 422
    with app.state.database.read() as session:
        actions = session.scalars(
            select(AuditLogEntry.action).where(AuditLogEntry.action.like("redaction.%"))
        ).all()
    assert sorted(actions) == ["redaction.add", "redaction.add", "redaction.remove"]


def _text_of(response) -> str:
    """Everything a person could read in a response: HTML, CSV, each XLSX part, a PDF's text."""
    kind = response.headers.get("content-type", "")
    if "spreadsheetml" in kind:
        with zipfile.ZipFile(io.BytesIO(response.content)) as book:
            return "\n".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())
    if "pdf" in kind:
        done = subprocess.run(
            ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
        )
        return done.stdout.decode("utf-8", "replace")
    return response.text


def _hide_everywhere(client, submission_id: str) -> None:
    page = client.get(f"/returns/{submission_id}").text
    for item in ("A1", "O2", "LP1"):
        response = _post(
            client, f"/returns/{submission_id}/redactions", page, item=item, text=SECRET, reason="r"
        )
        assert response.status_code == 303, response.text


@pytest.mark.parametrize("role", ["admin", "la_officer", "steering"])
def test_hidden_text_appears_on_no_page_and_in_no_export(as_role, flagged, seeded, role):
    officer = as_role("la_officer")
    paths = [p.format(weak=flagged) for p in GET_ROUTES] + [
        "/returns?q=Cedar",
        "/exports/aggregates.csv?steering=1",
        f"/returns/{seeded['weak']}",
    ]
    # The search is real: before hiding, the return page shows the text.
    assert SECRET in _text_of(officer.get(f"/returns/{flagged}"))
    _hide_everywhere(officer, flagged)
    client = as_role(role)
    for path in paths:
        response = client.get(path, follow_redirects=True)
        assert SECRET not in _text_of(response), f"{role} on {path} shows hidden text"


def test_steering_users_cannot_redact_or_undo(as_role, flagged, app):
    officer = as_role("la_officer")
    page = officer.get(f"/returns/{flagged}").text
    _post(officer, f"/returns/{flagged}/redactions", page, item="A1", text=SECRET, reason="r")
    steering = as_role("steering")
    token = steering.get("/steering").text
    refused = [
        _post(
            steering, f"/returns/{flagged}/redactions", token, item="A1", text="Jayden", reason="r"
        ),
        _post(steering, f"/returns/{flagged}/redactions/1/undo", token),
    ]
    assert [r.status_code for r in refused] == [403, 403]
    with app.state.database.read() as session:
        assert len(session.scalars(select(Redaction)).all()) == 2

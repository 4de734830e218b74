"""The feedback letter, read back from its PDF (pypdf): the setting's own figures, similar
settings and the LA (computed here independently from what was sent), a comparison group under
five suppressed, the reviewer's comments and expected actions; no answer or evidence text; sent in
bulk as an attachment through a real SMTP server."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from school_audit.collector.cycles import open_cycle
from school_audit.collector.letters import letter_for, queue_letters
from school_audit.collector.mail.contacts import set_contact
from school_audit.collector.mail.worker import MailWorker
from school_audit.collector.review.reviewing import ReviewInput, record_review
from school_audit.reports.feedback_letter import build_feedback_letter
from tests.collector.factories import enrol_device, school_profile, sign

SUBJECT, MIDDLE = "200001", "200201"
PHASES = {"first": 6, "primary": 5, "middle_deemed_primary": 2, "high": 3}
PRIVATE = "Jo Bloggs booked for refresher"  # the school's own action text: never in the letter


def ratings_for(urn: str) -> dict[str, str]:
    ratings = dict.fromkeys(["A1", "A2", "C4", "C12", "O2"], "met")
    if urn == SUBJECT:
        ratings.update(A2="partially_met", C4="not_met")
    elif urn in ("200005", "200006"):
        ratings["A2"] = "partially_met"
    return ratings


def send_return(client, world, urn, *, cycle=None, ratings=None):
    device = enrol_device(client, world, urn)
    envelope = device.envelope(world.template, school_profile(urn))
    for response in envelope["responses"]:
        if response["standard_id"] in (ratings or {}):
            response["rating"] = ratings[response["standard_id"]]
    if urn == SUBJECT and cycle is None:
        envelope["actions"] = [{"action_id": str(uuid.uuid4()), "standard_id": "C4",
                                "description": PRIVATE, "owner_role": "Head",
                                "target_date": "2026-04-30", "status": "in_progress"}]  # fmt: skip
    if cycle:
        envelope["cycle"] = cycle
    response = client.post(
        "/api/v1/submissions", json=sign(envelope, device.key), headers=device.headers
    )
    assert response.status_code == 201, response.text
    return envelope["submission_id"]


@pytest.fixture
def county(world):
    urns = {}
    for index, (phase, count) in enumerate(PHASES.items()):
        for n in range(1, count + 1):
            urn = f"200{index}{n:02d}"
            urns[urn] = phase
            world.add_school(urn, name=f"{phase.title()} School {n}", phase=phase)
    with world.database.write() as session:
        from datetime import date

        open_cycle(
            session,
            "2025-26",
            [("mini-school", "2025-26.1")],
            date(2026, 2, 13),
            date(2026, 2, 27),
            "admin",
        )
        for role in ("dsl", "head", "chair"):
            set_contact(session, SUBJECT, role, f"{role}@first1.example.sch.uk", actor="admin")
    with TestClient(world.app(), raise_server_exceptions=False) as client:
        send_return(client, world, SUBJECT, cycle="2024-25")  # last year: everything met
        ids = {urn: send_return(client, world, urn, ratings=ratings_for(urn)) for urn in urns}
    review = ReviewInput(
        "accepted", "A clear, honest audit.", {"C4": "Book the DSL's refresher training this term."}
    )
    record_review(world.database, ids[SUBJECT], "Olive Officer", review)
    record_review(world.database, ids[MIDDLE], "Olive Officer", ReviewInput("accepted", "", {}))
    return ids


def pdf_text(data: bytes) -> str:
    """The letter's text, table cells in reading order (pypdf puts each cell on its own line)."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_letter_shows_own_similar_and_la_figures(world, county):
    with world.database.read() as session:
        letter = letter_for(session, county[SUBJECT], "Westshire County Council")
    text = pdf_text(build_feedback_letter(letter))
    flat = " ".join(text.split())
    # Section A: own 1 of 2 met; first schools 9 of 12 (75%); LA 29 of 32 (91%); last year 100%.
    assert "A. Leadership and governance 50% 1 / 1 / 0 75% 91% 100%" in flat
    # Section C: own 1 of 2; first schools 11 of 12 (92%); LA 31 of 32 (97%).
    assert "C. The designated safeguarding lead 50% 1 / 0 / 1 92% 97% 100%" in flat
    assert "Similar settings (First, 6" in flat and "All settings in the LA (16" in flat
    assert "Leadership and governance: down from 100% to 50% of standards met." in flat
    assert "Every rated standard in \u201cSite and extended activities\u201d is met." in flat
    assert "A clear, honest audit." in flat
    assert "Book the DSL's refresher training this term." in flat and "30 Apr 2026" in flat  # dates as on every page
    assert "Westshire County Council" in flat and "Olive Officer" in flat
    assert PRIVATE not in text and "Seen in the minutes" not in flat


def test_a_comparison_group_under_five_is_suppressed(world, county):
    with world.database.read() as session:
        letter = letter_for(session, county[MIDDLE], "Westshire County Council")
    assert letter.similar_settings is None and letter.la_settings == 16
    flat = " ".join(pdf_text(build_feedback_letter(letter)).split())
    assert "Similar settings (Middle deemed primary, Suppressed)" in flat
    assert "A. Leadership and governance 100% 2 / 0 / 0 Suppressed 91%" in flat
    assert "2 settings" not in flat


def test_letters_go_in_bulk_as_a_pdf_attachment_once(world, county, smtp):
    with world.database.write() as session:
        queued = queue_letters(session, "2025-26", "olive")
    assert sorted(address for _, address in queued) == [
        "chair@first1.example.sch.uk",
        "dsl@first1.example.sch.uk",
        "head@first1.example.sch.uk",
    ]  # the middle school has no addresses on file
    with world.database.write() as session:
        assert queue_letters(session, "2025-26", "olive") == []
    MailWorker(world.database, world.settings).run_once()
    [arrived] = [
        a for a in smtp.inbox.to("head@first1.example.sch.uk") if "Feedback" in a.message["Subject"]
    ]
    [attachment] = list(arrived.message.iter_attachments())
    assert attachment.get_filename() == f"feedback-letter-{SUBJECT}-2025-26.pdf"
    text = pdf_text(attachment.get_content())
    assert "A. Leadership and governance 50%" in " ".join(text.split())
    assert PRIVATE.encode() not in arrived.data


def test_keep_the_pdf_to_look_at(world, county, tmp_path):
    """With LETTER_SHOTS=folder set, the two letters are kept there (to render with pdftoppm)."""
    import os

    folder = os.environ.get("LETTER_SHOTS")
    with world.database.read() as session:
        letters = [
            letter_for(session, county[urn], "Westshire County Council")
            for urn in (SUBJECT, MIDDLE)
        ]
    for letter in letters:
        data = build_feedback_letter(letter)
        assert data.startswith(b"%PDF-") and len(PdfReader(io.BytesIO(data)).pages) >= 1
        if folder:
            (Path(folder) / f"letter-{letter.urn}.pdf").write_bytes(data)


def test_letters_preview_and_send_commands(world, county, env, tmp_path, capsys):
    from school_audit.collector.cli.main import main

    assert main(["letters", "preview", SUBJECT, "-o", str(tmp_path / "letter.pdf")]) == 0
    assert "Leadership and governance" in pdf_text((tmp_path / "letter.pdf").read_bytes())
    assert main(["letters", "preview", "200102", "-o", str(tmp_path / "x.pdf")]) == 1
    assert "has no reviewed return" in capsys.readouterr().err
    assert main(["letters", "send"]) == 0
    assert "3 letter(s) queued for 2025-26" in capsys.readouterr().out
    assert main(["letters", "send"]) == 0
    assert "0 letter(s) queued" in capsys.readouterr().out


def test_the_app_fetches_its_own_letter_once_reviewed(world):
    world.add_school("300001", name="Oak First School")
    with TestClient(world.app(), raise_server_exceptions=False) as client:
        mine, other = enrol_device(client, world, "300001"), enrol_device(client, world, "123456")
        body = mine.body(world.template)
        assert (
            client.post("/api/v1/submissions", json=body, headers=mine.headers).status_code == 201
        )
        url = f"/api/v1/submissions/{body['envelope']['submission_id']}/feedback-letter"
        early = client.get(url, headers=mine.headers)
        assert early.status_code == 404 and early.json()["error"]["code"] == "letter_not_ready"
        record_review(world.database, body["envelope"]["submission_id"], "Olive Officer",
                      ReviewInput("accepted", "Well evidenced.", {}))  # fmt: skip
        letter = client.get(url, headers=mine.headers)
        assert letter.status_code == 200 and letter.headers["content-type"] == "application/pdf"
        assert "feedback-letter-300001-2025-26.pdf" in letter.headers["content-disposition"]
        assert "Oak First School" in pdf_text(letter.content) and "Well evidenced." in pdf_text(
            letter.content
        )
        assert client.get(url, headers=other.headers).json()["error"]["code"] == "not_found"
        assert client.get(url).status_code == 401

"""The app hears back from the LA, against a real collector over real HTTP: the DSL's email sent at
enrolment, the review status and the notices Home shows, and the feedback letter fetched as a PDF
once the LA has issued it."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from school_audit.collector.db import init_database
from school_audit.collector.db.tables import EstablishmentContact
from school_audit.collector.review.reviewing import ReviewInput, record_review
from school_audit.services.notices import home_notices
from school_audit.sync.errors import NotFound
from school_audit.sync.http import HttpSettings
from tests.e2e.school import School

HTTP = HttpSettings(connect_timeout=2, read_timeout=20)
DSL = "amira.okafor@school123456.example.sch.uk"


@pytest.fixture
def school(tmp_path):
    opened = School(tmp_path / "school", "123456", http=HTTP)
    yield opened
    opened.close()


def _review(collector, submission_id: str, decision: str, general: str = "", comments=None):
    database = init_database(collector.database_url)
    try:
        record_review(database, submission_id, "la-officer",
                      ReviewInput(decision, general, comments or {}))  # fmt: skip
    finally:
        database.dispose()


def _contacts(collector) -> dict[str, str]:
    database = init_database(collector.database_url)
    try:
        with database.read() as session:
            return {row.role: row.email for row in session.scalars(select(EstablishmentContact))}
    finally:
        database.dispose()


def test_the_dsl_email_sent_at_enrolment_becomes_the_las_dsl_contact(
    make_running_collector, school
):
    collector = make_running_collector(["123456"])
    school.service.enrol(collector.url, collector.issue_code("123456"), "Office PC",
                         dsl_email=f"  {DSL} ")  # fmt: skip
    assert _contacts(collector) == {"dsl": DSL}


def test_a_mistyped_dsl_email_is_refused_before_the_code_is_spent(make_running_collector, school):
    collector = make_running_collector(["123456"])
    code = collector.issue_code("123456")
    with pytest.raises(ValueError, match="one email address"):
        school.service.enrol(collector.url, code, "Office PC", dsl_email="amira@school")
    assert not school.service.enrolment().enrolled
    school.service.enrol(collector.url, code, "Office PC")  # the code still works; no address
    assert school.service.enrolment().enrolled and _contacts(collector) == {}


def test_notices_and_the_feedback_letter_arrive_from_the_la(make_running_collector, school, tmp_path):
    collector = make_running_collector(["123456"])
    school.service.enrol(collector.url, collector.issue_code("123456"), "Office PC", dsl_email=DSL)
    audit_id = school.complete_audit()
    signed = school.sign(audit_id)
    sid = str(signed.submission_id)
    assert school.service.send_now().sent == [sid]
    today = date.today()

    # Received: Home says so, with the day.
    school.service.refresh_status()
    [notice] = home_notices(school.store, today)
    assert (notice.kind, notice.on, notice.cycle) == ("received", today, "2025-26")
    assert notice.letter_issued_on is None
    assert home_notices(school.store, today + timedelta(days=30)) == []  # old news goes

    # Accepted, but no letter issued yet: the status says none, and the letter is not fetched.
    _review(collector, sid, "accepted", "A clear, careful audit.")
    changed = school.service.refresh_status()
    assert [r.status for r in changed] == ["accepted"]
    [notice] = home_notices(school.store, today)
    assert notice.kind == "accepted" and notice.letter_issued_on is None

    # The LA issues its letters: the status says when, the app notices and fetches it.
    collector.cli("letters", "send", "--cycle", "2025-26")
    changed = school.service.refresh_status()
    assert len(changed) == 1  # news: the letter, though the review itself did not change
    [notice] = home_notices(school.store, today)
    assert notice.kind == "accepted" and notice.letter_issued_on == today
    assert school.service.refresh_status() == []  # nothing new the second time
    path = school.service.fetch_feedback_letter(sid, tmp_path / "letters")
    assert path.parent == tmp_path / "letters" and path.name.startswith("feedback-letter-2025-26-")
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "School 123456" in text  # the letter names the setting
    assert "A clear, careful audit." in text
    assert "Minutes, spring term" not in text  # no answer text in the letter
    # Long after the year, even the letter is old news.
    assert home_notices(school.store, today + timedelta(days=400)) == []


def test_a_return_sent_back_is_a_notice_with_its_comments(make_running_collector, school):
    collector = make_running_collector(["123456"])
    school.service.enrol(collector.url, collector.issue_code("123456"), "Office PC")
    audit_id = school.complete_audit()
    sid = str(school.sign(audit_id).submission_id)
    school.service.send_now()
    with pytest.raises(NotFound):  # no letter before the review
        school.service.fetch_feedback_letter(sid, school.store.path.parent / "letters")
    _review(collector, sid, "returned", "Please add dates.", {"A1": "Which minutes?"})
    school.service.refresh_status()
    [notice] = home_notices(school.store, date.today() + timedelta(days=90))
    assert notice.kind == "returned" and notice.comments == 2  # stays until changes are made
    school.service.reopen(audit_id)
    assert home_notices(school.store, date.today()) == []  # changes under way: the notice goes

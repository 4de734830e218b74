"""The feedback letter's "last year" figures follow the editions' `replaces`: a standard renamed
or merged since last year's return still shows last year's rating, read back from the PDF."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from school_audit.collector.catalog import publish_template
from school_audit.collector.cycles import open_cycle
from school_audit.collector.db import Database
from school_audit.collector.letters import letter_for
from school_audit.collector.review.reviewing import ReviewInput, record_review
from school_audit.content import builtin_template
from school_audit.reports.feedback_letter import build_feedback_letter
from school_audit.signing import SigningKey
from tests.collector_web import seeding

LAST = builtin_template("school-s175", "2024-25.1")
THIS = builtin_template("school-s175", "2025-26.1")  # N10 -> E12 (renamed), F2a + F2b -> F2


def _rated(template, section_id: str) -> list[str]:
    section = next(s for s in template.sections if s.id == section_id)
    return [s.id for s in section.standards if s.is_rated]


def test_last_years_figures_follow_renamed_and_merged_standards(db_url):
    database = Database(db_url)
    with database.write() as session:
        publish_template(session, LAST, cycle="2024-25")
        publish_template(session, THIS, cycle="2025-26")
        open_cycle(session, "2024-25", [(LAST.id, LAST.version)], date(2098, 1, 1),
                   date(2098, 2, 1), "test")  # fmt: skip
        open_cycle(session, "2025-26", [(THIS.id, THIS.version)], date(2099, 1, 1),
                   date(2099, 2, 1), "test")  # fmt: skip
    key = SigningKey.generate()
    school = seeding.add_school(database, "840001", "Letter Primary", "primary")
    last = seeding.applicable_ratings(LAST, "primary", N10="not_met", F2a="not_met", F2b="met")
    envelope = seeding.envelope_for(school, LAST, last)
    envelope["cycle"] = "2024-25"
    seeding.submit(database, key, school, envelope)
    now = seeding.applicable_ratings(THIS, "primary")
    submission = seeding.submit(database, key, school, seeding.envelope_for(school, THIS, now))
    record_review(database, submission, "Olive Officer", ReviewInput("accepted", "", {}))

    with database.read() as session:
        letter = letter_for(session, submission, "Westshire County Council")
    figures = {s.section_id: s for s in letter.sections}
    # Worked out from the editions' text: E12 was N10; F2 was F2a and F2b; F10 became F7 and F8.
    e_old = [i for i in _rated(THIS, "E") if i in last] + ["N10"]
    assert "E12" not in last and "N10" in e_old
    e_share = sum(last[i] == "met" for i in e_old) / len(e_old)
    f_old = [i for i in _rated(THIS, "F") if i in last] + ["F2a", "F2b", "F10"]  # F7, F8 were F10
    f_share = sum(last[i] == "met" for i in f_old) / len(f_old)
    assert figures["E"].last_year == e_share < 1
    assert figures["F"].last_year == f_share < 1
    assert figures["A"].last_year == 1.0  # kept ids: as before

    pdf = build_feedback_letter(letter)
    flat = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split()
    )
    e_title = next(s.title for s in THIS.sections if s.id == "E")
    f_title = next(s.title for s in THIS.sections if s.id == "F")
    # Own figures, then similar settings and the LA (one setting: suppressed), then last year.
    e_met = len([i for i in _rated(THIS, "E") if i in now])
    assert (
        f"E. {e_title} 100% {e_met} / 0 / 0 Suppressed Suppressed {round(e_share * 100)}%" in flat
    )
    f_met = len([i for i in _rated(THIS, "F") if i in now])
    assert (
        f"F. {f_title} 100% {f_met} / 0 / 0 Suppressed Suppressed {round(f_share * 100)}%" in flat
    )


def test_comparison_figures_read_other_editions_in_the_returns_ids(db_url):
    """A cycle on 2025-26.2 with two schools still on .1: the LA figure in the letter of a .2
    school counts a .1 answer to B11 for both parts of the split (B11 and B13)."""
    old, new = (
        builtin_template("school-s175", "2025-26.1"),
        builtin_template("school-s175", "2025-26.2"),
    )
    database = Database(db_url)
    with database.write() as session:
        publish_template(session, old, cycle="2025-26")
        publish_template(session, new, cycle="2025-26")
        open_cycle(session, "2025-26", [(new.id, new.version)], date(2099, 1, 1),
                   date(2099, 2, 1), "test")  # fmt: skip
    key, sent, subject = SigningKey.generate(), [], None
    for n, edition in enumerate([old, old, new, new, new]):
        school = seeding.add_school(database, f"85000{n}", f"School {n}", "primary")
        weak = {"B11": "not_met"} if edition is old else {}
        ratings = seeding.applicable_ratings(edition, "primary", **weak)
        submission = seeding.submit(
            database, key, school, seeding.envelope_for(school, edition, ratings)
        )
        sent.append((edition, ratings))
        subject = submission
    record_review(database, subject, "Olive Officer", ReviewInput("accepted", "", {}))
    with database.read() as session:
        letter = letter_for(session, subject, "Westshire County Council")
    b_ids = _rated(new, "B")
    met = rated = 0
    for edition, ratings in sent:  # worked out from the editions' text: .1's B11 became B11, B13
        for sid in b_ids:
            answered = "B11" if edition is old and sid == "B13" else sid
            if answered in ratings and ratings[answered] != "not_applicable":
                rated += 1
                met += ratings[answered] == "met"
    b = next(s for s in letter.sections if s.section_id == "B")
    assert letter.la_settings == 5
    assert b.la == met / rated
    assert rated - met == 4  # two .1 schools, each not meeting B11 and (through it) B13

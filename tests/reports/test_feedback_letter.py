"""The feedback letter PDF on its own (no collector): suppressed cells print as words, never as
numbers; names outside Latin-1 print; every part of the letter is there."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from school_audit.reports.feedback_letter import (
    ExpectedAction,
    FeedbackLetter,
    SectionFigures,
    build_feedback_letter,
)


def letter(**changes) -> FeedbackLetter:
    values = dict(
        la_name="Westshire County Council",
        establishment_name="Zoë Łukasiewicz Childminding",
        urn="EY123456",
        cycle="2025-26",
        phase_label="Early years",
        decision="returned",
        reviewed_on=date(2026, 3, 4),
        reviewer="Olive Officer",
        similar_settings=None,
        la_settings=None,
        sections=[
            SectionFigures("A", "Leadership", 3, 1, 0, similar=0.123, la=0.456, last_year=0.5)
        ],
        general_comment="Please add dates.",
        actions=[
            ExpectedAction("A2", "A link governor meets the DSL each term.", "partially_met", None)
        ],
    )
    values.update(changes)
    return FeedbackLetter(**values)


def text_of(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def test_suppressed_groups_print_as_words_whatever_figures_were_passed():
    text = text_of(build_feedback_letter(letter()))
    assert "A. Leadership 75% 3 / 1 / 0 Suppressed Suppressed 50%" in text
    assert "12%" not in text and "46%" not in text
    assert "Zoë Łukasiewicz Childminding" in text
    assert "returned your audit for changes" in text and "Please add dates." in text
    assert "Agree a date with us" in text and "Partly met" in text


def test_shown_groups_print_their_share_and_size():
    text = text_of(
        build_feedback_letter(letter(similar_settings=7, la_settings=40, decision="accepted"))
    )
    assert "A. Leadership 75% 3 / 1 / 0 12% 46% 50%" in text
    assert "Similar settings (Early years, 7 settings)" in text
    assert "All settings in the LA (40 settings)" in text

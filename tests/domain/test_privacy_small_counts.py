"""The one rule for small numbers: a count below 5 of children, cases or referrals is flagged."""

from __future__ import annotations

import re

import pytest

from school_audit.content import builtin_template
from school_audit.domain.privacy import (
    MESSAGES,
    SMALL_COUNT_RULE,
    SMALL_COUNT_THRESHOLD,
    PrivacyKind,
    check_text,
    small_counts,
)

SMALL = [
    ("We made 3 referrals to children's social care this year.", "3 referrals"),
    ("two LADO consultations, both resolved", "two LADO consultations"),
    ("1 allegation against a member of staff", "1 allegation"),
    ("Two children are on part-time timetables.", "Two children"),
    ("one early help assessment led by the school", "one early help assessment"),
]
FINE = [
    "We made <5 referrals this year.",
    "12 referrals, all within the local timescale.",
    "Year 4 pupils had an online safety workshop.",
    "Key Stage 2 pupils were surveyed.",
    "SCR checked three times this year; 45 staff, 12 volunteers, 3 governors.",
    "Safer recruitment: 4 panels this year, each with a trained member.",
]


@pytest.mark.parametrize(("text", "flagged"), SMALL)
def test_a_small_count_of_children_or_cases_is_flagged(text, flagged):
    (warning,) = small_counts(text)
    assert text[warning.start : warning.end] == flagged
    assert warning.kind is PrivacyKind.SMALL_COUNT and "<5" in warning.message


@pytest.mark.parametrize("text", FINE)
def test_written_as_the_rule_asks_or_not_a_count_of_people_it_is_quiet(text):
    assert small_counts(text) == []


def test_identifying_details_check_is_unchanged_by_the_count_rule():
    assert check_text("We made 3 referrals this year.") == []
    assert PrivacyKind.SMALL_COUNT in MESSAGES


@pytest.mark.parametrize("template_id", ["school-s175", "early-years-eyfs"])
def test_the_current_templates_state_the_same_rule(template_id):
    template = builtin_template(template_id, "2025-26.2")
    assert SMALL_COUNT_THRESHOLD == 5
    assert SMALL_COUNT_RULE in template.description
    asks_for_a_count = re.compile(r"\bcounts?\b(?! in ratios)", re.IGNORECASE)
    asking_for_counts = [s for s in template.standards() if asks_for_a_count.search(s.guidance)]
    assert asking_for_counts
    for standard in asking_for_counts:
        guidance = standard.guidance
        assert (
            SMALL_COUNT_RULE in guidance
            or "not give counts" in guidance
            or ("count only" in guidance.lower())
        ), standard.id

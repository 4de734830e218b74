"""Cleaning text of control characters: what goes, what stays."""

from __future__ import annotations

import pytest

from school_audit.domain.text_cleaning import clean_line, clean_strings, clean_text


@pytest.mark.parametrize(
    ("raw", "line", "text"),
    [
        ("St Mary\u2019s", "St Mary\u2019s", "St Mary\u2019s"),  # ordinary text is untouched
        ("Oak\x00 Tree\x01", "Oak Tree", "Oak Tree"),  # dropped
        ("Oak\x0bTree", "Oak Tree", "Oak\nTree"),  # a word processor's line break
        ("Oak\r\nTree\rTop", "Oak Tree Top", "Oak\nTree\nTop"),
        ("Oak\tTree", "Oak Tree", "Oak\tTree"),
        ("Oak\x85Tree\u2028End", "Oak Tree End", "Oak\nTree\nEnd"),
        ("C1\x9f\x80 and DEL\x7f", "C1 and DEL", "C1 and DEL"),
        ("lone \ud800 surrogate", "lone \ufffd surrogate", "lone \ufffd surrogate"),
        ("no\ufffe\uffff", "no", "no"),  # XML refuses these two
        ("  \t padded \n ", "padded", "  \t padded \n "),
    ],
)
def test_what_each_keeps(raw, line, text):
    assert clean_line(raw) == line
    assert clean_text(raw) == text


def test_every_string_in_parsed_json_is_cleaned_and_the_original_kept():
    raw = {"a\x00": ["x\x01", {"y": "z\x0bw"}], "n": 3, "t": True, "none": None}
    assert clean_strings(raw) == {"a": ["x", {"y": "z\nw"}], "n": 3, "t": True, "none": None}
    assert raw["a\x00"][0] == "x\x01"

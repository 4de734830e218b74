"""RFC 8785 canonical bytes for the cases that trip up hand-written serialisers."""

from __future__ import annotations

import json

import pytest

from school_audit.domain.canonical import canonical_bytes


def test_keys_sorted_by_utf16_code_units_not_code_points():
    # RFC 8785 §3.2.3: U+1F600 (surrogates D83D DE00) sorts before U+FB33 in UTF-16,
    # though its code point is larger; "\r" (U+000D) sorts before "1".
    value = {"\ufb33": 1, "\U0001f600": 2, "1": 3, "\r": 4, "é": 5, "a": 6}
    expected = '{"\\r":4,"1":3,"a":6,"\u00e9":5,"\U0001f600":2,"\ufb33":1}'.encode()
    assert canonical_bytes(value) == expected


def test_rfc_example_key_order():
    value = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\U0001f600": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
    }
    keys = list(json.loads(canonical_bytes(value)))
    assert keys == ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]


@pytest.mark.parametrize(
    "number,text",
    [
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (0.000001, "0.000001"),
        (0.0000001, "1e-7"),
        (-0.0, "0"),
        (1.0, "1"),
        (123.456, "123.456"),
        (5e-324, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
        (9007199254740991, "9007199254740991"),
        (-1, "-1"),
    ],
)
def test_number_forms(number, text):
    assert canonical_bytes(number) == text.encode()


@pytest.mark.parametrize(
    "string,text",
    [
        ("\u0000", '"\\u0000"'),
        ("\u001f", '"\\u001f"'),
        ("\b\f\n\r\t", '"\\b\\f\\n\\r\\t"'),
        ('"\\', '"\\"\\\\"'),
        ("/", '"/"'),
        ("\u007f", '"\u007f"'),
        ("\u2028\u2029", '"\u2028\u2029"'),
        ("Zoë Łukasiewicz €", '"Zoë Łukasiewicz €"'),
    ],
)
def test_string_escapes(string, text):
    assert canonical_bytes(string) == text.encode("utf-8")


def test_non_ascii_is_utf8_not_escaped():
    assert canonical_bytes({"name": "Siân"}) == b'{"name":"Si\xc3\xa2n"}'


def test_literals_and_whitespace():
    value = {"b": [True, False, None], "a": {"y": [], "x": {}}}
    assert canonical_bytes(value) == b'{"a":{"x":{},"y":[]},"b":[true,false,null]}'


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), 2**53 + 1])
def test_values_outside_json_are_refused(bad):
    with pytest.raises(ValueError):
        canonical_bytes({"n": bad})

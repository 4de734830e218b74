"""The collector's fast RFC 8785 path gives exactly the reference encoder's bytes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from school_audit.collector.ingest.fast_canonical import fast_canonical_bytes, is_simple
from school_audit.domain.canonical import canonical_bytes
from school_audit.domain.envelope import build_envelope
from school_audit.domain.seal import sealed_content
from tests.collector.factories import SIGNED_AT, complete_audit, mini_template, school_profile

keys = st.text(max_size=8)  # includes non-ASCII keys: those must take the slow path and agree
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=20)
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_fast_path_matches_the_reference(value):
    assert fast_canonical_bytes(value) == canonical_bytes(value)


def test_a_real_envelope_matches():
    template = mini_template()
    audit = complete_audit(template, school_profile())
    envelope = build_envelope(
        audit, template, device_key_id="ed25519:0011223344556677", signed_at=SIGNED_AT
    )
    envelope["responses"][0]["evidence"] = (
        'Tab\there, "quotes", \\ back, \x01 control, é, 😀, \u2028'
    )
    assert fast_canonical_bytes(envelope) == canonical_bytes(envelope)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(keys, json_values, max_size=6))
def test_a_part_of_a_value_takes_the_whole_values_path_and_agrees(value):
    """The ingest checks the whole envelope once and hands the answer on for its sealed part
    (the attestation check): the bytes must still be the reference's, simple or not."""
    part = sealed_content(value)
    assert fast_canonical_bytes(part, is_simple(value)) == canonical_bytes(part)
    assert fast_canonical_bytes(value, is_simple(value)) == canonical_bytes(value)


def test_a_value_with_a_float_or_a_non_ascii_key_is_not_simple():
    assert is_simple({"a": [1, "x", None, True]})
    assert not is_simple({"a": [1.5]})
    assert not is_simple({"é": 1})
    assert not is_simple({"a": 2**53})

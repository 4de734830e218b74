"""Hostile template files are refused with a clear message before they cost memory or time."""

from __future__ import annotations

import json

import pytest

from school_audit.domain import template_limits as limits
from school_audit.domain.template_loading import TemplateError, load_template, read_template_file
from tests.conftest import FIXTURES


def mini() -> dict:
    return json.loads((FIXTURES / "mini_school_template.json").read_text())


def refusal(data) -> str:
    with pytest.raises(TemplateError) as raised:
        load_template(data)
    return str(raised.value)


def test_json_nested_100000_deep_is_refused_not_a_recursion_error():
    deep = b'{"a":' * 100_000 + b"1" + b"}" * 100_000
    assert "nested too deeply" in refusal(deep)


def test_nesting_past_the_limit_but_within_the_parser_is_refused_before_validation():
    data = mini()
    data["sections"][0]["standards"][0]["guidance"] = json.loads("[" * 40 + "]" * 40)
    assert f"nested more than {limits.MAX_DEPTH} levels deep" in refusal(json.dumps(data))


def test_a_text_longer_than_the_limit_is_refused():
    data = mini()
    data["sections"][0]["standards"][0]["guidance"] = "x" * (limits.MAX_TEXT_CHARS + 1)
    message = refusal(json.dumps(data).encode())
    assert f"{limits.MAX_TEXT_CHARS + 1:,} characters long" in message
    assert f"at most {limits.MAX_TEXT_CHARS:,}" in message


def test_bytes_past_the_file_limit_are_refused_before_parsing():
    padded = json.dumps(mini()).encode() + b" " * limits.MAX_FILE_BYTES
    assert "a template file may be at most 5.0 MB" in refusal(padded)


def test_too_many_values_are_refused(monkeypatch):
    monkeypatch.setattr(limits, "MAX_VALUES", 50)
    assert "more than 50 values" in refusal(json.dumps(mini()))


def test_a_huge_file_is_refused_before_it_is_read(tmp_path):
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)  # sparse: 100 MB on paper, nothing on the disk
    with pytest.raises(TemplateError, match=r"the file is 100\.0 MB"):
        read_template_file(huge)


def test_real_templates_are_well_inside_the_limits():
    from school_audit.content import builtin_templates

    for template in builtin_templates():
        text = json.dumps(template.to_json())
        assert len(text) * 20 < limits.MAX_FILE_BYTES
        limits.check_json_tree(template.to_json())


def test_control_characters_are_taken_out_of_a_template_as_it_loads():
    data = mini()
    data["title"] = "Small\x00 test\x01 audit"
    data["sections"][0]["standards"][0]["guidance"] = "Minutes\x0bshow it.\r\nSigned\ud800."
    template = load_template(json.dumps(data))
    assert template.title == "Small test audit"
    assert template.standards()[0].guidance == "Minutes\nshow it.\nSigned\ufffd."

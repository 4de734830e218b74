"""`school-audit template …` as a user runs it: a real process, real files, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import FIXTURES


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "school_audit.cli.main", "template", *args],
        capture_output=True, text=True, timeout=60,
    )


def test_validate_a_good_file():
    result = run("validate", str(FIXTURES / "mini_school_template.json"))
    assert result.returncode == 0, result.stderr
    assert "valid template mini-school 2025-26.1 (8 standards in 4 sections" in result.stdout


def test_validate_lists_every_problem_with_its_path(tmp_path):
    data = json.loads((FIXTURES / "mini_school_template.json").read_text())
    data["sections"][0]["standards"][1]["id"] = "A1"
    data["sections"][1]["standards"][0]["colour"] = "red"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    result = run("validate", str(bad))
    assert result.returncode == 1
    assert "sections[1].standards[0].colour: unknown field" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("content", "code"),
    [(b'{"id": ', 1), ("{}".encode("utf-16"), 2)],
)
def test_validate_invalid_json_and_non_text(tmp_path, content, code):
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    result = run("validate", str(bad))
    assert result.returncode == code
    assert "Traceback" not in result.stderr


def test_validate_a_missing_file_is_unreadable(tmp_path):
    result = run("validate", str(tmp_path / "nope.json"))
    assert result.returncode == 2
    assert "Cannot read" in result.stderr


def test_list_and_export_builtins():
    from school_audit.content import builtin_templates

    listing = run("list")
    assert listing.returncode == 0
    templates = builtin_templates()
    assert templates, "no built-in templates"
    for template in templates:
        assert template.id in listing.stdout
    first = templates[0]
    exported = run("export", first.id, "--format", "json")
    assert exported.returncode == 0
    data = json.loads(exported.stdout)
    assert data["id"] == first.id and data["version"]
    standards = [s for section in data["sections"] for s in section["standards"]]
    assert standards and all({"id", "text", "reference", "statutory"} <= set(s) for s in standards)
    from school_audit.domain.canonical import canonical_bytes

    assert exported.stdout.encode().rstrip(b"\n") == canonical_bytes(data)


def test_export_unknown_template():
    result = run("export", "no-such-template")
    assert result.returncode == 1
    assert "no built-in template" in result.stderr




def test_validate_refuses_json_nested_100000_deep(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_bytes(b'{"a":' * 100_000 + b"1" + b"}" * 100_000)
    result = run("validate", str(deep))
    assert result.returncode == 1
    assert "nested too deeply" in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_refuses_a_100_mb_file_without_reading_it(tmp_path):
    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)  # sparse: nothing on the disk
    result = run("validate", str(big))
    assert result.returncode == 1
    assert "the file is 100.0 MB; a template file may be at most 5.0 MB" in result.stderr

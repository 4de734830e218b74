"""`school-audit-collector redact`, `redactions` and `unredact`, through the real entry point, on
SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess

import pytest

from school_audit.collector import redaction
from school_audit.collector.cli.main import main
from tests.collector.test_redaction import stored  # noqa: F401 - a pytest fixture


def run(capsys, db_url: str, *argv: str) -> tuple[int, str, str]:
    code = main(["--database-url", db_url, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_redact_list_and_undo(stored, db_url, capsys):  # noqa: F811
    database, sid, envelope = stored
    code, out, err = run(capsys, db_url, "redactions", sid)
    assert code == 0, err
    assert "Nothing is hidden in this return." in out
    assert "Suggested: A1 evidence: 'Jayden Smith' (looks like a child's name)" in out

    code, out, err = run(
        capsys, db_url, "redact", sid, "--item", "A1", "--text", "Jayden Smith",
        "--reason", "child's name",
    )  # fmt: skip
    assert code == 0, err
    assert out.strip() == "Hidden #1: A1 evidence, characters 19-31"
    with database.read() as session:
        shown = redaction.redacted_envelope(envelope, redaction.redactions_for(session, sid))
    assert "Jayden Smith" not in str(shown)
    code, out, err = run(capsys, db_url, "verify-store")  # the signed bytes are untouched
    assert code == 0 and "MISMATCH" not in out + err

    code, out, _ = run(capsys, db_url, "redactions", sid)
    assert "#1  A1 evidence  19-31  child's name  by cli" in out
    assert "'Jayden Smith'" not in out

    code, out, _ = run(capsys, db_url, "unredact", sid, "1")
    assert code == 0 and "Redaction #1 undone" in out
    with database.read() as session:
        assert redaction.redactions_for(session, sid) == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["redact", "not-a-uuid", "--item", "A1", "--text", "x", "--reason", "r"],
         "'not-a-uuid' is not a submission id"),
        (["redact", "00000000-0000-0000-0000-000000000000", "--item", "A1", "--text", "x",
          "--reason", "r"], "there is no return"),
        (["redact", "{sid}", "--item", "A1", "--text", "Nobody", "--reason", "r"],
         "That text was not found in A1's free text."),
        (["redact", "{sid}", "--item", "Z9", "--text", "Jayden", "--reason", "r"],
         "Z9 has no free text in this return."),
        (["redact", "{sid}", "--item", "A1", "--text", "Jayden", "--reason", " "],
         "Give a reason"),
        (["unredact", "{sid}", "7"], "not on this return"),
        (["unredact", "{sid}", "99999999999999"], "not on this return"),
        (["redactions", "nope"], "is not a submission id"),
    ],
)  # fmt: skip
def test_bad_input_is_one_clear_line_and_exit_code_1(stored, db_url, capsys, argv, message):  # noqa: F811
    database, sid, _ = stored
    code, out, err = run(capsys, db_url, *[a.replace("{sid}", sid) for a in argv])
    assert code == 1
    assert err.startswith("Error: ") and message in err and "Traceback" not in err
    with database.read() as session:
        assert redaction.redactions_for(session, sid) == []


def test_command_line_exports_never_carry_hidden_text(stored, db_url, capsys, tmp_path):  # noqa: F811
    """The exports hold no free text today; this fails if one starts to carry it unredacted."""
    _, sid, envelope = stored
    hidden = run(capsys, db_url, "redact", sid, "--item", "A1", "--text", "Jayden", "--reason", "r")
    assert hidden[0] == 0
    texts = {}
    for kind, fmt in (("returns", "csv"), ("aggregates", "csv"), ("aggregates", "pdf")):
        out = tmp_path / f"{kind}.{fmt}"
        argv = ["export", kind, "--cycle", envelope["cycle"], "--format", fmt, "-o", str(out)]
        code, _, err = run(capsys, db_url, *argv)
        assert code == 0, err
        texts[(kind, fmt)] = _readable(out)
    assert "Brookside Primary School" in texts[("returns", "csv")]  # the return is in it
    for where, text in texts.items():
        assert "Jayden" not in text, where


def _readable(path) -> str:
    if path.suffix == ".pdf":
        return subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, check=True
        ).stdout.decode()
    return path.read_text(encoding="utf-8-sig")

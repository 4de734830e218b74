"""The LA's commands, run as the admin would (through the real entry point, on a SQLite file)."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from school_audit.collector.cli.main import main
from school_audit.collector.register.samples import gias_csv
from tests.collector_la.gias_rows import sample_rows


@pytest.fixture
def collector_home(tmp_path, monkeypatch):
    home = tmp_path / "collector"
    monkeypatch.setenv("SCHOOL_AUDIT_COLLECTOR_HOME", str(home))
    monkeypatch.delenv("SCHOOL_AUDIT_COLLECTOR_DATABASE_URL", raising=False)
    return home


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_register_cycle_and_exemption(collector_home, tmp_path, capsys):
    gias = tmp_path / "edubasealldata20260301.csv"
    gias.write_bytes(gias_csv(sample_rows()))
    code, out, _ = run(capsys, "register", "import-gias", str(gias), "--la-code", "885")
    assert code == 0 and "15 added" in out and "skipped line 17 (URN 900016)" in out
    code, out, _ = run(capsys, "register", "import-gias", str(gias), "--la-code", "885")
    assert code == 0 and "0 added, 0 updated, 15 unchanged" in out
    assert (
        run(capsys, "template", "publish", "--builtin", "school-s175", "--version", "2025-26.1")[0]
        == 0
    )
    code, out, err = run(
        capsys, "cycle", "open", "2025-26", "--school-template", "school-s175@2025-26.1",
        "--first-deadline", "2026-02-13", "--final-deadline", "2026-02-27",
    )  # fmt: skip
    assert code == 0, err
    code, out, _ = run(capsys, "cycle", "exempt", "900011", "--reason", "Closing at Christmas")
    assert code == 0 and "exempt from 2025-26" in out
    code, out, _ = run(capsys, "cycle", "list")
    assert "2025-26  open  first 2026-02-13  final 2026-02-27" in out


def test_bad_register_file_is_refused_with_line_numbers(collector_home, tmp_path, capsys):
    rows = sample_rows()
    rows[3]["URN"] = "12"
    gias = tmp_path / "bad.csv"
    gias.write_bytes(gias_csv(rows))
    code, out, err = run(capsys, "register", "import-gias", str(gias), "--la-code", "885")
    assert code == 1 and "nothing was imported" in err and "line 5, column 'URN'" in err
    assert "Traceback" not in err
    code, _, err = run(
        capsys, "register", "import-gias", str(tmp_path / "missing.csv"), "--la-code", "885"
    )
    assert code == 1 and "cannot read" in err


def test_template_export_then_import_round_trip(collector_home, tmp_path, capsys):
    xlsx, back = tmp_path / "audit.xlsx", tmp_path / "audit.json"
    assert (
        run(
            capsys,
            "template",
            "export",
            "school-s175@2025-26.1",
            "--format",
            "xlsx",
            "-o",
            str(xlsx),
        )[0]
        == 0
    )
    book = load_workbook(xlsx)
    book["template"]["B3"].value = "2025-26.worcs1"  # the LA's own version of it
    book.save(xlsx)
    code, out, err = run(capsys, "template", "import", str(xlsx), "-o", str(back), "--publish")
    assert code == 0, err
    assert json.loads(back.read_text(encoding="utf-8"))["version"] == "2025-26.worcs1"
    assert "Published." in out
    book["standards"]["B2"].value = "A2"  # duplicate of the next row's id
    book.save(xlsx)
    code, _, err = run(capsys, "template", "import", str(xlsx))
    assert code == 1 and "sheet 'standards', row 3, column B (id)" in err


@pytest.mark.slow
def test_demo_prints_logins_and_an_enrolment_code(collector_home, tmp_path, capsys):
    users = tmp_path / "users.json"
    code, out, err = run(
        capsys, "demo", "--password", "correct horse battery", "--users-file", str(users)
    )
    assert code == 0, err
    data = json.loads(users.read_text(encoding="utf-8"))
    assert {u["role"] for u in data["users"]} == {"admin", "la_officer", "steering"}
    assert data["enrolment"]["code"] in out and "school-audit enrol" in out
    assert oct(users.stat().st_mode & 0o777) == "0o600"
    code, out, _ = run(
        capsys, "export", "returns", "--format", "csv", "-o", str(tmp_path / "r.csv")
    )
    assert code == 0 and "Wrote" in out
    code, _, err = run(capsys, "demo")
    assert code == 1 and "already has a register" in err

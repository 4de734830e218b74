"""docs/la-guide.md keeps up with the LA's commands and the early-years CSV columns."""

from __future__ import annotations

from pathlib import Path

from school_audit.collector.cli.main import build_parser
from school_audit.collector.register import early_years
from tests.collector.test_docs import command_names

DOC = (Path(__file__).resolve().parents[2] / "docs" / "la-guide.md").read_text(encoding="utf-8")
MINE = {
    "register import-gias", "register import-early-years", "register import-ofsted", "cycle open", "cycle exempt",
    "cycle list", "template import", "template export", "export returns", "export aggregates",
    "demo", "redact", "redactions", "unredact",
}  # fmt: skip


def test_every_la_command_is_documented():
    assert command_names(build_parser()) >= MINE
    for name in MINE:
        assert f"school-audit-collector {name}" in DOC, name


def test_every_early_years_column_is_documented():
    for column in early_years.COLUMNS:
        assert f"`{column}`" in DOC, column

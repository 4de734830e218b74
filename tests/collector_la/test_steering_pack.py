"""The steering group's PDF pack on the demo county, read back from the real PDF."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from sqlalchemy import select

from school_audit.collector.aggregate.steering import steering_view
from school_audit.collector.cli.main import main
from school_audit.collector.db.tables import AuditLogEntry
from school_audit.collector.demo.seed import CURRENT
from school_audit.collector.exports.steering_pack import export_steering_pack, group_label
from school_audit.reports.steering_pack import FOOTER

TITLE = f"Safeguarding self-audit {CURRENT}: summary for the steering group"


def _pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_pack_shows_the_suppressed_view_and_names_no_setting(demo_world):
    with demo_world.database.write() as session:
        result = export_steering_pack(session, CURRENT, "steering-user", la_name="Demoshire")
        view = steering_view(session, CURRENT, "school")
    assert result.content.startswith(b"%PDF") and result.media_type == "application/pdf"
    pages = _pages(result.content)
    everything = _flat("\n".join(pages))
    assert TITLE in everything and "Demoshire" in everything
    assert all(FOOTER in _flat(page) for page in pages)
    assert f"Page {len(pages)}" in pages[-1]
    first_section = view.sections[0]
    assert f"{first_section.section_id}. {first_section.title}" in everything
    # The cover names the LA and the cycle; the two summary pages come before the detail.
    assert "Audit cycle" in _flat(pages[0]) and CURRENT in _flat(pages[0])
    assert "Summary: returns, the weakest standards and risks" in pages[1]
    assert "Summary: change since last year and training needs" in _flat(pages[2])
    # Completeness by phase, cell by cell: hidden rows print "Suppressed", shown rows the counts.
    at_page = next(i for i, page in enumerate(pages) if "Returns by phase" in page)
    lines = pages[at_page].splitlines()
    table = view.completeness["phase"]
    start = lines.index("Returns by phase")
    for row in table.rows:
        at = lines.index(group_label("phase", row.group), start)
        cells = lines[at + 1 : at + 1 + len(table.columns)]
        if row.suppressed:
            assert cells == ["Suppressed"] * len(table.columns), row.group
        else:
            assert cells == [str(row.counts[c]) for c in table.columns], row.group
    # Small phases are folded, so the pack says which and hides less.
    assert "Other phases" in [row.group for row in table.rows]
    assert "Other phases:" in _flat(pages[0])
    # No setting is named or numbered anywhere in the pack.
    squashed = everything.replace(" ", "")
    for urn, establishment in demo_world.register().items():
        assert urn not in squashed, urn
        assert establishment.name not in everything, establishment.name
        assert establishment.name.replace(" ", "") not in squashed, establishment.name
    with demo_world.database.read() as session:
        logged = session.scalars(
            select(AuditLogEntry).where(AuditLogEntry.actor == "steering-user")
        ).all()
    assert [(e.action, e.target) for e in logged] == [("export.aggregates", CURRENT)]
    assert "format=pdf pack=steering" in logged[0].detail


def test_cli_writes_the_pdf_pack(demo_world, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SCHOOL_AUDIT_COLLECTOR_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("SCHOOL_AUDIT_COLLECTOR_DATABASE_URL", demo_world.database.url)
    output = tmp_path / "pack.pdf"
    code = main(["export", "aggregates", "--format", "pdf", "--la-name", "Demoshire", "-o", str(output)])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Wrote" in out and str(output) in out
    text = _flat("\n".join(_pages(output.read_bytes())))
    assert TITLE in text and "Suppressed" in text and "Demoshire" in text


def test_cli_takes_the_la_name_from_the_settings(demo_world, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SCHOOL_AUDIT_COLLECTOR_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("SCHOOL_AUDIT_COLLECTOR_DATABASE_URL", demo_world.database.url)
    monkeypatch.setenv("SCHOOL_AUDIT_COLLECTOR_LA_NAME", "Borsetshire County Council")
    output = tmp_path / "pack.pdf"
    assert main(["export", "aggregates", "--format", "pdf", "-o", str(output)]) == 0, (
        capsys.readouterr().err
    )
    assert "Borsetshire County Council" in _flat("\n".join(_pages(output.read_bytes())))


def test_a_pack_without_an_la_name_says_how_to_set_it(demo_world):
    with demo_world.database.write() as session:
        result = export_steering_pack(session, CURRENT, "steering-user")
    cover = _flat(_pages(result.content)[0])
    assert "Local authority not named (set SCHOOL_AUDIT_COLLECTOR_LA_NAME)" in cover
    assert "Local authority Local authority Audit cycle" not in cover  # the old cover

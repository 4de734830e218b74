"""Control characters and formula-like text already in the register never break an export.

The register import cleans text now, but a database filled before that (or by hand) may hold a NUL,
a `\\x01` or a vertical tab: every export (XLSX, CSV, the PDF pack) must still be written, clean.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from school_audit.collector.db.tables import Establishment, Submission
from school_audit.collector.demo.seed import CURRENT
from school_audit.collector.exports.steering_pack import export_steering_pack
from school_audit.collector.exports.tables import export_aggregates, export_returns

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
FORMULAS = ['\t=HYPERLINK("http://example.invalid","x")', "\r=1+1", "=cmd|' /C calc'!A0"]


@pytest.fixture
def hostile(demo_world):
    """Three returning schools' names, districts and trusts made hostile; put back afterwards (the demo
    county is shared by the whole run)."""
    with demo_world.database.write() as session:
        returned = select(Submission.urn).where(Submission.cycle == CURRENT)
        rows = session.scalars(
            select(Establishment)
            .where(Establishment.setting_type == "school", Establishment.urn.in_(returned))
            .order_by(Establishment.urn)
        ).all()[:3]
        before = {row.urn: (row.name, row.district, row.trust_name) for row in rows}
        for row, formula in zip(rows, FORMULAS, strict=True):
            row.name = f"{row.name}\x00\x01"
            row.district = f"{row.district}\x0b"
            row.trust_name = formula
    yield before
    with demo_world.database.write() as session:
        for urn, (name, district, trust) in before.items():
            row = session.get(Establishment, urn)
            row.name, row.district, row.trust_name = name, district, trust


def xlsx_cells(content: bytes) -> list:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return [v for sheet in book for row in sheet.iter_rows(values_only=True) for v in row]


def xlsx_types(content: bytes) -> set[str]:
    book = load_workbook(io.BytesIO(content))  # not read-only: cell types are kept
    return {cell.data_type for sheet in book for row in sheet.iter_rows() for cell in row}


def csv_cells(content: bytes) -> list[str]:
    return [v for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for v in row]


@pytest.mark.parametrize("demo_world", ["sqlite"], indirect=True)
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_returns_export_is_written_clean(demo_world, hostile, fmt):
    with demo_world.database.write() as session:
        result = export_returns(session, CURRENT, fmt, "officer")
    cells = xlsx_cells(result.content) if fmt == "xlsx" else csv_cells(result.content)
    texts = [c for c in cells if isinstance(c, str)]
    assert not [t for t in texts if CONTROL.search(t)]
    for name, _, _ in hostile.values():
        assert name in texts  # the name is kept, only the control characters go
    # No text cell can start a formula: a leading tab or CR does not hide the "=".
    assert not [t for t in texts if t.lstrip().startswith(("=", "+", "@"))]
    for formula in FORMULAS:
        assert "'" + formula.strip() in texts
    if fmt == "xlsx":
        assert "f" not in xlsx_types(result.content)


@pytest.mark.parametrize("demo_world", ["sqlite"], indirect=True)
@pytest.mark.parametrize("steering", [False, True])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_aggregate_exports_are_written_clean(demo_world, hostile, fmt, steering):
    with demo_world.database.write() as session:
        result = export_aggregates(session, CURRENT, fmt, "officer", steering=steering)
    cells = xlsx_cells(result.content) if fmt == "xlsx" else csv_cells(result.content)
    assert not [c for c in cells if isinstance(c, str) and CONTROL.search(c)]
    assert result.rows > 0


@pytest.mark.parametrize("demo_world", ["sqlite"], indirect=True)
def test_the_pdf_pack_is_written_clean(demo_world, hostile):
    with demo_world.database.write() as session:
        result = export_steering_pack(session, CURRENT, "steering", la_name="Demo\x00shire")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(result.content)).pages)
    assert "Demoshire" in text
    assert not CONTROL.search(text)

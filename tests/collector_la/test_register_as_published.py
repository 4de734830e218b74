"""GIAS files as real DfE downloads come: FE colleges aged to 99, UTF-8 without a BOM, the zip,
"Junior and Infant" schools and schools proposed to open."""

from __future__ import annotations

import io
import struct
import zipfile
from datetime import date

import pytest
from sqlalchemy import select

from school_audit.collector.catalog import publish_template
from school_audit.collector.cycles import expected_establishments, open_cycle
from school_audit.collector.db.tables import Establishment
from school_audit.collector.register import RegisterImportError, apply_register, parse_gias
from school_audit.collector.register.samples import gias_csv
from school_audit.content import builtin_template
from tests.collector_la.gias_rows import gias_row, sample_rows

COLLEGE = {
    "TypeOfEstablishment (name)": "Further education",
    "EstablishmentTypeGroup (name)": "Colleges",
    "PhaseOfEducation (name)": "16 plus",
    "StatutoryLowAge": "16",
    "StatutoryHighAge": "99",
    "NumberOfPupils": "",
}


def entries(data: bytes) -> dict:
    return {entry.urn: entry for entry in parse_gias(data, "885").entries}


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_an_fe_college_aged_16_to_99_imports():
    college = entries(gias_csv([gias_row("130001", "Severn Valley College", **COLLEGE)]))["130001"]
    assert (college.phase, college.low_age, college.high_age) == ("sixteen_plus", 16, 99)
    assert college.type_group == "college"


def test_a_file_resaved_as_utf8_without_a_bom_is_read_as_utf8():
    rows = [*sample_rows(), gias_row("900099", "St Mary\u2019s Catholic Primary School")]
    utf8 = gias_csv(rows).decode("cp1252").encode("utf-8")
    assert not utf8.startswith(b"\xef\xbb\xbf")
    found = entries(utf8)
    assert found["900099"].name == "St Mary\u2019s Catholic Primary School"  # not "St Maryâ€™s"
    assert found["900004"].name == "Brontë Infant School"
    assert entries(gias_csv(rows))["900099"].name == found["900099"].name  # Windows-1252 too


def test_the_zipped_download_is_read_directly():
    csv_bytes = gias_csv(sample_rows())
    assert entries(zipped({"edubasealldata20260301.csv": csv_bytes})) == entries(csv_bytes)
    # With the links file beside it, the establishments file is the one read.
    both = zipped(
        {"links_edubasealldata20260301.csv": b"URN\r\n", "edubasealldata20260301.csv": csv_bytes}
    )
    assert len(entries(both)) == 15


def test_a_zip_without_the_file_or_unpacking_too_far_is_named_as_such():
    with pytest.raises(RegisterImportError, match="the zip must hold one edubasealldata"):
        parse_gias(zipped({"readme.txt": b"hello"}), "885")
    data = bytearray(zipped({"edubasealldata20260301.csv": gias_csv(sample_rows())}))
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 3 << 30)  # declares 3 GB unpacked
    with pytest.raises(RegisterImportError, match="unpacks to more than 150 MB"):
        parse_gias(bytes(data), "885")


def test_a_zip_that_packs_far_more_than_a_register_is_refused_before_it_is_unpacked():
    # 300 KB holding 60 MB of empty rows: read, it would take several hundred MB of memory.
    bomb = zipped({"edubasealldata20260301.csv": b"URN,EstablishmentName\r\n" + b",\r\n" * (20 * 2**20)})
    assert len(bomb) < 2**20
    with pytest.raises(RegisterImportError, match="far more than a register packs"):
        parse_gias(bomb, "885")


@pytest.mark.parametrize(
    "name", ["Oakfield Junior and Infant School", "Oakfield Infant and Junior School"]
)
def test_a_junior_and_infant_school_is_a_primary(name):
    assert entries(gias_csv([gias_row("900001", name)]))["900001"].phase == "primary"


def proposed(urn: str, opens: str) -> dict[str, str]:
    return gias_row(urn, f"New {urn} Primary School", **{
        "EstablishmentStatus (name)": "Proposed to open", "OpenDate": opens,
    })  # fmt: skip


def test_proposed_to_open_is_its_own_state_expected_from_its_opening_date(database):
    rows = [*sample_rows(), proposed("900101", "01-02-2026"), proposed("900102", "01-09-2026")]
    with database.write() as session:
        apply_register(session, parse_gias(gias_csv(rows), "885"), "gias", "t", "885")
        publish_template(session, builtin_template("school-s175", "2025-26.1"))
        open_cycle(session, "2025-26", [("school-s175", "2025-26.1")], date(2026, 2, 13),
                   date(2026, 2, 27), "admin")  # fmt: skip
        stored = {row.urn: row for row in session.scalars(select(Establishment))}
        expected = {e.urn for e in expected_establishments(session, "2025-26")}
    assert (stored["900101"].status, stored["900101"].opens_on) == ("proposed", date(2026, 2, 1))
    assert stored["900102"].status == "proposed"
    assert "900101" in expected  # opens before the final deadline
    assert "900102" not in expected  # opens next September: not this cycle


def test_proposed_to_open_needs_its_opening_date():
    with pytest.raises(RegisterImportError, match="OpenDate"):
        parse_gias(gias_csv([proposed("900101", "")]), "885")
    with pytest.raises(RegisterImportError, match="not a date like 01-09-2026"):
        parse_gias(gias_csv([proposed("900101", "September")]), "885")

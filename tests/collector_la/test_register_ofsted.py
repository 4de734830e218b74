"""Early years from Ofsted's provider-level file, laid out as Ofsted publishes it (title lines above
the header, Ofsted's own column names in either release's capitals); fictional providers."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from school_audit.collector.cli.main import main
from school_audit.collector.db.tables import Establishment
from school_audit.collector.register import RegisterImportError, apply_register
from school_audit.collector.register.ofsted import parse_ofsted, parse_postcode_districts
from school_audit.collector.register.samples import OFSTED_COLUMNS, OFSTED_TITLE, ofsted_csv

NURSERY = "Childcare on non-domestic premises"


def provider(urn: str, name: str, kind: str = NURSERY, subtype: str = "", **fields: str) -> dict:
    row = {
        "Provider URN": urn,
        "Registration Date": "01/09/2015",
        "Provider Type": kind,
        "Provider Subtype": subtype,
        "Provider Status": "Active",
        "Provider Early Years Register Flag": "Y",
        "Provider Compulsory Childcare Register Flag": "Y",
        "Provider Voluntary Childcare Register Flag": "N",
        "Provider Name": name,
        "Provider Postcode": "WR11 1AA",
        "Local Authority": "Worcestershire",
        "Places": "30",
    }
    row.update(fields)
    return row


def sample() -> list[dict]:
    withheld = {"Provider Name": "REDACTED", "Provider Postcode": "REDACTED"}
    return [
        provider("EY100001", "Little Acorns Day Nursery", subtype="Full day care"),
        provider("EY100002", "Church Lench Pre-school", subtype="Sessional day care",
                 **{"Provider Postcode": "WR7 4AA"}),
        provider("EY100003", "After School Club", subtype="Out-of-school day care"),
        provider("EY100004", "REDACTED", "Childminder", **withheld, Places="6"),
        provider("VC100005", "Jo Minder", "Childminder", Places="6"),
        provider("2654321", "Home Help", "Home childcarer"),
        provider("EY100007", "Over the Border Nursery", subtype="Full day care",
                 **{"Local Authority": "Herefordshire"}),
        provider("EY100008", "Holiday Fun", subtype="Out-of-school day care",
                 **{"Provider Early Years Register Flag": "N"}),
        provider("EY100009", "Closed Nursery", subtype="Full day care",
                 **{"Provider Status": "Resigned"}),
    ]  # fmt: skip


def by_urn(data: bytes, districts=None) -> dict:
    return {e.urn: e for e in parse_ofsted(data, "Worcestershire", districts).entries}


def test_the_file_as_published_starts_with_title_lines():
    data = ofsted_csv(sample())
    lines = data.decode("utf-8").split("\r\n")
    assert lines[0] == OFSTED_TITLE and lines[2].startswith("Provider URN,Registration Date,")


def test_early_years_register_providers_of_the_la_with_types_mapped():
    entries = by_urn(ofsted_csv(sample()))
    assert set(entries) == {"EY100001", "EY100002", "EY100003", "EY100004", "VC100005", "EY100009"}
    assert {u: e.phase for u, e in entries.items()} == {
        "EY100001": "day_nursery", "EY100002": "pre_school", "EY100003": "out_of_school",
        "EY100004": "childminder", "VC100005": "childminder", "EY100009": "day_nursery",
    }  # fmt: skip
    assert entries["EY100001"].pupils == 30 and entries["EY100001"].is_open
    assert not entries["EY100009"].is_open  # no longer "Active"
    assert entries["VC100005"].type_group == "childminder"


def test_a_redacted_childminder_is_kept_named_by_urn_with_a_note():
    parsed = parse_ofsted(ofsted_csv(sample()), "Worcestershire")
    minder = {e.urn: e for e in parsed.entries}["EY100004"]
    assert minder.withheld and minder.postcode == ""
    assert minder.name == "Childminder EY100004 (details withheld by Ofsted)"
    assert any("REDACTED" in note and "matched by URN" in note for note in parsed.notes)
    assert [s.urn for s in parsed.skipped] == ["2654321"]  # a home childcarer makes no return


def test_district_from_the_postcode_file_else_the_local_authority_and_said_so():
    parsed = parse_ofsted(ofsted_csv(sample()), "Worcestershire")
    assert {e.district for e in parsed.entries} == {"Worcestershire"}
    assert any("no postcode-to-district file" in note for note in parsed.notes)
    districts = parse_postcode_districts(
        b"postcode,district\r\nWR11 1AA,Wychavon\r\nwr74aa,Wychavon\r\n"
    )
    entries = by_urn(ofsted_csv(sample()), districts)
    assert entries["EY100001"].district == "Wychavon" and entries["EY100002"].district == "Wychavon"
    assert entries["EY100004"].district == "Worcestershire"  # postcode withheld


def test_an_older_release_with_other_capitals_and_a_web_link_column_reads_the_same():
    older = ["Web link", *(c.replace("Provider Name", "Provider name").replace("Local Authority",
             "Local authority").replace(" Flag", " flag") for c in OFSTED_COLUMNS)]  # fmt: skip
    rows = [{k.replace("Provider Name", "Provider name").replace("Local Authority", "Local authority")
             .replace(" Flag", " flag"): v for k, v in row.items()} for row in sample()]  # fmt: skip
    assert set(by_urn(ofsted_csv(rows, older))) == set(by_urn(ofsted_csv(sample())))


def test_bad_rows_and_missing_columns_are_reported():
    bad = [provider("XY1", "Bad URN"), provider("EY100010", "Odd", "Zoo"),
           provider("EY100011", "Many", subtype="Full day care", Places="²")]  # fmt: skip
    with pytest.raises(RegisterImportError) as raised:
        parse_ofsted(ofsted_csv(bad), "Worcestershire")
    assert [p.line for p in raised.value.problems] == [4, 5, 6]
    with pytest.raises(RegisterImportError, match="required column is missing"):
        parse_ofsted(ofsted_csv(sample(), OFSTED_COLUMNS[:-5]), "Worcestershire")
    with pytest.raises(RegisterImportError, match="no header row naming 'Provider URN'"):
        parse_ofsted(b"a,b\r\n" * 30, "Worcestershire")


def test_reimport_keeps_the_name_the_register_has_for_a_redacted_childminder(database):
    def load(rows):
        with database.write() as session:
            parsed = parse_ofsted(ofsted_csv(rows), "Worcestershire")
            apply_register(session, parsed, "early_years", "admin")

    rows = sample()
    rows[3] = provider("EY100004", "Sam Minder", "Childminder", Places="6")  # named once
    load(rows)
    load(sample())  # now published as REDACTED
    with database.read() as session:
        minder = session.get(Establishment, "EY100004")
        assert minder.name == "Sam Minder" and minder.pupils == 6
        assert {r.urn for r in session.scalars(select(Establishment))} >= {"VC100005"}


def test_the_command(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SCHOOL_AUDIT_COLLECTOR_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("SCHOOL_AUDIT_COLLECTOR_DATABASE_URL", raising=False)
    assert main(["init"]) == 0
    (tmp_path / "ofsted.csv").write_bytes(ofsted_csv(sample()))
    (tmp_path / "districts.csv").write_bytes(b"postcode,district\r\nWR11 1AA,Wychavon\r\n")
    base = ["register", "import-ofsted", str(tmp_path / "ofsted.csv")]
    assert main([*base, "--local-authority", "Worcestershire",
                 "--districts", str(tmp_path / "districts.csv")]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "Early-years providers from Ofsted: 6 added" in out
    assert "Note: 1 childminder(s) have their details published as REDACTED" in out
    assert main([*base, "--local-authority", "Nowhere"]) == 1
    assert "check --local-authority" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_the_spreadsheets_ofsted_publishes_read_as_its_csv(fmt):
    """Ofsted publishes the provider-level data as CSV, XLSX and ODS: each reads to the same
    providers, with the cover sheet passed over and the places read as whole numbers."""
    from tests.collector_la.ofsted_files import ofsted_ods, ofsted_xlsx

    data = (ofsted_xlsx if fmt == "xlsx" else ofsted_ods)(sample())
    from_sheet = parse_ofsted(data, "Worcestershire")
    from_csv = parse_ofsted(ofsted_csv(sample()), "Worcestershire")
    assert from_sheet.entries == from_csv.entries
    assert [(s.urn, s.line) for s in from_sheet.skipped] == [
        (s.urn, s.line) for s in from_csv.skipped
    ]
    assert from_sheet.notes == from_csv.notes
    assert {e.urn for e in from_sheet.entries} >= {"EY100001", "EY100004", "VC100005"}


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_a_spreadsheet_with_a_bad_row_names_its_row(fmt):
    from tests.collector_la.ofsted_files import ofsted_ods, ofsted_xlsx

    rows = [*sample(), provider("NOT-A-URN", "Odd Nursery", subtype="Full day care")]
    with pytest.raises(RegisterImportError) as refused:
        parse_ofsted((ofsted_xlsx if fmt == "xlsx" else ofsted_ods)(rows), "Worcestershire")
    (problem,) = refused.value.problems
    assert problem.line == 3 + len(rows)  # the spreadsheet's own row number


def test_a_spreadsheet_without_the_table_or_damaged_is_refused_in_words():
    import io
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Just a cover sheet"])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(RegisterImportError, match="no sheet of this XLSX file has a header row"):
        parse_ofsted(buffer.getvalue(), "Worcestershire")
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content")
    with pytest.raises(RegisterImportError, match="the ODS file cannot be read"):
        parse_ofsted(broken.getvalue(), "Worcestershire")

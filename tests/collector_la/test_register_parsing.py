"""The GIAS and early-years parsers, on files laid out exactly as published."""

from __future__ import annotations

import pytest

from school_audit.collector.register.early_years import parse_early_years
from school_audit.collector.register.gias import parse_gias
from school_audit.collector.register.gias_columns import ALL_COLUMNS
from school_audit.collector.register.model import RegisterImportError
from school_audit.collector.register.samples import early_years_csv, gias_csv
from tests.collector_la.gias_rows import gias_row, sample_rows


def by_urn(data: bytes) -> dict:
    return {entry.urn: entry for entry in parse_gias(data, "885").entries}


def test_sample_file_is_laid_out_as_published():
    data = gias_csv(sample_rows())
    header = data.split(b"\r\n", 1)[0]
    assert header.startswith(
        b'"URN","LA (code)","LA (name)","EstablishmentNumber","EstablishmentName"'
    )
    assert header.count(b'","') == len(ALL_COLUMNS) - 1 >= 130
    assert b"\xc9vesham" in data  # É as the single Windows-1252 byte, not UTF-8
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")


def test_phases_types_districts_and_accented_names():
    entries = by_urn(gias_csv(sample_rows()))
    assert {urn: e.phase for urn, e in entries.items()} == {
        "900001": "first",
        "900002": "first",
        "900003": "primary",
        "900004": "infant",
        "900005": "junior",
        "900006": "middle_deemed_secondary",
        "900007": "middle_deemed_primary",
        "900008": "high",
        "900009": "secondary",
        "900010": "special",
        "900011": "pru_ap",
        "900012": "independent",
        "900013": "nursery",
        "900014": "first",
        "900015": "primary",
    }
    assert entries["900003"].name == "St Mary's Catholic Primary School, Évesham"
    assert entries["900004"].name == "Brontë Infant School"
    assert entries["900003"].district == "Wychavon"
    assert entries["900008"].type_group == "academy"
    assert entries["900010"].type_group == "maintained"
    assert entries["900012"].type_group == "independent"
    assert entries["900001"].laestab == "8852001"
    assert entries["900001"].contact_name == "Mrs Anne Example"


def test_status_and_flags():
    entries = by_urn(gias_csv(sample_rows()))
    assert not entries["900014"].is_open
    assert entries["900015"].is_open  # "Open, but proposed to close" is still expected
    assert (
        entries["900008"].flags["has_sixth_form"]
        and entries["900008"].flags["is_mat_or_federation"]
    )
    assert entries["900012"].flags["boarding"]
    assert entries["900003"].flags["has_eyfs"] and entries["900001"].flags["is_maintained"]


def test_other_las_are_left_out_and_out_of_scope_types_reported():
    parsed = parse_gias(gias_csv(sample_rows()), "885")
    urns = {e.urn for e in parsed.entries}
    assert "700001" not in urns and "900016" not in urns
    assert [(s.urn, s.line) for s in parsed.skipped] == [("900016", 17)]
    assert parsed.rows_read == 17


def test_bad_rows_are_all_reported_with_line_numbers():
    rows = sample_rows()
    rows[2]["URN"] = "12AB"
    rows[4]["StatutoryLowAge"] = "seven"
    rows[6]["URN"] = rows[0]["URN"]
    with pytest.raises(RegisterImportError) as caught:
        parse_gias(gias_csv(rows), "885")
    found = [(p.line, p.column) for p in caught.value.problems]
    assert found == [(4, "URN"), (6, "StatutoryLowAge"), (8, "URN")]
    assert "already appears on line 2" in str(caught.value)


def test_a_byte_windows_1252_cannot_read_is_a_clear_error():
    data = gias_csv(sample_rows()).replace(b"Hollybank", b"Holly\x81bank")
    with pytest.raises(RegisterImportError) as caught:
        parse_gias(data, "885")
    assert caught.value.problems[0].line == 2
    assert "0x81" in str(caught.value) and "Windows-1252" in str(caught.value)


def test_missing_columns_are_named():
    columns = [c for c in ALL_COLUMNS if c != "DistrictAdministrative (name)"]
    rows = [{k: v for k, v in r.items() if k in columns} for r in sample_rows()]
    with pytest.raises(RegisterImportError) as caught:
        parse_gias(gias_csv(rows, columns), "885")
    assert [(p.line, p.column) for p in caught.value.problems] == [
        (1, "DistrictAdministrative (name)")
    ]


def test_utf8_resaved_with_bom_is_read_as_utf8():
    text = gias_csv(sample_rows()).decode("cp1252")
    entries = by_urn(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert entries["900004"].name == "Brontë Infant School"


def test_multiline_quoted_field_keeps_line_numbers_right():
    rows = [
        gias_row("900001", "A First School", Street="1 Long Lane\r\nUpper End"),
        gias_row("9", "Bad"),
    ]
    with pytest.raises(RegisterImportError) as caught:
        parse_gias(gias_csv(rows), "885")
    assert caught.value.problems[0].line == 4


def test_early_years_csv():
    data = early_years_csv(
        [
            {
                "urn": "EY123456",
                "name": "Little Acorns Pré-school",
                "provider_type": "pre_school",
                "district": "Wychavon",
                "email": "acorns@example.org",
            },
            {
                "urn": "2654321",
                "name": "Jo Bloggs",
                "provider_type": "Childminder",
                "district": "Redditch",
                "status": "closed",
            },
        ]
    )
    entries = {e.urn: e for e in parse_early_years(data).entries}
    assert entries["EY123456"].phase == "pre_school" and entries["EY123456"].is_open
    assert entries["EY123456"].name == "Little Acorns Pré-school"
    assert entries["2654321"].phase == "childminder" and not entries["2654321"].is_open
    assert entries["2654321"].type_group == "childminder"


def test_early_years_problems():
    data = early_years_csv(
        [
            {"urn": "X1", "name": "", "provider_type": "zoo", "district": "", "email": "nope"},
        ]
    )
    with pytest.raises(RegisterImportError) as caught:
        parse_early_years(data)
    assert {p.column for p in caught.value.problems} == {
        "urn",
        "name",
        "provider_type",
        "district",
        "email",
    }
    assert all(p.line == 2 for p in caught.value.problems)


def test_trust_and_number_on_roll():
    rows = sample_rows()
    rows[7]["NumberOfPupils"] = "1,064"  # a thousands separator as a spreadsheet may write it
    rows[9]["NumberOfPupils"] = ""  # GIAS has no census figure for some schools
    entries = by_urn(gias_csv(rows))
    assert entries["900008"].trust_name == "Severn Vale Learning Trust"
    assert entries["900008"].trust_ref == "16071" and entries["900008"].pupils == 1064
    assert entries["900001"].trust_name == "" and entries["900001"].trust_ref == ""
    assert entries["900001"].pupils == 212 and entries["900010"].pupils is None


def test_a_number_on_roll_that_is_not_a_number_is_a_line_problem():
    rows = sample_rows()
    rows[0]["NumberOfPupils"] = "about 200"
    rows[3]["NumberOfPupils"] = "-5"
    rows[4]["NumberOfPupils"] = "250000"
    with pytest.raises(RegisterImportError) as caught:
        parse_gias(gias_csv(rows), "885")
    found = [(p.line, p.column) for p in caught.value.problems]
    assert found == [(2, "NumberOfPupils"), (5, "NumberOfPupils"), (6, "NumberOfPupils")]
    assert "line 2, column 'NumberOfPupils': 'about 200' is not a whole number" in str(caught.value)


def test_early_years_registered_places():
    row = {"name": "A Nursery", "provider_type": "day_nursery", "district": "Redditch"}
    data = early_years_csv(
        [
            {**row, "urn": "EY100001", "registered_places": "62"},
            {**row, "urn": "EY100002", "registered_places": ""},
        ]
    )
    entries = {e.urn: e for e in parse_early_years(data).entries}
    assert entries["EY100001"].pupils == 62 and entries["EY100002"].pupils is None
    bad = early_years_csv([{**row, "urn": "EY100003", "registered_places": "sixty"}])
    with pytest.raises(RegisterImportError) as caught:
        parse_early_years(bad)
    assert [(p.line, p.column) for p in caught.value.problems] == [(2, "registered_places")]


def test_an_early_years_file_without_places_still_imports():
    # The column is optional: files written before it existed keep working.
    data = b"urn,name,provider_type,district\r\nEY100001,A Nursery,day_nursery,Redditch\r\n"
    (entry,) = parse_early_years(data).entries
    assert entry.pupils is None

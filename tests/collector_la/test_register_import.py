"""Importing the register into the collector's database: updates, never duplicates; all or nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from school_audit.collector.db.tables import AuditLogEntry, Establishment
from school_audit.collector.register import (
    RegisterImportError,
    apply_register,
    parse_early_years,
    parse_gias,
)
from school_audit.collector.register.samples import early_years_csv, gias_csv
from tests.collector_la.gias_rows import gias_row, sample_rows


def import_gias(database, rows):
    with database.write() as session:
        return apply_register(session, parse_gias(gias_csv(rows), "885"), "gias", "admin", "885")


def establishments(database) -> dict[str, Establishment]:
    with database.read() as session:
        return {row.urn: row for row in session.scalars(select(Establishment))}


def test_first_import_stores_open_and_closed_schools(database):
    summary = import_gias(database, sample_rows())
    rows = establishments(database)
    assert len(summary.added) == 15 and summary.skipped == 1
    assert rows["900003"].name == "St Mary's Catholic Primary School, Évesham"
    assert rows["900003"].district == "Wychavon" and rows["900001"].phase == "first"
    assert rows["900014"].status == "closed" and rows["900015"].status == "open"
    assert rows["900008"].type_group == "academy" and rows["900001"].laestab == "8852001"
    assert json.loads(rows["900008"].flags)["has_sixth_form"] is True
    assert rows["900001"].head_name == "Mrs Anne Example"


def test_reimport_updates_never_duplicates_and_closes(database):
    import_gias(database, sample_rows())
    changed = sample_rows()
    changed[0]["EstablishmentName"] = "Hollybank First School and Nursery"
    changed[1]["EstablishmentStatus (name)"] = "Closed"
    del changed[2]  # gone from the file altogether
    summary = import_gias(database, changed)
    rows = establishments(database)
    assert len(rows) == 15  # nothing duplicated, nothing deleted
    assert summary.updated == ["900001"] and sorted(summary.closed) == ["900002", "900003"]
    assert rows["900001"].name == "Hollybank First School and Nursery"
    assert rows["900002"].status == "closed" and rows["900003"].status == "closed"
    again = import_gias(database, changed)
    assert again.added == [] and again.updated == [] and again.closed == []


def test_a_bad_file_changes_nothing(database):
    import_gias(database, sample_rows())
    rows = sample_rows()
    rows[0]["EstablishmentName"] = "Renamed First School"
    rows[5]["URN"] = "bad"
    with pytest.raises(RegisterImportError):
        import_gias(database, rows)
    assert establishments(database)["900001"].name == "Hollybank First School"


def test_a_failure_while_writing_rolls_everything_back(database):
    parsed = parse_gias(gias_csv(sample_rows()), "885")
    with pytest.raises(RuntimeError), database.write() as session:
        apply_register(session, parsed, "gias", "admin", "885")
        session.flush()
        raise RuntimeError("disk full")
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(Establishment)) == 0


def test_early_years_import_sits_beside_the_schools(database):
    import_gias(database, [gias_row("900001", "Hollybank First School")])
    data = early_years_csv(
        [
            {
                "urn": "EY123456",
                "name": "Little Acorns Pré-school",
                "provider_type": "pre_school",
                "district": "Wychavon",
                "email": "acorns@example.org",
                "contact_name": "Sam Lee",
            },
        ]
    )
    with database.write() as session:
        apply_register(session, parse_early_years(data), "early_years", "admin")
    rows = establishments(database)
    assert rows["EY123456"].setting_type == "early_years"
    assert rows["EY123456"].contact_email == "acorns@example.org"
    assert rows["900001"].status == "open"  # an early-years import never closes schools
    with database.read() as session:
        actions = session.scalars(select(AuditLogEntry.action)).all()
    assert actions == ["register.import.gias", "register.import.early_years"]


def test_trust_and_size_are_stored_and_updated_by_reimport(database):
    import_gias(database, sample_rows())
    rows = establishments(database)
    assert (rows["900008"].trust_name, rows["900008"].trust_ref) == (
        "Severn Vale Learning Trust",
        "16071",
    )
    assert rows["900001"].trust_name is None and rows["900001"].pupils == 212
    changed = sample_rows()
    changed[0].update({"Trusts (name)": "Hollybank Trust", "Trusts (code)": "17001"})
    changed[0]["NumberOfPupils"] = "230"
    changed[7].update({"Trusts (name)": "", "Trusts (code)": ""})  # left its trust
    changed[8]["NumberOfPupils"] = ""  # census figure withdrawn
    summary = import_gias(database, changed)
    rows = establishments(database)
    assert sorted(summary.updated) == ["900001", "900008", "900009"]
    assert (rows["900001"].trust_name, rows["900001"].trust_ref) == ("Hollybank Trust", "17001")
    assert rows["900001"].pupils == 230
    assert rows["900008"].trust_name is None and rows["900008"].trust_ref is None
    assert rows["900009"].pupils is None


def test_early_years_registered_places_are_stored(database):
    data = early_years_csv(
        [
            {
                "urn": "EY123456",
                "name": "Little Acorns Pré-school",
                "provider_type": "pre_school",
                "district": "Wychavon",
                "registered_places": "26",
            },
        ]
    )
    with database.write() as session:
        apply_register(session, parse_early_years(data), "early_years", "admin")
    assert establishments(database)["EY123456"].pupils == 26

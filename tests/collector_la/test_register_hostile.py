"""Hostile or partial register files: clean text, ASCII digits only, and no mass closure by accident."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from school_audit.collector.cli.main import main
from school_audit.collector.db.tables import Establishment
from school_audit.collector.register import (
    RegisterImportError,
    TooManyClosures,
    apply_register,
    parse_early_years,
    parse_gias,
)
from school_audit.collector.register.gias_columns import ALL_COLUMNS
from school_audit.collector.register.samples import early_years_csv, gias_csv
from tests.collector_la.gias_rows import gias_row

FULLWIDTH, ARABIC_INDIC = "９０００１２", "٩٠٠٠١٢"


def schools(count: int) -> list[dict[str, str]]:
    return [gias_row(f"9001{n:02d}", f"Oakfield {n} Primary School") for n in range(count)]


def utf8_gias(rows) -> bytes:
    """A GIAS file re-saved by Excel as UTF-8 with a BOM: the only way other digits get in."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(ALL_COLUMNS)
    writer.writerows([row.get(name, "") for name in ALL_COLUMNS] for row in rows)
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def problems(call) -> list[str]:
    with pytest.raises(RegisterImportError) as raised:
        call()
    return [str(p) for p in raised.value.problems]


# -- text and digits ------------------------------------------------------------------------------


def test_control_characters_are_taken_out_of_every_field():
    row = gias_row(
        "900001",
        "Hollybank\x00 First\x01 School",
        **{"DistrictAdministrative (name)": "Red\x0bditch", "Trusts (name)": "Vale\tTrust\r"},
    )
    [entry] = parse_gias(gias_csv([row]), "885").entries
    assert entry.name == "Hollybank First School"
    assert entry.district == "Red ditch" and entry.trust_name == "Vale Trust"
    data = early_years_csv(
        [{"urn": "EY123456", "name": "Little\x00 Acorns", "provider_type": "pre_school",
          "district": "Wychavon\x1f"}]
    )  # fmt: skip
    [provider] = parse_early_years(data).entries
    assert provider.name == "Little Acorns" and provider.district == "Wychavon"


@pytest.mark.parametrize(
    ("column", "value"),
    [("NumberOfPupils", "²"), ("StatutoryLowAge", "²"), ("NumberOfPupils", "٣٠٠")],
)
def test_digits_that_are_not_ascii_are_a_line_problem_not_a_crash(column, value):
    found = problems(
        lambda: parse_gias(utf8_gias([gias_row("900001", "A School", **{column: value})]), "885")
    )
    assert len(found) == 1 and found[0].startswith(f"line 2, column '{column}'")


@pytest.mark.parametrize("urn", [FULLWIDTH, ARABIC_INDIC])
def test_look_alike_urns_are_refused(urn):
    found = problems(lambda: parse_gias(utf8_gias([gias_row(urn, "A Primary School")]), "885"))
    assert found == [f"line 2, column 'URN': URN {urn!r} is not six digits"]
    data = early_years_csv(
        [{"urn": "EY" + urn, "name": "Acorns", "provider_type": "pre_school", "district": "X"}]
    )
    assert "is not an Ofsted URN" in problems(lambda: parse_early_years(data))[0]


def test_a_look_alike_la_code_is_refused():
    assert "is not three digits" in problems(lambda: parse_gias(gias_csv(schools(1)), "٨٨٥"))[0]


def test_a_look_alike_establishment_number_gives_no_laestab():
    row = gias_row("900001", "A Primary School", EstablishmentNumber="٢٠٠١")
    [entry] = parse_gias(utf8_gias([row]), "885").entries
    assert entry.laestab == ""


# -- a partial register ---------------------------------------------------------------------------


def import_gias(database, rows, **options):
    with database.write() as session:
        parsed = parse_gias(gias_csv(rows), "885")
        return apply_register(session, parsed, "gias", "admin", "885", **options)


def stored(database) -> dict[str, str]:
    with database.read() as session:
        return {row.urn: row.status for row in session.scalars(select(Establishment))}


def test_a_one_row_file_closes_nothing_and_names_what_it_would_close(database):
    import_gias(database, schools(36))
    with pytest.raises(TooManyClosures) as raised:
        import_gias(database, schools(1))
    assert len(raised.value.summary.closed) == 35 and raised.value.allowed == 5
    assert "would close 35 of the 36 open establishments" in str(raised.value)
    assert "--allow-closing 35" in str(raised.value)
    assert raised.value.summary.closing_lines(3) == [
        "900101 Oakfield 1 Primary School",
        "900102 Oakfield 2 Primary School",
        "900103 Oakfield 3 Primary School",
        "… and 32 more",
    ]
    assert set(stored(database).values()) == {"open"}  # nothing changed


def test_closing_that_many_must_be_allowed_by_number(database):
    import_gias(database, schools(36))
    with pytest.raises(TooManyClosures):
        import_gias(database, schools(1), allow_closing=34)
    summary = import_gias(database, schools(1), allow_closing=35)
    assert len(summary.closed) == 35
    assert sorted(stored(database).values()).count("closed") == 35


def test_a_few_closures_or_a_small_share_need_no_permission(database):
    import_gias(database, schools(100))
    summary = import_gias(database, schools(90))  # 10 of 100: the share allowed
    assert len(summary.closed) == 10


def test_early_years_providers_are_guarded_too(database):
    rows = [
        {
            "urn": f"EY{n:06d}",
            "name": f"Minder {n}",
            "provider_type": "childminder",
            "district": "X",
        }
        for n in range(20)
    ]
    with database.write() as session:
        apply_register(session, parse_early_years(early_years_csv(rows)), "early_years", "admin")
    with pytest.raises(TooManyClosures), database.write() as session:
        apply_register(session, parse_early_years(early_years_csv(rows[:2])), "early_years", "a")
    assert set(stored(database).values()) == {"open"}


# -- the command line ------------------------------------------------------------------------------


@pytest.fixture
def cli(tmp_path, monkeypatch):
    monkeypatch.setenv("SCHOOL_AUDIT_COLLECTOR_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("SCHOOL_AUDIT_COLLECTOR_DATABASE_URL", raising=False)
    assert main(["init"]) == 0

    def run(rows, *options: str) -> int:
        path = tmp_path / "edubasealldata.csv"
        path.write_bytes(gias_csv(rows))
        return main(["register", "import-gias", str(path), "--la-code", "885", *options])

    return run


def test_the_command_refuses_a_partial_file_and_lists_what_would_close(cli, capsys):
    assert cli(schools(36)) == 0
    capsys.readouterr()
    assert cli(schools(1)) == 1
    err = capsys.readouterr().err
    assert "nothing was imported: this file would close 35 of the 36" in err
    assert "900135 Oakfield 35 Primary School" in err and "Traceback" not in err


def test_the_dry_run_lists_what_would_close_and_changes_nothing(cli, capsys):
    assert cli(schools(36)) == 0
    assert cli(schools(31), "--dry-run") == 0
    out = capsys.readouterr().out
    assert "Dry run, nothing was changed. Register for LA 885: 0 added" in out
    assert "Would close:\n  900131 Oakfield 31 Primary School" in out
    assert cli(schools(31), "--dry-run") == 0  # the same again: nothing was closed
    assert "5 closed" in capsys.readouterr().out
    assert cli(schools(1), "--dry-run") == 1  # too many: refused, with the list
    assert "It would close:\n  900101 Oakfield 1" in capsys.readouterr().err


def test_allow_closing_lets_the_import_through(cli, capsys):
    assert cli(schools(36)) == 0
    assert cli(schools(1), "--allow-closing", "35") == 0
    out = capsys.readouterr().out
    assert "1 unchanged, 35 closed" in out and "Closed:\n  900101 Oakfield 1" in out

"""Trust membership from GIAS's group links file (GIAS's own column names; fictional trusts)."""

from __future__ import annotations

import csv
import io

import pytest

from school_audit.collector.cli.main import main
from school_audit.collector.register import RegisterImportError, parse_gias
from school_audit.collector.register.group_links import parse_group_links, with_trusts
from school_audit.collector.register.samples import gias_csv
from tests.collector_la.gias_rows import sample_rows

# The columns of the group links extract (the set DfE's own code maps; order as listed there).
LINK_COLUMNS = [
    "Closed Date", "Companies House Number", "EstablishmentName", "Group ID", "Group Name",
    "Group Status", "Group Status (code)", "Group Type", "Group Type (code)", "Group UID",
    "Incorporated on (open date)", "Joined date", "LA (code)", "LA (name)", "Open date",
    "PhaseOfEducation (code)", "PhaseOfEducation (name)", "TypeOfEstablishment (code)",
    "TypeOfEstablishment (name)", "URN", "URN_GroupUID",
]  # fmt: skip


def link(urn: str, name: str, uid: str, kind: str = "Multi-academy trust", **fields) -> dict:
    return {"URN": urn, "Group Name": name, "Group UID": uid, "Group ID": f"TR0{uid}",
            "Group Type": kind, "Group Type (code)": "06", "Group Status": "Open",
            "Group Status (code)": "OPEN", "URN_GroupUID": f"{urn}_{uid}", **fields}  # fmt: skip


def links_csv(rows) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(LINK_COLUMNS)
    writer.writerows([row.get(c, "") for c in LINK_COLUMNS] for row in rows)
    return buffer.getvalue().encode("cp1252")


LINKS = [
    link("900001", "Hollybank Learning Trust", "17001"),
    link("900002", "Lench Vale Academy", "17002", "Single-academy trust"),
    link("900003", "Old Trust", "17003", **{"Closed Date": "31-08-2024", "Group Status": "Closed"}),
    link("900004", "Three Spires Federation", "17004", "Federation", **{"Group Type (code)": "01"}),
]


def test_open_trust_links_give_each_school_its_trust():
    trusts = parse_group_links(links_csv(LINKS))
    assert trusts == {
        "900001": ("Hollybank Learning Trust", "17001"),
        "900002": ("Lench Vale Academy", "17002"),
    }
    parsed = parse_gias(gias_csv(sample_rows()), "885")
    assert with_trusts(parsed, trusts) == 2
    entries = {e.urn: e for e in parsed.entries}
    assert entries["900001"].trust_name == "Hollybank Learning Trust"
    assert entries["900001"].trust_ref == "17001"
    assert entries["900001"].flags["is_mat_or_federation"] is True
    assert entries["900003"].trust_name == ""  # the closed trust is not kept
    assert "2 establishment(s) in a trust" in parsed.notes[-1]


def test_a_links_file_without_its_columns_is_refused():
    with pytest.raises(RegisterImportError, match="required column is missing"):
        parse_group_links(b'"URN","Group Name"\r\n"900001","X"\r\n')


def test_import_gias_with_group_links(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SCHOOL_AUDIT_COLLECTOR_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("SCHOOL_AUDIT_COLLECTOR_DATABASE_URL", raising=False)
    assert main(["init"]) == 0
    (tmp_path / "gias.csv").write_bytes(gias_csv(sample_rows()))
    (tmp_path / "links.csv").write_bytes(links_csv(LINKS))
    argv = ["register", "import-gias", str(tmp_path / "gias.csv"), "--la-code", "885"]
    assert main([*argv, "--group-links", str(tmp_path / "links.csv")]) == 0
    assert "Note: Trusts from the group links file: 2" in capsys.readouterr().out
    from school_audit.collector.db import Database
    from school_audit.collector.db.tables import Establishment

    database = Database(f"sqlite:///{tmp_path / 'home' / 'collector.sqlite3'}")
    with database.read() as session:
        assert session.get(Establishment, "900002").trust_name == "Lench Vale Academy"
    database.dispose()

"""Exports (XLSX and CSV, audit-logged) and the steering view on the demo county."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select

from school_audit.collector.aggregate.common import DIMENSIONS, RATINGS
from school_audit.collector.aggregate.folding import shown_as
from school_audit.collector.aggregate.steering import steering_view
from school_audit.collector.aggregate.suppression import THRESHOLD
from school_audit.collector.db.tables import AuditLogEntry
from school_audit.collector.demo import CURRENT
from school_audit.collector.exports import SUPPRESSED, export_aggregates, export_returns


def test_steering_view_shows_true_counts_and_no_small_group(demo_world):
    with demo_world.database.read() as session:
        view = steering_view(session, CURRENT, "school")
    assert len(view.standards) > 100 and view.sections
    hidden = visible = 0
    oracles = {d: demo_world.rating_counts(CURRENT, "school", d) for d in DIMENSIONS}
    for standard in view.standards:
        for dimension, table in standard.tables.items():
            oracle = oracles[dimension]
            for row in table.rows:
                if row.suppressed:
                    hidden += 1
                    assert set(row.counts.values()) == {None} and row.settings is None
                    continue
                visible += 1
                # A folded group ("Other phases") counts every group folded into it.
                mapping = view.folding[dimension]
                within = {
                    g for g, _ in oracle if shown_as(mapping, g, dimension) == row.group
                }
                truth = {
                    r: sum(oracle[(g, standard.standard_id)][r] for g in within) for r in RATINGS
                }
                assert row.counts == truth
                assert row.settings == 0 or row.settings >= THRESHOLD
    assert hidden and visible
    for dimension in DIMENSIONS:
        for row in view.completeness[dimension].rows:
            assert row.suppressed or row.settings >= THRESHOLD


def test_returns_export_xlsx_one_row_per_return(demo_world):
    with demo_world.database.write() as session:
        result = export_returns(session, CURRENT, "xlsx", "officer")
    sheet = load_workbook(io.BytesIO(result.content), read_only=True)["returns"]
    rows = list(sheet.iter_rows(values_only=True))
    # Every return not superseded, quarantined ones too (their status column says so).
    envelopes = demo_world.envelopes(CURRENT, "school", counted=False)
    assert len(rows) - 1 == len(envelopes) == result.rows
    header = rows[0]
    by_urn = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    for submission, envelope in envelopes:
        line = by_urn[submission.urn]
        for response in envelope["responses"]:
            assert line[response["standard_id"]] == response["rating"]
        assert line["met"] == sum(r["rating"] == "met" for r in envelope["responses"])
        assert line["actions"] == len(envelope["actions"])
    register = demo_world.register()
    trusts = {line["urn"]: line["trust"] for line in by_urn.values()}
    assert trusts == {u: register[u].trust_name or "Not in a trust" for u in trusts}
    assert {line["size_band"] for line in by_urn.values()} >= {"Up to 100 pupils", "Size not known"}
    assert "evidence" not in " ".join(map(str, header))


def test_aggregate_exports_are_audit_logged_and_steering_pack_is_suppressed(demo_world):
    with demo_world.database.write() as session:
        full = export_aggregates(session, CURRENT, "csv", "officer", steering=False)
        pack = export_aggregates(session, CURRENT, "xlsx", "steering", steering=True)
    text = full.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["table", "item", "group", "measure", "value"]
    assert any(r[:4] == ["standards", "A1", "A", "met"] for r in rows)
    book = load_workbook(io.BytesIO(pack.content), read_only=True)
    assert "standards by phase" in book.sheetnames
    cells = [v for row in book["standards by phase"].iter_rows(values_only=True) for v in row]
    assert SUPPRESSED in cells
    with demo_world.database.read() as session:
        log = session.scalars(
            select(AuditLogEntry).where(AuditLogEntry.action.like("export.%"))
        ).all()
    assert {(e.actor, e.action) for e in log} >= {
        ("officer", "export.aggregates"),
        ("steering", "export.aggregates"),
    }
    assert all(e.target == CURRENT and "rows=" in e.detail for e in log)


def test_exports_break_down_by_trust_and_size_band(demo_world):
    with demo_world.database.write() as session:
        full = export_aggregates(session, CURRENT, "xlsx", "officer", steering=False)
        pack = export_aggregates(session, CURRENT, "xlsx", "steering", steering=True)
    book = load_workbook(io.BytesIO(full.content), read_only=True)
    completeness = list(book["completeness"].iter_rows(values_only=True))
    trusts = {row[1]: row[2] for row in completeness if row[0] == "trust"}
    assert trusts["Forest Learning Partnership"] == 4 and "Not in a trust" in trusts
    assert {row[1] for row in completeness if row[0] == "size"} >= {
        "Up to 100 pupils",
        "Size not known",
    }
    assert "standards by trust" in book.sheetnames and "standards by size" in book.sheetnames
    steering = load_workbook(io.BytesIO(pack.content), read_only=True)
    rows = list(steering["completeness by trust"].iter_rows(values_only=True))
    # Four schools: never on a row of its own; put together with the other small trusts.
    assert not any(row[0] == "Forest Learning Partnership" for row in rows)
    other = next(row for row in rows if row[0] == "Other trusts")
    assert SUPPRESSED not in other[1:] and other[1] >= THRESHOLD
    assert "sections by size" in steering.sheetnames

"""Exports (XLSX and CSV, audit-logged) and the steering view on the demo county."""

from __future__ import annotations

import csv
import io
from datetime import UTC

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import select

from school_audit.collector.aggregate.common import DIMENSIONS, RATINGS
from school_audit.collector.aggregate.folding import shown_as
from school_audit.collector.aggregate.steering import steering_view
from school_audit.collector.aggregate.suppression import THRESHOLD
from school_audit.collector.db.tables import AuditLogEntry
from school_audit.collector.demo.seed import CURRENT
from school_audit.collector.exports.sheets import PHASE_WORDS, RATING_WORDS, STATUS_WORDS
from school_audit.collector.exports.tables import SUPPRESSED, export_aggregates, export_returns


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
            assert line[response["standard_id"]] == RATING_WORDS[response["rating"]]
        assert line["Met"] == sum(r["rating"] == "met" for r in envelope["responses"])
        assert line["Actions planned"] == len(envelope["actions"])
        received = submission.received_at.astimezone(UTC).replace(tzinfo=None)
        assert abs((line["Received (UTC)"] - received).total_seconds()) < 0.01
    register = demo_world.register()
    trusts = {line["URN"]: line["Trust"] for line in by_urn.values()}
    assert trusts == {u: register[u].trust_name or "Not in a trust" for u in trusts}
    assert {line["Size band"] for line in by_urn.values()} >= {"Up to 100 pupils", "Size not known"}
    assert "evidence" not in " ".join(map(str, header))


def test_aggregate_exports_are_audit_logged_and_steering_pack_is_suppressed(demo_world):
    with demo_world.database.write() as session:
        full = export_aggregates(session, CURRENT, "csv", "officer", steering=False)
        pack = export_aggregates(session, CURRENT, "xlsx", "steering", steering=True)
    text = full.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Table", "Item", "Group", "Measure", "Value"]
    assert any(r[:4] == ["standards", "A1", "A", "Met"] for r in rows)
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
    trusts = {row[1]: row[2] for row in completeness if row[0] == "Trust"}
    assert trusts["Forest Learning Partnership"] == 4 and "Not in a trust" in trusts
    assert {row[1] for row in completeness if row[0] == "Size band"} >= {
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


def test_returns_export_reads_as_words_with_a_frozen_filtered_header(demo_world):
    """Opened in a spreadsheet: the header row stays put and filters, names are words, columns
    are wide enough to read and the moments are real dates shown the one way (21 Nov 2026)."""
    with demo_world.database.write() as session:
        result = export_returns(session, CURRENT, "xlsx", "officer")
    book = load_workbook(io.BytesIO(result.content))  # not read-only: layout and formats are kept
    sheet = book["returns"]
    header = [cell.value for cell in sheet[1]]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(header))}{result.rows + 1}"
    assert header[:11] == [
        "URN", "Setting", "Kind of setting", "Phase", "District", "Type", "Trust", "Size band",
        "Status", "Revision", "Received (UTC)",
    ]  # fmt: skip
    assert not [word for word in header if "_" in str(word)]  # no code such as setting_type
    lines = [
        dict(zip(header, [c.value for c in row], strict=True)) for row in sheet.iter_rows(min_row=2)
    ]
    assert {line["Kind of setting"] for line in lines} == {"School"}
    assert {line["Status"] for line in lines} <= set(STATUS_WORDS.values())
    assert {line["Phase"] for line in lines} <= set(PHASE_WORDS.values())
    assert {line["A1"] for line in lines} <= set(RATING_WORDS.values()) | {None}
    received = sheet.cell(row=2, column=11)
    assert received.is_date and received.number_format == "d mmm yyyy hh:mm"
    longest = max(len(line["Setting"]) for line in lines)
    assert min(longest, 60) <= sheet.column_dimensions["B"].width <= 62  # the longest name fits
    assert sheet.column_dimensions["A"].width >= len("URN")


def test_aggregate_xlsx_headers_and_breakdowns_in_words(demo_world):
    with demo_world.database.write() as session:
        full = export_aggregates(session, CURRENT, "xlsx", "officer", steering=False)
    book = load_workbook(io.BytesIO(full.content))
    for sheet in book:
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
        assert not [c.value for c in sheet[1] if "_" in str(c.value)], sheet.title
    completeness = [[c.value for c in row] for row in book["completeness"].iter_rows()]
    assert completeness[0][:4] == ["Breakdown", "Group", "Expected", "Received"]
    assert {row[0] for row in completeness[1:]} >= {"Kind of setting", "Phase", "Type", "Total"}
    assert "setting_type" not in {row[0] for row in completeness}
    assert "School" in {row[1] for row in completeness if row[0] == "Kind of setting"}


def test_csv_writes_words_and_dates_the_one_way(demo_world):
    with demo_world.database.write() as session:
        result = export_returns(session, CURRENT, "csv", "officer")
    rows = list(csv.reader(io.StringIO(result.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["URN", "Setting", "Kind of setting"]
    received = dict(zip(rows[0], rows[1], strict=True))["Received (UTC)"]
    day, month, year_time = received.split(" ", 2)
    assert day.isdigit() and not day.startswith("0") and len(month) == 3 and "," in year_time

"""The analysis pages and exports show the aggregate functions' figures, and the steering group's
only ever the suppressed ones."""

from __future__ import annotations

import csv
import io
from xml.etree import ElementTree

from openpyxl import load_workbook
from sqlalchemy import select

from school_audit.collector.db.tables import AuditLogEntry
from school_audit.collector.web.svg import StackedRow, stacked_bar_chart


def test_svg_chart_is_an_accessible_image_with_labels():
    svg = str(stacked_bar_chart("Compliance by section", [
        StackedRow("A Leadership", {"met": 0.5, "partially_met": 0.25, "not_met": 0.25}),
        StackedRow("B <Policies>", None),
    ]))  # fmt: skip
    root = ElementTree.fromstring(svg)  # well-formed XML, text escaped
    assert root.get("role") == "img" and root.get("aria-label") == "Compliance by section"
    assert root.find("{http://www.w3.org/2000/svg}title").text == "Compliance by section"
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert {"Met", "Partially met", "Not met"} <= set(texts)  # colours always named
    assert "50%" in texts and "B <Policies>" in texts
    assert "Suppressed (fewer than 5 settings)" in texts


def test_overview_compliance_and_themes_show_the_seeded_returns(as_role, seeded):
    client = as_role("la_officer")
    overview = client.get("/").text
    assert "Expected" in overview and "<svg" in overview
    compliance = client.get("/compliance?by=phase").text
    assert "2 current returns counted" in compliance
    assert 'role="img"' in compliance and "<table" in compliance
    themes = client.get("/themes").text
    assert "A1" in themes and "Support requested" in themes
    triage = client.get("/triage").text
    assert "Brookside Primary School" in triage  # its statutory A1 is not met
    assert "Statutory standard not met" in triage


def test_steering_view_suppresses_groups_of_two_schools(as_role, seeded):
    page = as_role("steering").get("/steering?by=district").text
    assert "Suppressed" in page
    assert "Redditch" in page  # the group is named, its figures are not
    for name in ("Hollybank", "Brookside", "100001"):
        assert name not in page


def test_steering_export_is_always_the_suppressed_pack(as_role, seeded, app):
    response = as_role("steering").get("/exports/aggregates.csv")
    assert response.status_code == 200
    assert "steering" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Table" and rows[0][-1] == "Value"
    assert any(row[-1] == "*" for row in rows[1:])  # two schools: everything is hidden
    with app.state.database.read() as session:
        entry = session.scalar(
            select(AuditLogEntry).where(AuditLogEntry.action == "export.aggregates")
        )
    assert entry.actor == "stella" and "pack=steering" in entry.detail


def test_la_officer_exports_returns_as_a_workbook(as_role, seeded, tmp_path):
    response = as_role("la_officer").get("/exports/returns.xlsx")
    assert response.status_code == 200
    assert response.headers["content-disposition"].endswith('.xlsx"')
    path = tmp_path / "returns.xlsx"
    path.write_bytes(response.content)
    rows = list(load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True))
    names = {row[1] for row in rows[1:]}
    assert names == {"Hollybank First School", "Brookside Primary School"}


def test_unknown_export_format_is_a_clear_404(as_role, seeded):
    response = as_role("la_officer").get("/exports/returns.pdf")
    assert response.status_code == 404 and "was not found" in response.text


def test_admin_page_lists_users_and_the_audit_log(as_role, seeded):
    page = as_role("admin").get("/admin").text
    assert "olive" in page and "stella" in page
    assert "login" in page  # the admin's own log-in is in the log

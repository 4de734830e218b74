"""LA-authored templates in XLSX: the round trip loses nothing; problems name sheet, row, column."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from school_audit.collector.template_xlsx import (
    TemplateWorkbookError,
    export_workbook,
    import_workbook,
)
from school_audit.content import builtin_templates


def edit(data: bytes, change) -> bytes:
    book = load_workbook(io.BytesIO(data))
    change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def cell(book, sheet: str, row: int, column: str):
    header = [c.value for c in book[sheet][1]]
    return book[sheet].cell(row=row, column=header.index(column) + 1)


@pytest.mark.parametrize("template", builtin_templates(), ids=lambda t: f"{t.id}@{t.version}")
def test_builtin_templates_round_trip_exactly(template):
    back = import_workbook(export_workbook(template))
    assert back == template
    assert back.sha256 == template.sha256


def test_mini_template_round_trips_with_local_questions_and_dates(mini_template):
    data = export_workbook(mini_template)
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == [
        "template",
        "sections",
        "standards",
        "local_questions",
        "dates",
        "replaces",
    ]
    assert [c.value for c in book["local_questions"]["B"]][1:] == ["LP1", "LP2"]
    assert import_workbook(data) == mini_template


def test_an_officer_can_add_a_standard(mini_template):
    def add(book):
        book["standards"].append(
            ["A", "A3", "Governors read the annual report.", None, "Local", "no"]
        )

    template = import_workbook(edit(export_workbook(mini_template), add))
    assert template.standard("A3").text == "Governors read the annual report."
    assert template.section_of("A3").id == "A"


def test_a_duplicate_id_names_sheet_row_and_column(mini_template):
    def duplicate(book):
        cell(book, "standards", 3, "id").value = "A1"

    with pytest.raises(TemplateWorkbookError) as caught:
        import_workbook(edit(export_workbook(mini_template), duplicate))
    [problem] = caught.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("standards", 3, "B (id)")
    assert "duplicate standard id 'A1'" in str(problem)


def test_bad_cells_are_all_reported(mini_template):
    def spoil(book):
        cell(book, "standards", 2, "statutory").value = "perhaps"
        cell(book, "standards", 4, "phases").value = "first, upper"
        cell(book, "dates", 2, "max_age_months").value = 500
        cell(book, "template", 5, "value").value = "college"  # setting_type

    with pytest.raises(TemplateWorkbookError) as caught:
        import_workbook(edit(export_workbook(mini_template), spoil))
    found = {(p.sheet, p.row, p.column) for p in caught.value.problems}
    assert ("standards", 2, "F (statutory)") in found

    # The yes/no problem stops the import before the schema check: fix it and look again.
    def spoil_schema(book):
        spoil(book)
        cell(book, "standards", 2, "statutory").value = "yes"

    with pytest.raises(TemplateWorkbookError) as caught:
        import_workbook(edit(export_workbook(mini_template), spoil_schema))
    found = {(p.sheet, p.row, p.column) for p in caught.value.problems}
    assert {("template", 5, "B (value)"), ("dates", 2, "D (max_age_months)")} <= found


def test_rule_problems_point_at_their_cells(mini_template):
    def spoil(book):
        cell(book, "standards", 4, "phases").value = "first, upper"
        cell(book, "local_questions", 3, "answer").value = "choice"
        book["replaces"].append(["renamed", "X9", "Q99"])

    with pytest.raises(TemplateWorkbookError) as caught:
        import_workbook(edit(export_workbook(mini_template), spoil))
    found = {(p.sheet, p.row, p.column, p.message) for p in caught.value.problems}
    assert ("standards", 4, "H (phases)", "unknown phase 'upper'") in found
    assert (
        "local_questions",
        3,
        "G (choices)",
        "choices are needed for, and only for, 'choice'",
    ) in found
    assert ("replaces", 2, "C (new)", "points to no standard 'Q99'") in found


def test_unknown_columns_sheets_and_sections(mini_template):
    def spoil(book):
        book["standards"].cell(row=1, column=13).value = "colour"
        cell(book, "standards", 2, "section").value = "Z"
        del book["sections"]

    with pytest.raises(TemplateWorkbookError) as caught:
        import_workbook(edit(export_workbook(mini_template), spoil))
    messages = [str(p) for p in caught.value.problems]
    assert "sheet 'sections': the sheet is missing" in messages
    assert "sheet 'standards', row 1, column M: unknown column 'colour'" in messages


def test_not_a_workbook():
    with pytest.raises(TemplateWorkbookError, match="not an XLSX workbook"):
        import_workbook(b"id,version\n")

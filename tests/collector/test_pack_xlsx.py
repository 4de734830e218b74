"""The local-pack form: a pack as an XLSX workbook, out and back, and its refusals."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from school_audit.collector.pack_xlsx import (
    export_pack_workbook,
    import_pack_workbook,
    is_pack_workbook,
)
from school_audit.collector.template_xlsx import TemplateWorkbookError
from school_audit.content.local_packs import builtin_local_pack

PACK = builtin_local_pack("worcestershire")


def edited(change) -> bytes:
    book = load_workbook(io.BytesIO(export_pack_workbook(PACK)))
    change(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def problems(data: bytes) -> list[str]:
    with pytest.raises(TemplateWorkbookError) as caught:
        import_pack_workbook(data)
    return [str(p) for p in caught.value.problems]


def test_export_then_import_gives_back_the_same_pack():
    data = export_pack_workbook(PACK)
    assert is_pack_workbook(data)
    again = import_pack_workbook(data)
    assert again.sha256 == PACK.sha256
    assert load_workbook(io.BytesIO(data)).sheetnames == [
        "pack", "references", "notes", "local_sections", "local_questions",
    ]  # fmt: skip


def test_a_statutory_column_on_a_note_is_refused_at_its_cell():
    def change(book):
        sheet = book["notes"]
        sheet.cell(row=1, column=5, value="statutory")
        sheet.cell(row=3, column=5, value="yes")

    assert problems(edited(change)) == [
        "sheet 'notes', row 3, column E (statutory): a local pack cannot make a national "
        "standard statutory, or stop it being so"
    ]


def test_a_rated_local_question_and_an_unknown_reference_are_refused_at_their_rows():
    def change(book):
        book["local_questions"]["F2"] = "rating"
        book["notes"]["C2"] = "wscp-procedures, nowhere"

    assert problems(edited(change)) == [
        "sheet 'local_questions', row 2, column F (answer): local questions are not rated: "
        "answer yes_no, number, choice or text",
    ]
    only_reference = edited(lambda book: book["notes"].__setitem__("C2", "nowhere"))
    assert problems(only_reference) == [
        "sheet 'notes', row 2, column C (references): no reference 'nowhere' in the pack's references"
    ]


def test_unknown_columns_are_named():
    data = edited(lambda book: book["references"].cell(row=1, column=6, value="colour"))
    assert problems(data) == ["sheet 'references', row 1, column F: unknown column 'colour'"]

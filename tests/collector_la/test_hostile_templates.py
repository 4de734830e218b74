"""Hostile template files at the collector: a clear refusal, found before memory or time goes.

The files are built here, small: a zip entry that only *declares* a gigabyte, a sheet whose one
row is numbered five million (no dimension), a cell past the text limit.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile

import pytest
from openpyxl import load_workbook

from school_audit.collector.cli.main import main
from school_audit.collector.template_xlsx import (
    TemplateWorkbookError,
    export_workbook,
    import_workbook,
)
from school_audit.domain import template_limits as limits
from school_audit.domain.template_loading import load_template


def refusal(data: bytes) -> str:
    with pytest.raises(TemplateWorkbookError) as raised:
        import_workbook(data)
    return str(raised.value)


def declaring(data: bytes, name: str, size: int) -> bytes:
    """The same zip, its central directory claiming `name` unpacks to `size` bytes."""
    out = bytearray(data)
    for match in re.finditer(rb"PK\x01\x02", data):
        start = match.start()
        length = struct.unpack_from("<H", data, start + 28)[0]
        if data[start + 46 : start + 46 + length] == name.encode():
            struct.pack_into("<I", out, start + 24, size)
            return bytes(out)
    raise AssertionError(f"no entry {name}")


def edited(data: bytes, change) -> bytes:
    book = load_workbook(io.BytesIO(data))
    change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def far_row_without_dimension(data: bytes, sheet: str, row: int) -> bytes:
    """One more row numbered `row` at the end of `sheet`, and no <dimension> in any sheet (so
    the reader cannot know the size before it has read every row)."""
    far = f'<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>Z</t></is></c></row>'.encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename.startswith("xl/worksheets/"):
                content = re.sub(rb"<dimension [^>]*/>", b"", content)
            if entry.filename == sheet:
                content = content.replace(b"</sheetData>", far + b"</sheetData>")
            target.writestr(entry.filename, content)
    return out.getvalue()


@pytest.fixture
def workbook(mini_template) -> bytes:
    return export_workbook(mini_template)


def test_an_entry_declaring_a_gigabyte_is_refused_before_it_is_unpacked(workbook):
    message = refusal(declaring(workbook, "xl/worksheets/sheet3.xml", 1 << 30))
    assert "too large to use" in message
    assert "'xl/worksheets/sheet3.xml' unpacks to 1024.0 MB; at most 10.0 MB" in message


def test_entries_adding_up_past_the_limit_are_refused(workbook, monkeypatch):
    monkeypatch.setattr(limits, "MAX_UNPACKED_BYTES", 2_000)
    assert "the workbook unpacks to" in refusal(workbook)


def test_a_file_past_the_size_limit_is_refused(workbook):
    assert "at most 5.0 MB" in refusal(workbook + b"\0" * limits.MAX_FILE_BYTES)


def test_a_row_numbered_five_million_stops_at_the_row_limit(workbook):
    hostile = far_row_without_dimension(workbook, "xl/worksheets/sheet2.xml", 5_000_000)
    assert "sheet 'sections' has more than 5,000 rows" in refusal(hostile)


def test_a_cell_past_the_text_limit_is_refused_naming_it(workbook):
    def long_guidance(book):
        book["standards"].cell(row=2, column=4, value="x" * (limits.MAX_TEXT_CHARS + 1))

    message = refusal(edited(workbook, long_guidance))
    assert "a cell of sheet 'standards' (row 2) is 20,001 characters long" in message


def test_too_many_cells_are_refused(workbook, monkeypatch):
    monkeypatch.setattr(limits, "MAX_CELLS", 30)
    assert "more than 30 filled cells" in refusal(workbook)


def test_control_characters_in_cells_are_taken_out(workbook):
    def dirty(book):
        # XML 1.0 (so XLSX) cannot hold most C0 controls at all; C1 controls and NEL it can
        book["standards"].cell(row=2, column=3).value += "\x9f"
        book["standards"].cell(row=2, column=4).value = "Minutes\x85show it."

    standard = import_workbook(edited(workbook, dirty)).standards()[0]
    assert standard.text.endswith("safeguarding.")
    assert standard.guidance == "Minutes\nshow it."


# -- the command line of the collector ---------------------------------------------------------


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    monkeypatch.setenv("SCHOOL_AUDIT_COLLECTOR_HOME", str(tmp_path / "collector-home"))
    monkeypatch.delenv("SCHOOL_AUDIT_COLLECTOR_DATABASE_URL", raising=False)
    assert main(["init"]) == 0


def sparse(path, size: int):
    with path.open("wb") as handle:
        handle.truncate(size)  # a huge file on paper, nothing on the disk
    return path


def test_publish_refuses_json_nested_100000_deep(cli_env, tmp_path, capsys):
    deep = tmp_path / "deep.json"
    deep.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    assert main(["template", "publish", str(deep)]) == 1
    err = capsys.readouterr().err
    assert "nested too deeply" in err and "Traceback" not in err


def test_publish_refuses_a_100_mb_file_without_reading_it(cli_env, tmp_path, capsys):
    assert main(["template", "publish", str(sparse(tmp_path / "big.json", 100 << 20))]) == 1
    assert "the file is 100.0 MB; a template file may be at most 5.0 MB" in capsys.readouterr().err


def test_template_import_refuses_a_huge_workbook_without_reading_it(cli_env, tmp_path, capsys):
    assert main(["template", "import", str(sparse(tmp_path / "big.xlsx", 1 << 30))]) == 1
    err = capsys.readouterr().err
    assert "too large" in err and "1024.0 MB" in err


def test_template_import_names_a_hostile_entry(cli_env, tmp_path, workbook, capsys):
    hostile = tmp_path / "hostile.xlsx"
    hostile.write_bytes(declaring(workbook, "xl/worksheets/sheet3.xml", 1 << 30))
    assert main(["template", "import", str(hostile)]) == 1
    assert "'xl/worksheets/sheet3.xml' unpacks to 1024.0 MB" in capsys.readouterr().err


def test_a_real_workbook_still_imports(cli_env, tmp_path, workbook):
    good = tmp_path / "mini.xlsx"
    good.write_bytes(workbook)
    assert main(["template", "import", str(good)]) == 0


def test_text_that_looks_like_a_formula_is_exported_as_text(mini_template):
    data = mini_template.to_json()
    data["sections"][0]["standards"][0]["guidance"] = '=HYPERLINK("http://example.invalid")'
    original = load_template(data)
    exported = export_workbook(original)
    book = load_workbook(io.BytesIO(exported))
    assert "f" not in {c.data_type for row in book["standards"].iter_rows() for c in row}
    assert import_workbook(exported) == original

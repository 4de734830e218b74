"""Ofsted's provider-level file in the spreadsheet formats it is published in (XLSX and ODS),
laid out as published: a cover sheet first, then the data sheet with its title lines above the
header; counts as numbers. The ODS is written as a spreadsheet program writes one: empty cells
to the row's end and empty rows to the sheet's end as repeats, a number as a typed value."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Mapping
from xml.sax.saxutils import escape, quoteattr

from openpyxl import Workbook

from school_audit.collector.register.samples import OFSTED_COLUMNS, OFSTED_NOTE, OFSTED_TITLE

COVER = ["Childcare providers and inspections: management information", "", "Contents: one table"]
NUMBERS = {"Places"}


def _value(name: str, text: str) -> object:
    return int(text) if name in NUMBERS and text.isdigit() else text


def ofsted_xlsx(rows: Iterable[Mapping[str, str]]) -> bytes:
    book = Workbook()
    cover = book.active
    cover.title = "Cover"
    for line in COVER:
        cover.append([line])
    data = book.create_sheet("Provider level data")
    data.append([OFSTED_TITLE])
    data.append([OFSTED_NOTE])
    data.append(OFSTED_COLUMNS)
    for row in rows:
        data.append([_value(name, row.get(name, "")) for name in OFSTED_COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value: object) -> str:
    if isinstance(value, int):
        return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>")  # fmt: skip
    if value == "":
        return "<table:table-cell/>"
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'


def _row(values: list[object]) -> str:
    cells = "".join(_cell(v) for v in values)
    return f'<table:table-row>{cells}<table:table-cell table:number-columns-repeated="16340"/></table:table-row>'


def _table(name: str, lines: list[list[object]]) -> str:
    body = "".join(_row(line) for line in lines)
    blank = '<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
    return f"<table:table table:name={quoteattr(name)}>{body}{blank}</table:table>"


def ofsted_ods(rows: Iterable[Mapping[str, str]]) -> bytes:
    lines: list[list[object]] = [[OFSTED_TITLE], [OFSTED_NOTE], list(OFSTED_COLUMNS)]
    lines += [[_value(name, row.get(name, "")) for name in OFSTED_COLUMNS] for row in rows]
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
        "<office:body><office:spreadsheet>"
        + _table("Cover", [[line] for line in COVER])
        + _table("Provider level data", lines)
        + "</office:spreadsheet></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", "<manifest/>")
    return buffer.getvalue()

"""A register published as a spreadsheet (XLSX or ODS) read as the CSV text the parsers take.

Ofsted publishes its provider-level data as CSV, XLSX and OpenDocument (ODS) files. Each format
is read here into the same rows the CSV would give, one line per sheet row (so line numbers in
a refusal are the spreadsheet's row numbers): the sheet used is the first with a header cell
naming `header_has` in its first 20 rows. XLSX is read with openpyxl (a dependency already, for
templates and exports). ODS is a zip holding `content.xml`; it is read with the standard
library's streaming XML parser, which is enough for its tables, so no library is added for it.
A document type declaration is refused (ODS never has one), and so are sizes beyond
`MOST_UNZIPPED`, before anything is unpacked.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any
from xml.etree.ElementTree import XMLPullParser

from school_audit.collector.register.csv_text import MOST_UNZIPPED, ZIP_MAGIC
from school_audit.collector.register.model import RegisterImportError, RowProblem

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
MOST_COLUMNS = 500  # a sheet's width as read: ODS writes "the rest of the row is empty" as a repeat
MOST_BLANK_ROWS = 1000  # likewise for empty rows at a sheet's end
HEADER_ROWS = 20


def spreadsheet_kind(data: bytes) -> str:
    """ "xlsx", "ods" or "" (not a spreadsheet: CSV, or a zip holding a CSV)."""
    if not data.startswith(ZIP_MAGIC):
        return ""
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "content.xml" in names and "mimetype" in names:
            mimetype = zipfile.ZipFile(io.BytesIO(data)).read("mimetype").strip()
            return "ods" if mimetype == ODS_MIMETYPE else ""
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, KeyError):
        return ""
    return ""


def as_csv(data: bytes, header_has: str) -> bytes | None:
    """The sheet holding the register as UTF-8 CSV bytes, or None when `data` is no spreadsheet."""
    kind = spreadsheet_kind(data)
    if not kind:
        return None
    try:
        sheets = _xlsx_sheets(data) if kind == "xlsx" else _ods_sheets(data)
        for rows in sheets:
            lines = list(_head_and_rest(rows, header_has))
            if lines:
                return _csv(lines)
    except RegisterImportError:
        raise
    except Exception as error:  # a damaged file: openpyxl and the XML parser raise many kinds
        raise _whole_file(f"the {kind.upper()} file cannot be read ({error})") from None
    raise _whole_file(
        f"no sheet of this {kind.upper()} file has a header row naming {header_has!r} in its "
        f"first {HEADER_ROWS} rows"
    )


def _head_and_rest(rows: Iterable[list[str]], header_has: str) -> Iterator[list[str]]:
    """Every row of a sheet whose header is in its first rows; nothing for another sheet."""
    wanted, seen, found = header_has.lower(), [], False
    for row in rows:
        if found:
            yield row
            continue
        seen.append(row)
        if wanted in {cell.strip().lower() for cell in row}:
            found = True
            yield from seen
        elif len(seen) >= HEADER_ROWS:
            return


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        while row and not row[-1].strip():
            row = row[:-1]  # trailing empty cells: a row no wider than its header
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # "12", not "12.0", for a count of places
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return str(value)


def _xlsx_sheets(data: bytes) -> Iterator[Iterator[list[str]]]:
    from openpyxl import load_workbook  # noqa: PLC0415 (only when an XLSX comes in)

    _check_sizes(data)
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            yield (
                [_text(v) for v in row[:MOST_COLUMNS]] for row in sheet.iter_rows(values_only=True)
            )
    finally:
        book.close()


def _ods_sheets(data: bytes) -> Iterator[Iterator[list[str]]]:
    _check_sizes(data)
    content = zipfile.ZipFile(io.BytesIO(data)).read("content.xml")
    if b"<!DOCTYPE" in content[:4096] or b"<!ENTITY" in content[:4096]:
        raise _whole_file("the ODS file declares a document type, which no ODS file has")
    tables: list[list[list[str]]] = []
    for table in _ods_tables(content):
        tables.append(table)
    for table in tables:
        yield iter(table)


def _ods_tables(content: bytes) -> Iterator[list[list[str]]]:
    """Each table's rows, with repeated cells and rows expanded (up to the limits above)."""
    parser = XMLPullParser(events=("start", "end"))
    rows: list[list[str]] = []
    row: list[str] = []
    blank_run = 0
    for start in range(0, len(content), 1 << 20):
        parser.feed(content[start : start + (1 << 20)])
        for event, element in parser.read_events():
            tag = element.tag
            if event == "start" and tag == f"{TABLE}table":
                rows, blank_run = [], 0
            elif event == "start" and tag == f"{TABLE}table-row":
                row = []
            elif event == "end" and tag in (f"{TABLE}table-cell", f"{TABLE}covered-table-cell"):
                repeat = int(element.get(f"{TABLE}number-columns-repeated", "1"))
                value = _ods_cell(element)
                row.extend([value] * min(repeat, max(0, MOST_COLUMNS - len(row))))
                element.clear()
            elif event == "end" and tag == f"{TABLE}table-row":
                repeat = int(element.get(f"{TABLE}number-rows-repeated", "1"))
                if any(cell.strip() for cell in row):
                    rows.extend([row] * min(repeat, MOST_BLANK_ROWS))
                    blank_run = 0
                elif blank_run < MOST_BLANK_ROWS:
                    count = min(repeat, MOST_BLANK_ROWS - blank_run)
                    rows.extend([[]] * count)
                    blank_run += count
                element.clear()
            elif event == "end" and tag == f"{TABLE}table":
                yield rows
                element.clear()
    parser.close()


def _ods_cell(element: Any) -> str:
    kind = element.get(f"{OFFICE}value-type", "")
    if kind in ("float", "percentage", "currency"):
        return _text(float(element.get(f"{OFFICE}value", "0")))
    if kind == "date":
        return element.get(f"{OFFICE}date-value", "")[:10]
    paragraphs = ["".join(p.itertext()) for p in element.iter(f"{TEXT}p")]
    return "\n".join(paragraphs)


def _check_sizes(data: bytes) -> None:
    for entry in zipfile.ZipFile(io.BytesIO(data)).infolist():
        if entry.file_size > MOST_UNZIPPED:
            raise _whole_file(f"{entry.filename} unpacks to more than 500 MB")


def _whole_file(message: str) -> RegisterImportError:
    return RegisterImportError([RowProblem(0, message)])

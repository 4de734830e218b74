"""Writing the exports' tables as a person opens them: column names and codes in words, dates
written one way, and, in XLSX, a frozen header row with filters and columns wide enough to read.

Every text cell is cleaned of control characters (one in a register name must not stop the export
for everyone) and guarded against running as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from school_audit.collector.aggregate.common import DIMENSIONS
from school_audit.collector.register.model import TYPE_GROUPS
from school_audit.domain.dates import moment_text
from school_audit.domain.setting import EARLY_YEARS_PHASES, SCHOOL_PHASES
from school_audit.domain.text_cleaning import clean_line

# A text starting with one of these runs as a formula when a spreadsheet opens the file (CSV
# injection); tab and CR are in OWASP's list too: a spreadsheet may skip them and read on.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
# How a spreadsheet shows a moment: the same words as the pages (21 Nov 2026 14:05).
MOMENT_FORMAT = "d mmm yyyy hh:mm"
COLUMN_WORDS = {
    "urn": "URN",
    "name": "Setting",
    "setting_type": "Kind of setting",
    "phase": "Phase",
    "district": "District",
    "type": "Type",
    "trust": "Trust",
    "size": "Size band",
    "size_band": "Size band",
    "status": "Status",
    "revision": "Revision",
    "received_at": "Received (UTC)",
    "signed_at": "Signed (UTC)",
    "template": "Template",
    "met": "Met",
    "partially_met": "Partially met",
    "not_met": "Not met",
    "not_applicable": "Not applicable",
    "actions": "Actions planned",
    "support_requested": "Support requested",
    "breakdown": "Breakdown",
    "group": "Group",
    "expected": "Expected",
    "received": "Received",
    "received_by_first": "Received by the first deadline",
    "received_by_final": "Received by the final deadline",
    "accepted": "Accepted",
    "overdue": "Overdue",
    "standard": "Standard",
    "section": "Section",
    "statutory": "Statutory",
    "text": "Standard text",
    "title": "Title",
    "settings": "Settings",
    "share_met": "Met (% of rated)",
    "share_partially_met": "Partially met (% of rated)",
    "share_not_met": "Not met (% of rated)",
    "table": "Table",
    "item": "Item",
    "measure": "Measure",
    "value": "Value",
}
RATING_WORDS = {
    "met": "Met",
    "partially_met": "Partially met",
    "not_met": "Not met",
    "not_applicable": "Not applicable",
}
STATUS_WORDS = {
    "received": "Received, awaiting review",
    "accepted": "Accepted",
    "returned": "Returned for changes",
    "quarantined": "Quarantined",
    "superseded": "Superseded",
}
SETTING_WORDS = {"school": "School", "early_years": "Early years"}
PHASE_WORDS = {**SCHOOL_PHASES, **EARLY_YEARS_PHASES}
BREAKDOWN_WORDS = {**DIMENSIONS, "setting_type": "Kind of setting", "total": "Total"}
MAX_WIDTH = 60  # characters: a long standard's text wraps in the cell rather than run on


def column_words(code: str) -> str:
    """A column's name in words; a standard's id (A1) is its name already."""
    if code in COLUMN_WORDS:
        return COLUMN_WORDS[code]
    return code if "_" not in code else code.replace("_", " ").capitalize()


def group_words(dimension: str, group: str) -> str:
    """A breakdown's group as the pages name it (type, phase and kind of setting keys in words)."""
    table = {"type": TYPE_GROUPS, "phase": PHASE_WORDS, "setting_type": SETTING_WORDS}
    return table.get(dimension, {}).get(group, group)


def xlsx(tables: Iterable[tuple[str, list[str], list[list[Any]]]]) -> bytes:
    """Each table on its own sheet, the header row frozen and filtered, the columns sized."""
    book = Workbook(write_only=True)
    written = 0
    for name, header, rows in tables:
        sheet = book.create_sheet(title=name[:31])
        words = no_formula(header)
        for index, width in enumerate(_widths(words, rows), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        if header:
            last = get_column_letter(len(header))
            sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
        sheet.append(words)
        for row in rows:
            sheet.append([_xlsx_cell(sheet, v) for v in row])
        written += 1
    if not written:
        book.create_sheet("empty")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(header: list[str], rows: Iterable[list[Any]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(no_formula(header))
    writer.writerows(no_formula([_csv_cell(v) for v in row]) for row in rows)
    # A BOM so Excel opens the UTF-8 correctly (names such as "Brontë").
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    if isinstance(value, datetime):
        moment = value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
        cell = WriteOnlyCell(sheet, value=moment)  # the sheet's book keeps the number format
        cell.number_format = MOMENT_FORMAT
        return cell
    return safe_text(value) if isinstance(value, str) else value


def _csv_cell(value: Any) -> Any:
    if isinstance(value, datetime):
        moment = value.astimezone(UTC) if value.tzinfo else value
        return moment_text(moment)
    return value


def _widths(header: list[str], rows: list[list[Any]]) -> list[int]:
    widths = [len(str(word)) for word in header]
    for row in rows[:500]:  # enough rows to judge a column; the rest cost time, not width
        for index, value in enumerate(row[: len(widths)]):
            size = 17 if isinstance(value, datetime) else len(str(value))
            widths[index] = max(widths[index], size)
    return [min(MAX_WIDTH, max(6, width) + 2) for width in widths]


def no_formula(row: list[Any]) -> list[Any]:
    return [safe_text(v) if isinstance(v, str) else v for v in row]


def safe_text(value: str) -> str:
    """One line, no control characters, and never read as a formula."""
    cleaned = clean_line(value)  # trims a leading tab or CR: the guard looks at both forms
    return (
        "'" + cleaned
        if value.startswith(FORMULA_STARTS) or cleaned.startswith(FORMULA_STARTS)
        else cleaned
    )

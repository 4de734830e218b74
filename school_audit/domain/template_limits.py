"""Limits on a template file, checked before it is parsed, so a hostile file is refused with a
clear message instead of taking the memory or the time of the machine reading it.

A template is authored by an LA officer, but the file may come from anywhere (an e-mail, a shared
drive). The limits are far above any real template: the largest built-in one is 78 KB of JSON,
166 standards, nested 8 deep, its longest text 374 characters. What is checked:

- the file's size, before it is read (`read_template_file`) and again on the bytes;
- JSON: nesting depth (Python's parser would otherwise fail deep in its recursion), the number of
  values and the length of every text;
- XLSX: the sizes each entry of the zip *declares* (Python's zip reader never unpacks more than
  that, so a small file cannot unpack into gigabytes), then rows per sheet, cells and text length
  as the sheets are read.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

MAX_FILE_BYTES = 5 * 1024 * 1024  # a template file as stored, JSON or XLSX
MAX_DEPTH = 32  # arrays and objects inside one another
MAX_VALUES = 200_000  # every value of the JSON (objects, arrays, texts, numbers)
MAX_TEXT_CHARS = 20_000  # one text: a title, some guidance, a cell
MAX_ZIP_ENTRIES = 200
MAX_ENTRY_BYTES = 10 * 1024 * 1024  # one part of the XLSX once unpacked (a sheet, the strings)
MAX_UNPACKED_BYTES = 40 * 1024 * 1024  # all of them together
MAX_SHEET_ROWS = 5_000
MAX_CELLS = 200_000  # non-empty cells of the whole workbook


class TemplateTooLarge(ValueError):
    """The file goes past one of the limits; the message says which, in plain English."""


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def check_size(size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise TemplateTooLarge(
            f"the file is {_mb(size)}; a template file may be at most {_mb(MAX_FILE_BYTES)}"
        )


def read_bounded(path: Path) -> bytes:
    """The bytes of a template file, refused before reading when it is too large (OSError as
    reading raises it)."""
    check_size(path.stat().st_size)
    with path.open("rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)  # a file growing while read is still bounded
    check_size(len(data))
    return data


def check_text(text: str, where: str = "a text") -> None:
    if len(text) > MAX_TEXT_CHARS:
        raise TemplateTooLarge(
            f"{where} is {len(text):,} characters long; at most {MAX_TEXT_CHARS:,} are allowed"
        )


def check_json_tree(value: Any) -> None:
    """Depth, number of values and text lengths of parsed JSON (walked without recursion)."""
    pending: list[tuple[Any, int]] = [(value, 1)]
    seen = 0
    while pending:
        item, depth = pending.pop()
        seen += 1
        if seen > MAX_VALUES:
            raise TemplateTooLarge(f"the template holds more than {MAX_VALUES:,} values")
        if depth > MAX_DEPTH:
            raise TemplateTooLarge(f"the template is nested more than {MAX_DEPTH} levels deep")
        if isinstance(item, str):
            check_text(item)
        elif isinstance(item, dict):
            for key in item:
                check_text(key, "a field name")
            pending.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            pending.extend((child, depth + 1) for child in item)


def check_xlsx_archive(data: bytes) -> None:
    """The file size and the unpacked sizes its zip entries declare. A file that is not a zip at
    all passes: the workbook reader reports that in its own words."""
    check_size(len(data))
    try:
        entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    if len(entries) > MAX_ZIP_ENTRIES:
        raise TemplateTooLarge(
            f"the workbook has {len(entries):,} parts; at most {MAX_ZIP_ENTRIES}"
        )
    for entry in entries:
        if entry.file_size > MAX_ENTRY_BYTES:
            raise TemplateTooLarge(
                f"the workbook part {entry.filename!r} unpacks to {_mb(entry.file_size)}; "
                f"at most {_mb(MAX_ENTRY_BYTES)} is allowed"
            )
    total = sum(entry.file_size for entry in entries)
    if total > MAX_UNPACKED_BYTES:
        raise TemplateTooLarge(
            f"the workbook unpacks to {_mb(total)}; at most {_mb(MAX_UNPACKED_BYTES)} is allowed"
        )


class SheetBudget:
    """Counts rows and cells while the sheets of one workbook are read."""

    def __init__(self) -> None:
        self.cells = 0

    def row(self, sheet: str, number: int, values: tuple[Any, ...]) -> None:
        """Call for each row read (`number` counts from 1); raises past a limit."""
        if number > MAX_SHEET_ROWS:
            raise TemplateTooLarge(f"sheet {sheet!r} has more than {MAX_SHEET_ROWS:,} rows")
        for value in values:
            if value is None:
                continue
            self.cells += 1
            if isinstance(value, str):
                check_text(value, f"a cell of sheet {sheet!r} (row {number})")
        if self.cells > MAX_CELLS:
            raise TemplateTooLarge(f"the workbook has more than {MAX_CELLS:,} filled cells")

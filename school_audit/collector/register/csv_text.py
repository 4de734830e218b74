"""Reading CSV bytes into rows with the physical line number each row starts on."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from school_audit.collector.register.model import RegisterImportError, RowProblem
from school_audit.domain.text_cleaning import clean_line

UTF8_BOM = b"\xef\xbb\xbf"
OVERFLOW = "__overflow__"  # marks a row with more fields than the header


def decode(data: bytes, encoding: str) -> str:
    """Text from bytes in the given encoding (a UTF-8 BOM always wins: Excel re-saves add one).

    A byte that the encoding cannot read is reported with its line number, never guessed at.
    """
    if data.startswith(UTF8_BOM):
        encoding, data = "utf-8", data[len(UTF8_BOM) :]
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start : error.start + 1].hex()
        message = (
            f"byte 0x{byte} cannot be read as {_encoding_name(encoding)}; "
            "is this the file exactly as downloaded?"
        )
        raise RegisterImportError([RowProblem(line, message)]) from None


def _encoding_name(encoding: str) -> str:
    return {"cp1252": "Windows-1252", "utf-8": "UTF-8"}.get(encoding, encoding)


def read_rows(text: str) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """The header and an iterator of (line number, row as dict). Raises on a broken file."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [clean_line(name) for name in next(reader)]
    except StopIteration:
        raise RegisterImportError([RowProblem(1, "the file is empty")]) from None
    except csv.Error as error:
        raise RegisterImportError([RowProblem(1, f"unreadable header: {error}")]) from None
    return header, _rows(reader, header)


def _rows(reader: Any, header: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    line = reader.line_num
    while True:
        start = line + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise RegisterImportError([RowProblem(start, f"broken CSV: {error}")]) from None
        line = reader.line_num
        if not any(value.strip() for value in values):
            continue  # blank lines (e.g. a trailing one) carry nothing
        if len(values) > len(header):
            yield start, {OVERFLOW: str(len(values))}
            continue
        values += [""] * (len(header) - len(values))
        # Control characters go here, once for every field: they break exports and PDFs later.
        yield start, dict(zip(header, (clean_line(v) for v in values), strict=True))


def missing_columns(header: list[str], required: list[str]) -> list[RowProblem]:
    present = set(header)
    return [
        RowProblem(1, "required column is missing", column=name)
        for name in required
        if name not in present
    ]


def is_number(value: str) -> bool:
    """ASCII digits only: `str.isdigit` also passes "²" (then int() fails) and Arabic-Indic or
    fullwidth digits (which int() reads, so a look-alike URN or count would get in)."""
    return value.isascii() and value.isdigit()


def whole_count(
    line: int, value: str, column: str, problems: list[RowProblem], most: int
) -> int | None:
    """A number of pupils or places: empty stays unknown (GIAS leaves it empty where the census
    has none); anything but a whole number from 0 to `most` is a problem on that line."""
    value = value.strip().replace(",", "")
    if not value:
        return None
    if not is_number(value) or int(value) > most:
        message = f"{value!r} is not a whole number from 0 to {most:,}"
        problems.append(RowProblem(line, message, column))
        return None
    return int(value)

"""Reading CSV bytes into rows with the physical line number each row starts on."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from typing import Any

from school_audit.collector.register.model import RegisterImportError, RowProblem
from school_audit.domain.text_cleaning import clean_line

UTF8_BOM = b"\xef\xbb\xbf"
ZIP_MAGIC = b"PK\x03\x04"
# The national GIAS file (every establishment in England) is about 60 MB unzipped and packs about
# 5:1; reading a file costs several times its size in memory, so more than either limit is refused
# before anything is unpacked (a 300 KB zip of 210 MB of empty rows would take a gigabyte).
MOST_UNZIPPED = 150 * 1024 * 1024
MOST_PACKING = 50  # unpacked size over packed size, for anything over CHECK_PACKING_FROM
CHECK_PACKING_FROM = 10 * 1024 * 1024
OVERFLOW = "__overflow__"  # marks a row with more fields than the header


def unzipped(data: bytes, stem: str) -> bytes:
    """The CSV inside a zipped download (the one whose name starts with `stem` if there are
    several), or `data` as it is when it is not a zip. Sizes are checked as the zip declares
    them, before anything is unpacked."""
    if not data.startswith(ZIP_MAGIC):
        return data
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = [e for e in archive.infolist() if e.filename.lower().endswith(".csv")]
        named = [e for e in entries if e.filename.rsplit("/", 1)[-1].lower().startswith(stem)]
        chosen = named if len(entries) > 1 else entries
        if len(chosen) != 1:
            found = ", ".join(e.filename for e in entries) or "none"
            raise _whole_file(f"the zip must hold one {stem}….csv file (it holds: {found})")
        entry = chosen[0]
        if entry.file_size > MOST_UNZIPPED:
            raise _whole_file(f"{entry.filename} unpacks to more than {MOST_UNZIPPED // 2**20} MB")
        if entry.file_size > CHECK_PACKING_FROM and entry.file_size > MOST_PACKING * max(entry.compress_size, 1):
            raise _whole_file(
                f"{entry.filename} unpacks to {entry.file_size / 2**20:.0f} MB from "
                f"{entry.compress_size / 2**10:.0f} KB, far more than a register packs: "
                "is this the file exactly as downloaded?"
            )
        return archive.read(chosen[0])
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as error:
        raise _whole_file(f"the zip cannot be read ({error})") from None


def _whole_file(message: str) -> RegisterImportError:
    return RegisterImportError([RowProblem(0, message)])


def decode(data: bytes, encoding: str) -> str:
    """Text from bytes in the given encoding. A UTF-8 BOM always wins (Excel re-saves add one),
    and so does text that is valid UTF-8 with letters outside ASCII: a file re-saved as UTF-8
    without a BOM would otherwise be misread ("St Maryâ€™s"); Windows-1252 text that happens to
    be valid UTF-8 as well takes unlikely pairs such as "Ã©".

    A byte that the encoding cannot read is reported with its line number, never guessed at.
    """
    if data.startswith(UTF8_BOM):
        encoding, data = "utf-8", data[len(UTF8_BOM) :]
    elif encoding != "utf-8" and not data.isascii():
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
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


def read_rows(
    text: str, header_has: str = ""
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """The header and an iterator of (line number, row as dict). Raises on a broken file.

    With `header_has`, title lines above the header are passed over: the header is the first row
    with a column of that name (any case), within the first 20 lines."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [clean_line(name) for name in next(reader)]
        while header_has and header_has.lower() not in {name.lower() for name in header}:
            if reader.line_num >= 20:
                message = f"no header row naming {header_has!r} in the first 20 lines"
                raise RegisterImportError([RowProblem(1, message)])
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

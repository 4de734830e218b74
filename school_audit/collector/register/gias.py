"""Parse the GIAS all-establishments CSV (Windows-1252, quoted, CRLF) into register entries.

Rows of other LAs are skipped silently (the national file holds every LA); rows of this LA that
cannot be used are reported with their line numbers, and then nothing is imported at all.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime

from school_audit.collector.register import gias_columns as col
from school_audit.collector.register.csv_text import (
    OVERFLOW,
    decode,
    is_number,
    missing_columns,
    read_rows,
    unzipped,
    whole_count,
)
from school_audit.collector.register.model import (
    ParsedRegister,
    RegisterEntry,
    RegisterImportError,
    RowProblem,
    SkippedRow,
)
from school_audit.collector.register.phases import is_out_of_scope, school_phase, type_group

GIAS_ENCODING = "cp1252"
MOST_PUPILS = 20_000  # no school in England is near this: a bigger number is a broken file
OLDEST = 99  # FE colleges publish a statutory high age of 99 ("and over")
NO_BOARDERS = {"", "no boarders", "not applicable", "not collected"}


def parse_gias(data: bytes, la_code: str) -> ParsedRegister:
    """Every establishment of `la_code` in the extract, open or closed (closed ones stay in
    history but drop out of expectations). Raises RegisterImportError listing every problem."""
    if not re.fullmatch(r"[0-9]{3}", la_code):
        raise RegisterImportError([RowProblem(0, f"LA code {la_code!r} is not three digits")])
    header, rows = read_rows(decode(unzipped(data, "edubasealldata"), GIAS_ENCODING))
    problems = missing_columns(header, col.REQUIRED)
    if problems:
        raise RegisterImportError(problems)
    parsed = ParsedRegister(entries=[])
    seen: dict[str, int] = {}
    for line, row in rows:
        parsed.rows_read += 1
        if OVERFLOW in row:
            problems.append(
                RowProblem(line, f"{row[OVERFLOW]} fields but the header has {len(header)}")
            )
            continue
        if row[col.LA_CODE] != la_code:
            continue
        problems += _parse_row(line, row, la_code, parsed, seen)
    if problems:
        raise RegisterImportError(problems)
    return parsed


def _parse_row(
    line: int, row: dict[str, str], la_code: str, parsed: ParsedRegister, seen: dict[str, int]
) -> list[RowProblem]:
    urn = row[col.URN]
    if not re.fullmatch(r"[0-9]{6}", urn):  # not \d: it matches Arabic-Indic digits too
        return [RowProblem(line, f"URN {urn!r} is not six digits", col.URN)]
    if urn in seen:
        return [RowProblem(line, f"URN {urn} already appears on line {seen[urn]}", col.URN)]
    seen[urn] = line
    if is_out_of_scope(row[col.TYPE_NAME]):
        parsed.skipped.append(SkippedRow(line, urn, f"type {row[col.TYPE_NAME]!r} makes no return"))
        return []
    problems: list[RowProblem] = []
    if not row[col.NAME]:
        problems.append(RowProblem(line, "the establishment has no name", col.NAME))
    low, high = _age(line, row, col.LOW_AGE, problems), _age(line, row, col.HIGH_AGE, problems)
    pupils = whole_count(line, row.get(col.PUPILS, ""), col.PUPILS, problems, MOST_PUPILS)
    phase = school_phase(row[col.TYPE_NAME], row[col.PHASE_NAME], row[col.NAME], low, high)
    if phase is None:
        message = f"no phase for type {row[col.TYPE_NAME]!r} with phase {row[col.PHASE_NAME]!r}"
        problems.append(RowProblem(line, message, col.PHASE_NAME))
    if problems:
        return problems
    entry = _entry(row, la_code, str(phase), low, high, pupils)
    if row[col.STATUS_NAME].lower() == col.PROPOSED_STATUS:
        opens_on = _date(line, row.get(col.OPEN_DATE, ""), col.OPEN_DATE, problems)
        if opens_on is None:
            return problems or [
                RowProblem(line, "proposed to open, with no OpenDate", col.OPEN_DATE)
            ]
        entry = replace(entry, opens_on=opens_on)
    parsed.entries.append(entry)
    return []


def _age(line: int, row: dict[str, str], column: str, problems: list[RowProblem]) -> int | None:
    value = row.get(column, "")
    if not value:
        return None
    if not is_number(value) or int(value) > OLDEST:
        problems.append(RowProblem(line, f"age {value!r} is not a whole number of years", column))
        return None
    return int(value)


def _date(line: int, value: str, column: str, problems: list[RowProblem]) -> date | None:
    """A GIAS date: DD-MM-YYYY as downloaded (DD/MM/YYYY after Excel, or ISO, read too)."""
    for pattern in ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    if value:
        problems.append(RowProblem(line, f"{value!r} is not a date like 01-09-2026", column))
    return None


def _entry(
    row: dict[str, str],
    la_code: str,
    phase: str,
    low: int | None,
    high: int | None,
    pupils: int | None,
) -> RegisterEntry:
    number = row.get(col.ESTAB_NUMBER, "")
    head = " ".join(
        part
        for part in (
            row.get(col.HEAD_TITLE, ""),
            row.get(col.HEAD_FIRST, ""),
            row.get(col.HEAD_LAST, ""),
        )
        if part and part.lower() != "not applicable"
    )
    return RegisterEntry(
        urn=row[col.URN],
        name=row[col.NAME],
        setting_type="school",
        phase=phase,
        type_name=row[col.TYPE_NAME],
        type_group=type_group(row[col.TYPE_GROUP_NAME], row[col.TYPE_NAME]),
        district=row[col.DISTRICT_NAME],
        is_open=row[col.STATUS_NAME].lower() in col.OPEN_STATUSES,
        la_code=la_code,
        laestab=f"{la_code}{number}" if is_number(number) else "",
        postcode=row.get(col.POSTCODE, ""),
        town=row.get(col.TOWN, ""),
        telephone=row.get(col.TELEPHONE, ""),
        contact_name=head,
        website=row.get(col.WEBSITE, ""),
        low_age=low,
        high_age=high,
        flags=_flags(row, low),
        source="gias",
        trust_name=row.get(col.TRUSTS_NAME, "").strip(),
        trust_ref=row.get(col.TRUSTS_CODE, "").strip(),
        pupils=pupils,
    )


def _flags(row: dict[str, str], low: int | None) -> dict[str, bool]:
    return {
        "has_eyfs": row.get(col.NURSERY_NAME, "").lower() == "has nursery classes"
        or (low is not None and low <= 4),
        "has_sixth_form": row.get(col.SIXTH_FORM_NAME, "").lower() == "has a sixth form",
        "boarding": row.get(col.BOARDERS_NAME, "").lower() not in NO_BOARDERS,
        "is_maintained": type_group(row[col.TYPE_GROUP_NAME], row[col.TYPE_NAME]) == "maintained",
        "is_mat_or_federation": bool(row.get(col.TRUSTS_NAME))
        or row.get(col.FEDERATION_FLAG, "").lower() == "supported by a federation",
    }

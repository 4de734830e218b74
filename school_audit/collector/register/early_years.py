"""Parse the LA's early-years provider list: a documented CSV (docs/la-guide.md).

Columns (header row required, any order, extra columns ignored; UTF-8, a BOM is fine):
`urn` (Ofsted URN, e.g. EY123456 or 2654321), `name`, `provider_type`, `district` required;
`status` (open / closed, default open), `postcode`, `contact_name`, `email`, `telephone`,
`registered_places` (a whole number, the size band comes from it) optional.
"""

from __future__ import annotations

import re

from school_audit.collector.register.csv_text import (
    OVERFLOW,
    decode,
    missing_columns,
    read_rows,
    whole_count,
)
from school_audit.collector.register.model import (
    ParsedRegister,
    RegisterEntry,
    RegisterImportError,
    RowProblem,
)
from school_audit.domain.profile import URN_PATTERN as OFSTED_URN
from school_audit.domain.setting import EARLY_YEARS_PHASES

REQUIRED = ["urn", "name", "provider_type", "district"]
OPTIONAL = ["status", "postcode", "contact_name", "email", "telephone", "registered_places"]
COLUMNS = REQUIRED + OPTIONAL
URN_PATTERN = re.compile(OFSTED_URN)  # ASCII digits: \d matches look-alikes
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# Provider types are accepted by key ("day_nursery") or by label ("Day nursery").
PROVIDER_TYPES = {
    **{key: key for key in EARLY_YEARS_PHASES},
    **{label.lower(): key for key, label in EARLY_YEARS_PHASES.items()},
}
STATUSES = {"": True, "open": True, "closed": False}
MOST_PLACES = 2_000


def parse_early_years(data: bytes) -> ParsedRegister:
    header, rows = read_rows(decode(data, "utf-8"))
    header_problems = missing_columns([name.lower() for name in header], REQUIRED)
    if header_problems:
        raise RegisterImportError(header_problems)
    parsed = ParsedRegister(entries=[])
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    for line, raw in rows:
        parsed.rows_read += 1
        if OVERFLOW in raw:
            problems.append(
                RowProblem(line, f"{raw[OVERFLOW]} fields but the header has {len(header)}")
            )
            continue
        row = {key.lower(): value for key, value in raw.items()}
        row_problems = _check(line, row, seen)
        if row_problems:
            problems += row_problems
            continue
        seen[row["urn"].upper()] = line
        parsed.entries.append(_entry(row))
    if problems:
        raise RegisterImportError(problems)
    return parsed


def _check(line: int, row: dict[str, str], seen: dict[str, int]) -> list[RowProblem]:
    urn = row["urn"].upper()
    problems = []
    if not URN_PATTERN.fullmatch(urn):
        problems.append(RowProblem(line, f"URN {row['urn']!r} is not an Ofsted URN", "urn"))
    elif urn in seen:
        problems.append(RowProblem(line, f"URN {urn} already appears on line {seen[urn]}", "urn"))
    if not row["name"]:
        problems.append(RowProblem(line, "the provider has no name", "name"))
    if row["provider_type"].lower() not in PROVIDER_TYPES:
        allowed = ", ".join(EARLY_YEARS_PHASES)
        message = f"unknown provider type {row['provider_type']!r} (one of: {allowed})"
        problems.append(RowProblem(line, message, "provider_type"))
    if not row["district"]:
        problems.append(RowProblem(line, "the district is empty", "district"))
    if row.get("status", "").lower() not in STATUSES:
        problems.append(
            RowProblem(line, f"status {row['status']!r} is not open or closed", "status")
        )
    email = row.get("email", "")
    if email and not EMAIL_PATTERN.fullmatch(email):
        problems.append(RowProblem(line, f"{email!r} is not an email address", "email"))
    whole_count(line, row.get("registered_places", ""), "registered_places", problems, MOST_PLACES)
    return problems


def _entry(row: dict[str, str]) -> RegisterEntry:
    phase = PROVIDER_TYPES[row["provider_type"].lower()]
    return RegisterEntry(
        urn=row["urn"].upper(),
        name=row["name"],
        setting_type="early_years",
        phase=phase,
        type_name=EARLY_YEARS_PHASES[phase],
        type_group="childminder" if phase == "childminder" else "early_years_group",
        district=row["district"],
        is_open=STATUSES[row.get("status", "").lower()],
        postcode=row.get("postcode", ""),
        telephone=row.get("telephone", ""),
        email=row.get("email", ""),
        contact_name=row.get("contact_name", ""),
        flags={"childminder": phase == "childminder"},
        source="early_years",
        pupils=whole_count(
            0, row.get("registered_places", ""), "registered_places", [], MOST_PLACES
        ),
    )

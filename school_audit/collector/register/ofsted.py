"""Parse Ofsted's provider-level file "Childcare providers and inspections: management information"
as published: title lines above the header, Ofsted's own column names (their capitals differ
between releases), one row per registered provider in England.

Kept: providers of one local authority on the Early Years Register (`Provider Early Years
Register Flag` is "Y"). Childminders whose details Ofsted publishes as "REDACTED" are kept and
matched by URN; the register's own name and contact details for them are never overwritten.
The file may be the CSV, the XLSX or the ODS (OpenDocument) Ofsted publishes: a spreadsheet's
sheet is read as its CSV would be (register/spreadsheets.py).
District: from the LA's postcode-to-district file when one is given (columns `postcode`,
`district`), else Ofsted's local authority, and the summary says so.
"""

from __future__ import annotations

import re

from school_audit.collector.register import spreadsheets
from school_audit.collector.register.csv_text import (
    OVERFLOW,
    decode,
    missing_columns,
    read_rows,
    whole_count,
)
from school_audit.collector.register.early_years import MOST_PLACES, URN_PATTERN
from school_audit.collector.register.model import (
    ParsedRegister,
    RegisterEntry,
    RegisterImportError,
    RowProblem,
    SkippedRow,
)
from school_audit.domain.setting import EARLY_YEARS_PHASES

URN, TYPE, SUBTYPE = "provider urn", "provider type", "provider subtype"
STATUS, EYR, NAME = "provider status", "provider early years register flag", "provider name"
LA, PLACES, TOWN = "local authority", "places", "provider town"
POSTCODES = ("provider postcode", "postcode")  # the name differs between releases
REQUIRED = [URN, TYPE, EYR, NAME, LA]
REDACTED = "REDACTED"
CHILDMINDERS = {"childminder", "childminder without domestic premises"}
NON_DOMESTIC = "childcare on non-domestic premises"
SUBTYPES = {
    "full day care": "day_nursery",
    "sessional day care": "pre_school",
    "out-of-school day care": "out_of_school",
}
NOT_EARLY_YEARS = {"home childcarer"}  # cares in the child's own home: no section 157 return


def _key(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().lower()


def parse_postcode_districts(data: bytes) -> dict[str, str]:
    """The LA's postcode-to-district file: a CSV with columns `postcode` and `district`."""
    header, rows = read_rows(decode(data, "utf-8"))
    problems = missing_columns([_key(h) for h in header], ["postcode", "district"])
    if problems:
        raise RegisterImportError(problems)
    found: dict[str, str] = {}
    for _, raw in rows:
        row = {_key(k): v for k, v in raw.items()}
        if row.get("postcode") and row.get("district"):
            found[_postcode(row["postcode"])] = row["district"]
    return found


def _postcode(text: str) -> str:
    return re.sub(r"\s+", "", text).upper()


def parse_ofsted(
    data: bytes, local_authority: str, districts: dict[str, str] | None = None
) -> ParsedRegister:
    """The Early Years Register providers of `local_authority` (as Ofsted names it)."""
    sheet = spreadsheets.as_csv(data, "Provider URN")  # Ofsted's XLSX or ODS, as published
    text = sheet.decode("utf-8") if sheet is not None else decode(data, "cp1252")
    header, rows = read_rows(text, header_has="Provider URN")
    keys = [_key(h) for h in header]
    problems = missing_columns(keys, REQUIRED)
    if problems:
        raise RegisterImportError(problems)
    parsed, seen = ParsedRegister(entries=[]), dict[str, int]()
    counts = {"withheld": 0, "no_district": 0}
    wanted = _key(local_authority)
    for line, raw in rows:
        parsed.rows_read += 1
        if OVERFLOW in raw:
            problems.append(
                RowProblem(line, f"{raw[OVERFLOW]} fields but the header has {len(header)}")
            )
            continue
        row = {_key(k): v for k, v in raw.items()}
        if _key(row[LA]) != wanted or row[EYR].upper() != "Y":
            continue  # another LA, or not on the Early Years Register
        problems += _parse_row(line, row, parsed, seen, districts, counts)
    if problems:
        raise RegisterImportError(problems)
    parsed.notes += _notes(local_authority, districts, counts)
    return parsed


Row = dict[str, str]


def _parse_row(
    line: int,
    row: Row,
    parsed: ParsedRegister,
    seen: dict[str, int],
    districts: dict[str, str] | None,
    counts: dict[str, int],
) -> list[RowProblem]:
    urn = row[URN].upper()
    if not URN_PATTERN.fullmatch(urn):
        return [RowProblem(line, f"URN {row[URN]!r} is not an Ofsted URN", "Provider URN")]
    if urn in seen:
        return [RowProblem(line, f"URN {urn} already appears on line {seen[urn]}", "Provider URN")]
    seen[urn] = line
    kind = _key(row[TYPE])
    if kind in NOT_EARLY_YEARS:
        parsed.skipped.append(SkippedRow(line, urn, f"a {row[TYPE].lower()} makes no return"))
        return []
    phase = _phase(kind, _key(row.get(SUBTYPE, "")))
    if phase is None:
        return [RowProblem(line, f"unknown provider type {row[TYPE]!r}", "Provider Type")]
    problems: list[RowProblem] = []
    places = whole_count(line, row.get(PLACES, ""), "Places", problems, MOST_PLACES)
    if problems:
        return problems
    parsed.entries.append(_entry(urn, row, phase, places, districts, counts))
    return []


def _phase(kind: str, subtype: str) -> str | None:
    if kind in CHILDMINDERS:
        return "childminder"
    if kind == "childcare on domestic premises":
        return "domestic_premises"
    if kind == NON_DOMESTIC:
        return SUBTYPES.get(subtype, "day_nursery")  # a nursery unless Ofsted says otherwise
    return None


def _entry(
    urn: str,
    row: Row,
    phase: str,
    places: int | None,
    districts: dict[str, str] | None,
    counts: dict[str, int],
) -> RegisterEntry:
    withheld = row[NAME].upper() == REDACTED
    counts["withheld"] += withheld
    postcode = next((row[c] for c in POSTCODES if row.get(c)), "")
    postcode = "" if postcode.upper() == REDACTED else postcode
    district = (districts or {}).get(_postcode(postcode), "")
    if districts is not None and not district:
        counts["no_district"] += 1
    return RegisterEntry(
        urn=urn,
        name=f"Childminder {urn} (details withheld by Ofsted)" if withheld else row[NAME],
        setting_type="early_years",
        phase=phase,
        type_name=EARLY_YEARS_PHASES[phase],
        type_group="childminder" if phase == "childminder" else "early_years_group",
        district=district or row[LA],
        is_open=row.get(STATUS, "active").lower() in ("", "active"),
        postcode=postcode,
        town="" if row.get(TOWN, "").upper() == REDACTED else row.get(TOWN, ""),
        flags={"childminder": phase == "childminder"},
        source="early_years",
        pupils=places,
        withheld=withheld,
    )


def _notes(
    local_authority: str, districts: dict[str, str] | None, counts: dict[str, int]
) -> list[str]:
    notes = []
    if counts["withheld"]:
        notes.append(
            f"{counts['withheld']} childminder(s) have their details published as REDACTED by "
            "Ofsted: matched by URN; names and contacts already in the register are kept, new "
            "ones are named by URN until you add a name."
        )
    if districts is None:
        notes.append(
            f"District: Ofsted's local authority ({local_authority!r}) for every provider, as no "
            "postcode-to-district file was given (--districts)."
        )
    elif counts["no_district"]:
        notes.append(
            f"{counts['no_district']} provider(s) have a postcode that is withheld or not in the "
            f"postcode-to-district file: their district is the local authority ({local_authority!r})."
        )
    return notes

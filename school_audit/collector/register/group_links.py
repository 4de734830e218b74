"""Trust membership from GIAS's group links extract ("links" between establishments and groups),
so the "by trust" breakdown needs no hand entry.

Columns read (GIAS's own names): `URN`, `Group UID`, `Group Name`, `Group Type`, `Group Status`,
`Closed Date`. Kept: links to a multi-academy or single-academy trust that is not closed. The
trust found here replaces what the establishments file says in `Trusts (name)` / `Trusts (code)`.
"""

from __future__ import annotations

from dataclasses import replace

from school_audit.collector.register.csv_text import (
    OVERFLOW,
    decode,
    missing_columns,
    read_rows,
    unzipped,
)
from school_audit.collector.register.model import ParsedRegister, RegisterImportError, RowProblem

URN, UID, NAME, TYPE, STATUS, CLOSED = (
    "URN", "Group UID", "Group Name", "Group Type", "Group Status", "Closed Date",
)  # fmt: skip
REQUIRED = [URN, UID, NAME, TYPE]
TRUST_TYPES = {"multi-academy trust", "single-academy trust"}


def parse_group_links(data: bytes) -> dict[str, tuple[str, str]]:
    """URN -> (trust name, trust UID) for every establishment in an open trust."""
    header, rows = read_rows(decode(unzipped(data, "links"), "cp1252"))
    problems = missing_columns(header, REQUIRED)
    if problems:
        raise RegisterImportError(problems)
    trusts: dict[str, tuple[str, str]] = {}
    for line, row in rows:
        if OVERFLOW in row:
            problems.append(
                RowProblem(line, f"{row[OVERFLOW]} fields but the header has {len(header)}")
            )
            continue
        if row[TYPE].lower() not in TRUST_TYPES or row.get(CLOSED):
            continue
        if row.get(STATUS, "").lower() == "closed":
            continue
        if not row[NAME]:
            problems.append(RowProblem(line, "the trust has no name", NAME))
            continue
        trusts[row[URN]] = (row[NAME], row[UID])
    if problems:
        raise RegisterImportError(problems)
    return trusts


def with_trusts(parsed: ParsedRegister, trusts: dict[str, tuple[str, str]]) -> int:
    """Set each entry's trust from the links; returns how many entries are in a trust."""
    count = 0
    for index, entry in enumerate(parsed.entries):
        if entry.urn in trusts:
            name, uid = trusts[entry.urn]
            flags = {**entry.flags, "is_mat_or_federation": True}
            parsed.entries[index] = replace(entry, trust_name=name, trust_ref=uid, flags=flags)
            count += 1
    parsed.notes.append(f"Trusts from the group links file: {count} establishment(s) in a trust.")
    return count

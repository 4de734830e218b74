"""Apply a parsed register to the database: all or nothing, updating rather than duplicating.

Establishments are keyed by URN. An establishment that closes (or vanishes from its source file)
is marked closed: it leaves the list of who is expected to return, but its row and its returns
stay for history and trends.

A file that would close more than a small share of the register (`quiet_closures`) is far more
likely a partial download or the wrong file than a wave of closures: the import is refused with
the list of what would close (`TooManyClosures`), unless the caller allows that many.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from school_audit.collector.db.tables import AuditLogEntry, Establishment
from school_audit.collector.db.types import utc_now
from school_audit.collector.register.model import ParsedRegister, RegisterEntry

SOURCE_NAMES = {"gias": "gias", "early_years": "early_years_csv"}
QUIET_CLOSURES = 5  # closed by one import without asking, however small the register...
QUIET_SHARE = 0.10  # ...or this share of its open establishments, if more
# What Ofsted withholds for a childminder ("REDACTED"), so an import never overwrites it.
WITHHELD = ("name", "postcode", "telephone", "contact_name", "contact_email", "town")


@dataclass
class ImportSummary:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    closed: list[str] = field(default_factory=list)
    skipped: int = 0
    names: dict[str, str] = field(default_factory=dict)  # URN -> name, of those closed
    open_before: int = 0  # this source's open establishments before the import

    def describe(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, {self.unchanged} unchanged, "
            f"{len(self.closed)} closed, {self.skipped} skipped"
        )

    def closing_lines(self, most: int = 50) -> list[str]:
        lines = [f"{urn} {self.names.get(urn, '')}".rstrip() for urn in sorted(self.closed)]
        more = len(lines) - most
        return lines[:most] + ([f"… and {more} more"] if more > 0 else [])


def quiet_closures(open_before: int) -> int:
    """How many establishments one import may close without being told it may."""
    return max(QUIET_CLOSURES, int(open_before * QUIET_SHARE))


class TooManyClosures(ValueError):
    """The import would close more establishments than allowed; nothing was changed."""

    def __init__(self, summary: ImportSummary, allowed: int) -> None:
        self.summary, self.allowed = summary, allowed
        count, before = len(summary.closed), summary.open_before
        super().__init__(
            f"this file would close {count} of the {before} open establishments "
            f"(more than the {allowed} allowed): is it the whole register, for the right LA? "
            f"If they really have closed, import again allowing it (--allow-closing {count})."
        )


def apply_register(
    session: Session,
    parsed: ParsedRegister,
    source: str,
    actor: str,
    la_code: str | None = None,
    *,
    allow_closing: int | None = None,
) -> ImportSummary:
    """Upsert every entry; close what this source listed before but no longer lists as open.

    Runs inside the caller's transaction, so a failure anywhere leaves the register untouched:
    TooManyClosures (raised after the changes are worked out, so the caller must roll back, as
    `Database.write` does) when more would close than `quiet_closures` or `allow_closing` allow.
    """
    stored_source = SOURCE_NAMES[source]
    summary = ImportSummary(skipped=len(parsed.skipped))
    existing = {row.urn: row for row in session.scalars(select(Establishment))}
    mine = [
        row
        for row in existing.values()
        if row.source == stored_source and (la_code is None or row.la_code == la_code)
    ]
    summary.open_before = sum(row.status != "closed" for row in mine)
    summary.names = {row.urn: row.name for row in mine}
    listed = set()
    for entry in parsed.entries:
        listed.add(entry.urn)
        _upsert(session, existing.get(entry.urn), entry, stored_source, summary)
    for row in mine:
        if row.urn not in listed and row.status != "closed":
            row.status, row.updated_at = "closed", utc_now()
            summary.closed.append(row.urn)
    summary.names = {urn: summary.names[urn] for urn in summary.closed if urn in summary.names}
    allowed = max(quiet_closures(summary.open_before), allow_closing or 0)
    if len(summary.closed) > allowed:
        raise TooManyClosures(summary, allowed)

    from school_audit.collector.aggregate import kept  # here: aggregate imports the register

    session.flush()
    kept.regroup(session.connection())  # type, trust and size band follow the register
    session.add(
        AuditLogEntry(
            actor=actor,
            action=f"register.import.{source}",
            target=la_code or "",
            detail=summary.describe(),
        )
    )
    return summary


def _values(entry: RegisterEntry, source: str) -> dict[str, object]:
    return {
        "name": entry.name,
        "la_code": entry.la_code or None,
        "setting_type": entry.setting_type,
        "type_name": entry.type_name,
        "type_group": entry.type_group,
        "phase": entry.phase,
        "district": entry.district or None,
        "status": "open" if entry.is_open else "proposed" if entry.opens_on else "closed",
        "opens_on": entry.opens_on,
        "postcode": entry.postcode or None,
        "head_name": entry.contact_name or None if entry.source == "gias" else None,
        "contact_name": entry.contact_name or None,
        "contact_email": entry.email or None,
        "telephone": entry.telephone or None,
        "ofsted_urn": entry.urn if entry.source == "early_years" else None,
        "laestab": entry.laestab or None,
        "town": entry.town or None,
        "website": entry.website or None,
        "low_age": entry.low_age,
        "high_age": entry.high_age,
        "flags": json.dumps(entry.flags, sort_keys=True),
        "trust_name": entry.trust_name or None,
        "trust_ref": entry.trust_ref or None,
        "pupils": entry.pupils,
        "source": source,
    }


def _upsert(
    session: Session,
    row: Establishment | None,
    entry: RegisterEntry,
    source: str,
    summary: ImportSummary,
) -> None:
    values = _values(entry, source)
    if entry.withheld and row is not None:  # keep what the register knows: Ofsted withheld it
        for key in WITHHELD:
            values.pop(key)
    if row is None:
        session.add(Establishment(urn=entry.urn, updated_at=utc_now(), **values))
        summary.added.append(entry.urn)
        return
    changed = {key: value for key, value in values.items() if getattr(row, key) != value}
    if not changed:
        summary.unchanged += 1
        return
    for key, value in changed.items():
        setattr(row, key, value)
    row.updated_at = utc_now()
    if changed.get("status") == "closed":
        summary.closed.append(entry.urn)
    else:
        summary.updated.append(entry.urn)


def profile_flags(row: Establishment) -> dict[str, bool]:
    """The establishment's profile flags as stored (empty if unknown)."""
    try:
        value = json.loads(row.flags or "{}")
    except ValueError:
        return {}
    return {str(k): bool(v) for k, v in value.items()} if isinstance(value, dict) else {}

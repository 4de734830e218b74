"""Apply a parsed register to the database: all or nothing, updating rather than duplicating.

Establishments are keyed by URN. An establishment that closes (or vanishes from its source file)
is marked closed: it leaves the list of who is expected to return, but its row and its returns
stay for history and trends.
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


@dataclass
class ImportSummary:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    closed: list[str] = field(default_factory=list)
    skipped: int = 0

    def describe(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, {self.unchanged} unchanged, "
            f"{len(self.closed)} closed, {self.skipped} skipped"
        )


def apply_register(
    session: Session,
    parsed: ParsedRegister,
    source: str,
    actor: str,
    la_code: str | None = None,
) -> ImportSummary:
    """Upsert every entry; close what this source listed before but no longer lists as open.

    Runs inside the caller's transaction, so a failure anywhere leaves the register untouched.
    """
    stored_source = SOURCE_NAMES[source]
    summary = ImportSummary(skipped=len(parsed.skipped))
    existing = {row.urn: row for row in session.scalars(select(Establishment))}
    listed = set()
    for entry in parsed.entries:
        listed.add(entry.urn)
        _upsert(session, existing.get(entry.urn), entry, stored_source, summary)
    for row in existing.values():
        same_source = row.source == stored_source and (la_code is None or row.la_code == la_code)
        if same_source and row.urn not in listed and row.status != "closed":
            row.status, row.updated_at = "closed", utc_now()
            summary.closed.append(row.urn)
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
        "status": "open" if entry.is_open else "closed",
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

"""Importing a register file: the steps the command line and the admin page share.

Parsing and applying are the register package's public functions (`parse_gias`,
`parse_early_years`, `apply_register`), so every check they make (and any guard added to them)
holds wherever a file comes in. A preview applies the file inside a transaction and rolls it back:
it shows exactly what the import would do, because it is the import.
"""

from __future__ import annotations

from school_audit.collector.db import Database
from school_audit.collector.db.tables import AuditLogEntry
from school_audit.collector.register import (
    ImportSummary,
    apply_register,
    parse_early_years,
    parse_gias,
)
from school_audit.collector.register.model import ParsedRegister
from school_audit.collector.register.ofsted import parse_ofsted
from school_audit.collector.register.store import quiet_closures

KINDS = ("gias", "early_years", "ofsted")
# The register each kind of file loads: Ofsted's provider file is the early-years register too.
SOURCES = {"gias": "gias", "early_years": "early_years", "ofsted": "early_years"}


class NothingToImport(ValueError):
    """The file was read but lists no establishment for this LA."""


class _RolledBack(Exception):
    def __init__(self, summary: ImportSummary) -> None:
        super().__init__("preview")
        self.summary = summary


def parse_register(
    data: bytes, kind: str, la_code: str | None, local_authority: str = ""
) -> ParsedRegister:
    """Raises RegisterImportError (every problem found) or NothingToImport. `local_authority` is
    the LA's name as Ofsted writes it (Ofsted's file only)."""
    if kind == "gias":
        if not la_code:
            raise NothingToImport("a GIAS file needs the LA's three-digit code, e.g. 885")
        parsed = parse_gias(data, la_code)
        if not parsed.entries:
            raise NothingToImport(
                f"no establishment of LA {la_code} in the file: check the LA code"
            )
        return parsed
    if kind == "early_years":
        return parse_early_years(data)
    if kind == "ofsted":
        if not local_authority.strip():
            raise NothingToImport("Ofsted's file needs the LA's name as Ofsted writes it")
        parsed = parse_ofsted(data, local_authority.strip())
        if not parsed.entries:
            raise NothingToImport(
                f"no Early Years Register provider of {local_authority.strip()!r} in the file: "
                "check the LA's name (as Ofsted writes it in its Local Authority column)"
            )
        return parsed
    raise ValueError(f"unknown register kind {kind!r}")


def import_register(
    database: Database,
    parsed: ParsedRegister,
    kind: str,
    actor: str,
    la_code: str | None,
    *,
    allow_closing: int | None = None,
) -> ImportSummary:
    """Apply the file. `allow_closing` lets it close up to that many establishments, past the
    closure guard (the CLI's `--allow-closing N`); when it is used, the audit log says so."""
    code = la_code if kind == "gias" else None
    with database.write() as session:
        summary = apply_register(session, parsed, SOURCES[kind], actor, code,
                                 allow_closing=allow_closing)  # fmt: skip
        if len(summary.closed) > quiet_closures(summary.open_before):
            session.add(AuditLogEntry(
                actor=actor[:100], action="register.closing_allowed", target=code or "",
                detail=f"allowed={allow_closing} closed={len(summary.closed)}",
            ))  # fmt: skip
        return summary


def preview_register(
    database: Database,
    parsed: ParsedRegister,
    kind: str,
    actor: str,
    la_code: str | None,
    *,
    allow_closing: int | None = None,
) -> ImportSummary:
    """What `import_register` would do now, with nothing kept."""
    code = la_code if kind == "gias" else None
    try:
        with database.write() as session:
            summary = apply_register(
                session, parsed, SOURCES[kind], actor, code, allow_closing=allow_closing
            )
            raise _RolledBack(summary)
    except _RolledBack as done:
        return done.summary

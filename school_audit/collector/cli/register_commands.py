"""`school-audit-collector register …`: the establishment register, imported from the files as
published (GIAS, Ofsted's provider-level file) or the documented early-years CSV.

Every import can be tried first (`--dry-run`), and one that would close more than a few
establishments is refused unless `--allow-closing N` (see register.store.TooManyClosures).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from school_audit.collector.cli.common import CommandError, friendly, open_database
from school_audit.commands.registry import Commands


def register(commands: Commands) -> None:
    _register_commands(commands.group("register", "The establishment register (who must return)."))


def _register_commands(group: Commands) -> None:
    gias = group.command("import-gias", "Import the GIAS all-establishments CSV, as downloaded.")
    gias.add_argument("file", type=Path)
    gias.add_argument("--la-code", required=True, help="your LA's three-digit code, e.g. 885")
    gias.add_argument(
        "--group-links", type=Path, help="GIAS's group links file: trust membership from it"
    )
    gias.set_defaults(handler=friendly(run_import_gias))
    early = group.command(
        "import-early-years", "Import early-years providers (see docs/la-guide.md)."
    )
    early.add_argument("file", type=Path)
    early.set_defaults(handler=friendly(run_import_early_years))
    ofsted = group.command(
        "import-ofsted", "Import early-years providers from Ofsted's provider-level file."
    )
    ofsted.add_argument("file", type=Path)
    ofsted.add_argument(
        "--local-authority", required=True, help="your LA as Ofsted names it, e.g. Worcestershire"
    )
    ofsted.add_argument(
        "--districts", type=Path, help="a postcode-to-district CSV (columns postcode, district)"
    )
    ofsted.set_defaults(handler=friendly(run_import_ofsted))
    for command in (gias, early, ofsted):
        command.add_argument(
            "--dry-run", action="store_true", help="show what would change, change nothing"
        )
        command.add_argument(
            "--allow-closing",
            type=_count,
            metavar="N",
            help="let this import close up to N establishments (more than a few is refused)",
        )


def _count(text: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number")
    return int(text)


def read_input(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise CommandError(f"cannot read {path}: {error.strerror or error}") from None


def problems_error(problems: list[object], what: str = "nothing was imported") -> CommandError:
    lines = [str(p) for p in problems[:50]]
    more = f"\n  … and {len(problems) - 50} more" if len(problems) > 50 else ""
    return CommandError(f"{what}; fix these and try again:\n  " + "\n  ".join(lines) + more)


def run_import_gias(args: argparse.Namespace) -> int:
    from school_audit.collector.register import RegisterImportError, parse_gias
    from school_audit.collector.register.group_links import parse_group_links, with_trusts

    data = read_input(args.file)
    try:
        parsed = parse_gias(data, args.la_code)
        if args.group_links:
            with_trusts(parsed, parse_group_links(read_input(args.group_links)))
    except RegisterImportError as error:
        raise problems_error(list(error.problems)) from None
    if not parsed.entries:
        raise CommandError(f"no establishment of LA {args.la_code} in {args.file}: check --la-code")
    summary = _apply(args, parsed, "gias", args.la_code)
    _report(args, summary, f"Register for LA {args.la_code}", f" ({parsed.rows_read} rows read)")
    for note in parsed.notes:
        print(f"  Note: {note}")
    for skipped in parsed.skipped:
        print(f"  skipped line {skipped.line} (URN {skipped.urn}): {skipped.reason}")
    return 0


def run_import_early_years(args: argparse.Namespace) -> int:
    from school_audit.collector.register import RegisterImportError, parse_early_years

    try:
        parsed = parse_early_years(read_input(args.file))
    except RegisterImportError as error:
        raise problems_error(list(error.problems)) from None
    _report(args, _apply(args, parsed, "early_years", None), "Early-years providers")
    return 0


def run_import_ofsted(args: argparse.Namespace) -> int:
    from school_audit.collector.register import RegisterImportError
    from school_audit.collector.register.ofsted import parse_ofsted, parse_postcode_districts

    try:
        districts = parse_postcode_districts(read_input(args.districts)) if args.districts else None
        parsed = parse_ofsted(read_input(args.file), args.local_authority, districts)
    except RegisterImportError as error:
        raise problems_error(list(error.problems)) from None
    if not parsed.entries:
        raise CommandError(
            f"no Early Years Register provider of {args.local_authority!r} in {args.file}: "
            "check --local-authority (as Ofsted writes it)"
        )
    summary = _apply(args, parsed, "early_years", None)
    _report(args, summary, "Early-years providers from Ofsted", f" ({parsed.rows_read} rows read)")
    for note in parsed.notes:
        print(f"  Note: {note}")
    for skipped in parsed.skipped:
        print(f"  skipped line {skipped.line} (URN {skipped.urn}): {skipped.reason}")
    return 0


def _apply(args: argparse.Namespace, parsed, source: str, la_code: str | None):  # type: ignore[no-untyped-def]
    """Apply an import (with --dry-run: work it out in a transaction that is rolled back) and
    list what it closes; one that would close too many is refused with that list."""
    from school_audit.collector.register import TooManyClosures, apply_register

    database = open_database(args)
    session_of = database.read if args.dry_run else database.write
    try:
        with session_of() as session:
            summary = apply_register(
                session, parsed, source, "cli", la_code, allow_closing=args.allow_closing
            )
            if args.dry_run:
                session.rollback()
    except TooManyClosures as error:
        lines = "\n  ".join(error.summary.closing_lines())
        what = "nothing was imported (dry run)" if args.dry_run else "nothing was imported"
        raise CommandError(f"{what}: {error}\nIt would close:\n  {lines}") from None
    return summary


def _report(args: argparse.Namespace, summary, what: str, detail: str = "") -> None:  # type: ignore[no-untyped-def]
    prefix = "Dry run, nothing was changed. " if args.dry_run else ""
    print(f"{prefix}{what}: {summary.describe()}{detail}.")
    if summary.closed:
        verb = "Would close" if args.dry_run else "Closed"
        print(f"{verb}:\n  " + "\n  ".join(summary.closing_lines()))

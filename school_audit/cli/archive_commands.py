"""`archive export` (this computer's signed returns in one portable file) and `verify-archive`
(check any such file offline: the school's own or one the LA exported)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from school_audit.cli.store_access import EXIT_OK, EXIT_PROBLEM, EXIT_STORE, fail, guard
from school_audit.commands.registry import Commands

EXIT_INVALID = 3  # the archive was read, and something in it does not verify


def register(commands: Commands) -> None:
    group = commands.group("archive", "The portable archive of this computer's signed returns.")
    export = group.command(
        "export",
        "Write every return this computer signed, with receipts, keys and the governors' copy, "
        "to one file anyone can check with `verify-archive`.",
    )
    export.add_argument("-o", "--output", type=Path, required=True)
    export.add_argument("--no-pdf", action="store_true", help="leave out the governors' copies")
    export.set_defaults(handler=guard(run_archive_export))

    check = commands.command(
        "verify-archive",
        "Re-verify an archive offline: each return valid, or which item fails which check.",
    )
    check.add_argument("file", type=Path)
    check.add_argument(
        "--collector-key", action="append", default=[], metavar="KEY_ID",
        help="a collector key id your LA publishes (e.g. ed25519:0123456789abcdef): only keys "
        "it vouches for are trusted. Without it the archive's own first key is.",
    )  # fmt: skip
    check.add_argument("--json", action="store_true", help="the report as JSON")
    check.set_defaults(handler=run_verify_archive)


def run_archive_export(args: argparse.Namespace) -> int:
    from school_audit.cli.store_access import open_services
    from school_audit.services.archive_export import NothingToArchive, export_school_archive

    with open_services() as services:
        try:
            outcome = export_school_archive(services, args.output, with_pdfs=not args.no_pdf)
        except NothingToArchive as error:
            return fail(str(error), EXIT_PROBLEM)
    for warning in outcome.warnings:
        print(f"Warning: {warning}")
    print(f"Wrote {outcome.returns} return(s) to {args.output}.")
    return EXIT_OK


def run_verify_archive(args: argparse.Namespace) -> int:
    from school_audit.archive import ArchiveUnreadable, read_archive, report_lines, verify_archive
    from school_audit.archive.report import report_json

    try:
        archive = read_archive(args.file)
    except FileNotFoundError:
        return fail(f"There is no file {args.file}.", EXIT_STORE)
    except ArchiveUnreadable as error:
        return fail(f"{args.file} is not a school-audit archive: {error}", EXIT_STORE)
    report = verify_archive(archive, args.collector_key)
    if args.json:
        print(json.dumps(report_json(report), indent=2, ensure_ascii=False))
    else:
        print("\n".join(report_lines(report)))
    return EXIT_OK if report.valid else EXIT_INVALID

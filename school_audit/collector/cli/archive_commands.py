"""`export archive` (the portable, offline-checkable archive) and `keys` (the collector's signing
keys: list them, rotate to a new one)."""

from __future__ import annotations

import argparse
from pathlib import Path

from school_audit.collector.cli.common import (
    CommandError,
    friendly,
    open_database,
    record,
    settings_from,
)
from school_audit.collector.keys import CollectorKeyError
from school_audit.commands.registry import Commands


def register(commands: Commands) -> None:
    exports = commands.group("export", "Exports for the LA and the steering group.")
    archive = exports.command(
        "archive",
        "Write one file holding the signed returns, receipts, acceptance records, device and "
        "collector keys and each return's governors' copy (PDF), checkable offline with "
        "`school-audit verify-archive`.",
    )
    which = archive.add_mutually_exclusive_group(required=True)
    which.add_argument("--urn", help="one establishment's returns")
    which.add_argument("--all", action="store_true", help="every return the collector holds")
    archive.add_argument("-o", "--output", type=Path, required=True)
    archive.add_argument("--no-pdfs", action="store_true",
                         help="leave out the governors' copies (quicker for a whole LA)")  # fmt: skip
    archive.set_defaults(handler=friendly(run_export_archive))

    keys = commands.group("keys", "The collector's signing keys.")
    listing = keys.command("list", "Every key this collector has signed with, oldest first.")
    listing.set_defaults(handler=friendly(run_keys_list))
    rotate = keys.command(
        "rotate",
        "Sign from now on with a new key; the old public key is kept so that what it signed "
        "stays checkable.",
    )
    rotate.add_argument("--yes", action="store_true", help="do not ask to confirm")
    rotate.set_defaults(handler=friendly(run_keys_rotate))


def _history(args: argparse.Namespace) -> list[dict]:
    from school_audit.collector.keys import load_key_history

    try:
        return load_key_history(settings_from(args).resolved_key_file)
    except CollectorKeyError as error:
        raise CommandError(str(error)) from None


def run_export_archive(args: argparse.Namespace) -> int:
    from school_audit.collector.archive_export import NothingToArchive, export_archive
    from school_audit.collector.keys import load_key_file

    history = _history(args)
    try:
        signing_key = load_key_file(settings_from(args).resolved_key_file)
    except CollectorKeyError as error:
        raise CommandError(str(error)) from None
    database = open_database(args)
    try:
        with database.read() as session:
            count = export_archive(
                session, args.output, collector_keys=history, signing_key=signing_key, urn=args.urn,
                la_name=settings_from(args).la_name, with_pdfs=not args.no_pdfs,
                public_url=settings_from(args).public_url or None,
            )  # fmt: skip
    except NothingToArchive as error:
        raise CommandError(str(error)) from None
    record(database, "export_archive", args.urn or "all", f"{count} returns")
    print(f"Wrote {count} return(s) to {args.output}.")
    print(f"Check it with: school-audit verify-archive {args.output} "
          f"--collector-key {history[-1]['key_id']}")  # fmt: skip
    return 0


def run_keys_list(args: argparse.Namespace) -> int:
    history = _history(args)
    for position, entry in enumerate(history):
        current = " (signing now)" if position == len(history) - 1 else ""
        print(f"{entry['key_id']}  from {entry['valid_from']}  {entry['public_key']}{current}")
    return 0


def run_keys_rotate(args: argparse.Namespace) -> int:
    from school_audit.collector.keys import rotate_key_file

    key_file = settings_from(args).resolved_key_file
    if not args.yes:
        try:
            answer = input(
                "Devices follow the new key through the old one's endorsement (an app older "
                "than that must be enrolled again, or it holds its returns in the outbox). "
                "Rotate? [y/N] "
            )
        except EOFError:  # no terminal to ask
            answer = ""
        if answer.strip().lower() not in ("y", "yes"):
            print("Not rotated (pass --yes to rotate without being asked).")
            return 1
    try:
        old, new = rotate_key_file(key_file)
    except CollectorKeyError as error:
        raise CommandError(str(error)) from None
    database = open_database(args)
    record(database, "rotate_collector_key", new.key_id, f"replaces {old.key_id}")
    print(f"Now signing with {new.key_id}; {old.key_id} is kept as a public key only.")
    print(f"New public key: {new.public_key_b64}")
    print("Restart the collector's web server to sign with the new key.")
    return 0

"""Quarantined returns: list those waiting for an officer, and release one to count instead.

The same rule as the dashboard's release button (school_audit.collector.ingest.current); the actor
in the audit log is "cli", as for the other commands.
"""

from __future__ import annotations

import argparse
import uuid

from school_audit.collector.cli.common import CommandError, friendly, open_database
from school_audit.collector.ingest import current
from school_audit.commands.registry import Commands


def register(commands: Commands) -> None:
    group = commands.group("returns", "Quarantined returns: duplicates and content-rule breaches.")
    listing = group.command("quarantined", "List quarantined returns (not counted) with reasons.")
    listing.add_argument("--cycle", help="academic year, e.g. 2025-26 (default: every cycle)")
    listing.set_defaults(handler=friendly(run_quarantined))
    release = group.command(
        "release", "Count a quarantined return: it becomes the school's current return."
    )
    release.add_argument("submission_id", help="the return's submission id (see `quarantined`)")
    release.set_defaults(handler=friendly(run_release))


def run_quarantined(args: argparse.Namespace) -> int:
    with open_database(args).read() as session:
        waiting = current.quarantined_returns(session, args.cycle)
    for item in waiting:
        print(f"{item.submission_id}  {item.cycle}  URN {item.urn}  {item.received_at}")
        print(f"    {item.reason}")
    if not waiting:
        print("No quarantined return is waiting.")
    return 0


def run_release(args: argparse.Namespace) -> int:
    try:
        submission_id = str(uuid.UUID(args.submission_id.strip()))
    except ValueError:
        raise CommandError(f"{args.submission_id!r} is not a submission id (a UUID)") from None
    try:
        replaced = current.release_return(open_database(args), submission_id, "cli")
    except current.ReleaseRefused as problem:
        raise CommandError(str(problem)) from None
    after = f"; return {replaced} is now superseded" if replaced else ""
    print(f"Released {submission_id}: it is now the current return and counts{after}.")
    return 0

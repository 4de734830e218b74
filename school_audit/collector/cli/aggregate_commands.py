"""The kept aggregate counts: check them against the answer rows, and rebuild them.

`check --aggregates` recomputes every kept count from the rows (the answer counts, the return
counts and the overview's completeness counts with each establishment's status; a scan, fine for
a nightly job) and prints each difference; exit code 1 if there is any.
`rebuild-aggregates` writes them afresh in one transaction (see aggregate/kept.py).
"""

from __future__ import annotations

import argparse

from school_audit.collector.aggregate import kept
from school_audit.collector.cli.common import CommandError, friendly, open_database, record
from school_audit.commands.registry import Commands

SHOWN = 50  # differences printed; the count says how many there are


def register(commands: Commands) -> None:
    check = commands.command("check", "Check derived data against the stored returns.")
    check.add_argument(
        "--aggregates",
        action="store_true",
        required=True,
        help="recompute the dashboard's kept counts from the answer rows and compare",
    )
    check.set_defaults(handler=friendly(run_check))
    rebuild = commands.command(
        "rebuild-aggregates", "Write the dashboard's kept counts afresh from the answer rows."
    )
    rebuild.set_defaults(handler=friendly(run_rebuild))


def run_check(args: argparse.Namespace) -> int:
    with open_database(args).read() as session:
        found = kept.all_differences(session.connection())
    for line in found[:SHOWN]:
        print(line)
    if found:
        more = f" (first {SHOWN} shown)" if len(found) > SHOWN else ""
        raise CommandError(
            f"{len(found)} kept count(s) differ from the answer rows{more}: "
            "run `rebuild-aggregates` to repair them"
        )
    print("The kept counts match the answer rows.")
    return 0


def run_rebuild(args: argparse.Namespace) -> int:
    database = open_database(args)
    with database.write() as session:
        kept.rebuild_all(session.connection())
    record(database, "aggregates.rebuild", "", "kept counts written afresh")
    print("Kept counts rebuilt from the answer rows.")
    return 0

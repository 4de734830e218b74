"""`snapshot take|list`: the steering group's dated snapshots (docs/la-guide.md, section 6)."""

from __future__ import annotations

import argparse

from school_audit.collector.cli.common import friendly, open_database, record
from school_audit.collector.cli.la_commands import _default_cycle
from school_audit.collector.settings import CollectorSettings
from school_audit.commands.registry import Commands

SETTING_TYPES = ("school", "early_years")


def register(commands: Commands) -> None:
    group = commands.group("snapshot", "Dated snapshots of the steering group's figures.")
    take = group.command("take", "Take a snapshot now (the steering group sees it at once).")
    take.add_argument("--cycle", help="default: the latest open cycle")
    take.add_argument("--setting-type", choices=SETTING_TYPES, help="default: both")
    take.add_argument(
        "--if-due",
        action="store_true",
        help="only if the automatic rule says one is due (for a scheduled task)",
    )
    take.set_defaults(handler=friendly(run_take))
    listing = group.command("list", "List the snapshots taken.")
    listing.add_argument("--cycle")
    listing.set_defaults(handler=friendly(run_list))


def run_take(args: argparse.Namespace) -> int:
    from school_audit.collector.aggregate import snapshots

    settings = CollectorSettings.from_env(database_url=getattr(args, "database_url", None))
    rule = snapshots.rule_from(settings)
    database = open_database(args)
    kinds = (args.setting_type,) if args.setting_type else SETTING_TYPES
    taken = []
    with database.write() as session:
        cycle = _default_cycle(session, args.cycle)
        for kind in kinds:
            reason = snapshots.due(session, cycle, kind, rule) if args.if_due else "by hand"
            if reason:
                taken.append(snapshots.take(session, cycle, kind, "cli", reason, dict(rule.areas)))
    for snapshot in taken:
        record(database, "snapshot_taken", f"{snapshot.cycle} {snapshot.setting_type}",
               f"snapshot {snapshot.id}: {snapshot.reason}")  # fmt: skip
        print(
            f"Snapshot {snapshot.id}: {snapshot.cycle} {snapshot.setting_type}, "
            f"{snapshot.returns} returns ({snapshot.reason})."
        )
    if not taken:
        print("No snapshot is due.")
    return 0


def run_list(args: argparse.Namespace) -> int:
    from school_audit.collector.aggregate import snapshots

    with open_database(args).read() as session:
        found = snapshots.listing(session, args.cycle)
    print("id\tcycle\tsetting_type\ttaken_at\ttaken_by\treturns\treason")
    for s in found:
        print(
            f"{s.id}\t{s.cycle}\t{s.setting_type}\t{s.taken_at.isoformat(timespec='seconds')}"
            f"\t{s.taken_by}\t{s.returns}\t{s.reason}"
        )
    return 0

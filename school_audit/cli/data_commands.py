"""`school-audit data backups|restore`: the database's copies (registered by audit_commands)."""

from __future__ import annotations

import argparse

from school_audit.cli.store_access import EXIT_OK, EXIT_PROBLEM, fail, guard, while_app_closed
from school_audit.commands.registry import Commands


def register(commands: Commands) -> None:
    data = commands.group("data", "the database file: its copies, and restoring one")
    data.command("backups", "list the copies of the database, newest first").set_defaults(
        handler=guard(list_backup_copies)
    )
    restore = data.command("restore", "set the database aside and put a copy in its place")
    restore.add_argument("backup", metavar="BACKUP", help="a file listed by `data backups`")
    restore.set_defaults(handler=guard(while_app_closed(restore_copy)))


def list_backup_copies(args: argparse.Namespace) -> int:
    from school_audit import paths
    from school_audit.store import list_backups

    copies = list_backups()
    if not copies:
        print(f"No copies in {paths.backups_dir()} yet (one is taken before every upgrade).")
    for copy in copies:
        print(copy)
    return EXIT_OK


def restore_copy(args: argparse.Namespace) -> int:
    from pathlib import Path

    from school_audit.store import Store

    backup = Path(args.backup)
    if not backup.is_file():
        return fail(f"There is no file {backup}. See `school-audit data backups`.", EXIT_PROBLEM)
    store, damaged = Store.restore_backup(backup)
    store.close()
    print(f"Restored {backup.name}. The previous database was kept as {damaged}.")
    return EXIT_OK

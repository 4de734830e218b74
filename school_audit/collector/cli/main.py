"""Entry point of `school-audit-collector`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from school_audit import __version__
from school_audit.commands.registry import register_modules, run_handler

COMMAND_MODULES = [
    "school_audit.collector.cli.setup_commands",
    "school_audit.collector.cli.register_commands",
    "school_audit.collector.cli.la_commands",
    "school_audit.collector.cli.pack_commands",
    "school_audit.collector.cli.redact_commands",
    "school_audit.collector.cli.mail_commands",
    "school_audit.collector.cli.remind_commands",
    "school_audit.collector.cli.letter_commands",
    "school_audit.collector.cli.snapshot_commands",
    "school_audit.collector.cli.return_commands",
    "school_audit.collector.cli.aggregate_commands",
    "school_audit.collector.cli.archive_commands",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="school-audit-collector",
        description="The local authority's collector for signed safeguarding audit returns.",
    )
    parser.add_argument(
        "--version", action="version", version=f"school-audit-collector {__version__}"
    )
    parser.add_argument(
        "--database-url",
        help="SQLAlchemy URL (default: $SCHOOL_AUDIT_COLLECTOR_DATABASE_URL or a SQLite file in "
        "$SCHOOL_AUDIT_COLLECTOR_HOME)",
    )
    register_modules(parser, COMMAND_MODULES)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    return run_handler(args, handler)


if __name__ == "__main__":
    sys.exit(main())

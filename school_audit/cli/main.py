"""Entry point of `school-audit`. With no command it opens the desktop app."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from school_audit import __version__, paths
from school_audit.cli.registry import Commands

# Each module adds its own commands; see registry.py.
COMMAND_MODULES = [
    "school_audit.cli.template_commands",
    "school_audit.cli.audit_commands",
    "school_audit.cli.sync_commands",
    "school_audit.cli.report_commands",
    "school_audit.cli.app_commands",
]

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="school-audit",
        description="Annual safeguarding self-audit for schools and early-years settings.",
    )
    parser.add_argument("--version", action="version", version=f"school-audit {__version__}")
    parser.add_argument("--data-dir", help="folder for the audit database (default: per user)")
    commands = Commands(parser.add_subparsers(dest="command", metavar="COMMAND"))
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    paths.set_data_dir(args.data_dir)
    handler = getattr(args, "handler", None)
    if handler is None:
        from school_audit.cli.app_commands import open_app

        return open_app(args)
    try:
        return int(handler(args))
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

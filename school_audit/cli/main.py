"""Entry point of `school-audit`. With no command it opens the desktop app."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from school_audit import __version__, paths
from school_audit.commands.registry import register_modules, run_handler

# Each module adds its own commands; see school_audit/commands/registry.py.
COMMAND_MODULES = [
    "school_audit.cli.template_commands",
    "school_audit.cli.audit_commands",
    "school_audit.cli.sync_commands",
    "school_audit.cli.report_commands",
    "school_audit.cli.app_commands",
    "school_audit.cli.archive_commands",
]

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="school-audit",
        description="Annual safeguarding self-audit for schools and early-years settings.",
    )
    parser.add_argument("--version", action="version", version=f"school-audit {__version__}")
    parser.add_argument("--data-dir", help="folder for the audit database (default: per user)")
    register_modules(parser, COMMAND_MODULES)
    return parser


def window_arguments(argv: Sequence[str]) -> argparse.Namespace | None:
    """The arguments when they name no command (nothing, or only `--data-dir FOLDER`): the
    window then opens without building the parser of every command (which imports them all)."""
    if not argv:
        return argparse.Namespace(data_dir=None, command=None)
    if len(argv) == 1 and argv[0].startswith("--data-dir="):
        return argparse.Namespace(data_dir=argv[0].partition("=")[2], command=None)
    if len(argv) == 2 and argv[0] == "--data-dir" and not argv[1].startswith("-"):
        return argparse.Namespace(data_dir=argv[1], command=None)
    return None


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    window_only = window_arguments(argv)
    if window_only is not None:
        paths.set_data_dir(window_only.data_dir)
        from school_audit.cli.app_commands import open_app

        return open_app(window_only)
    parser = build_parser()
    args = parser.parse_args(argv)
    paths.set_data_dir(args.data_dir)
    handler = getattr(args, "handler", None)
    if handler is None:
        from school_audit.cli.app_commands import open_app

        return open_app(args)
    return run_handler(args, handler)


if __name__ == "__main__":
    sys.exit(main())

"""`school-audit app` (and no command at all): open the desktop window."""

from __future__ import annotations

import argparse
import sys

from school_audit.commands.registry import Commands


def register(commands: Commands) -> None:
    parser = commands.command("app", "open the desktop app (the default)")
    parser.set_defaults(handler=open_app)


def open_app(args: argparse.Namespace) -> int:
    try:
        from school_audit.ui.app import run
    except ImportError:
        print("The desktop app is not installed here (install school-audit[app]).", file=sys.stderr)
        return 2
    return run(args)

"""A tiny registry so each command module adds its own sub-commands to one parser.

Modules expose `register(commands: Commands)`; a leaf parser sets `handler`, a function taking the
parsed arguments and returning the exit code.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Iterable
from typing import Any


class Commands:
    def __init__(self, subparsers: Any) -> None:
        self._subparsers = subparsers
        self._groups: dict[str, Any] = {}

    def command(self, name: str, help: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = self._subparsers.add_parser(name, help=help, description=help)
        return parser

    def group(self, name: str, help: str) -> Commands:
        """Sub-commands under `name` (e.g. `template list`), shared by every module that asks."""
        if name not in self._groups:
            parser = self._subparsers.add_parser(name, help=help, description=help)
            self._groups[name] = parser.add_subparsers(dest=f"{name}_command", metavar="COMMAND")
            parser.set_defaults(handler=lambda args, p=parser: _usage(p))
        return Commands(self._groups[name])


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def register_modules(parser: argparse.ArgumentParser, modules: Iterable[str]) -> None:
    """Give each command module its say on one shared set of sub-commands."""
    commands = Commands(parser.add_subparsers(dest="command", metavar="COMMAND"))
    for name in modules:
        importlib.import_module(name).register(commands)


def run_handler(args: argparse.Namespace, handler: Callable[[argparse.Namespace], int]) -> int:
    """Run a command's handler; Ctrl+C ends it with a word rather than a traceback."""
    try:
        return int(handler(args))
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130

"""docs/collector.md keeps up with the code: every admin command and API route is described."""

from __future__ import annotations

import argparse
from pathlib import Path

from school_audit.collector.cli.main import build_parser

DOC = (Path(__file__).resolve().parents[2] / "docs" / "collector.md").read_text(encoding="utf-8")
MINE = {
    "init",
    "serve",
    "verify-store",
    "establishment add",
    "enrol issue",
    "device list",
    "device revoke",
    "template publish",
    "user add",
    "user list",
    "user disable",
    "user enable",
    "user role",
    "user reset-password",
    "snapshot take",
    "snapshot list",
    "export archive",
    "keys list",
    "keys rotate",
}


def command_names(parser: argparse.ArgumentParser, prefix: str = "") -> set[str]:
    names = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                full = f"{prefix}{name}"
                children = command_names(sub, full + " ")
                names |= children or {full}
    return names


def test_every_setup_and_admin_command_is_documented():
    available = command_names(build_parser())
    assert available >= MINE
    for name in MINE:
        assert f"`{name}" in DOC, name


def test_every_api_route_is_documented():
    from school_audit.collector.api import (
        collector_keys,
        enrolments,
        health,
        letters,
        submissions,
        templates,
    )

    routes = [
        route
        for module in (health, collector_keys, enrolments, templates, submissions, letters)
        for route in module.router.routes
    ]
    assert len(routes) == 8
    for route in routes:
        for method in route.methods - {"HEAD"}:
            documented = f"{method} {route.path}".replace("{submission_id}", "{id}").replace(
                "{template_id}", "{id}"
            )
            assert documented in DOC, documented

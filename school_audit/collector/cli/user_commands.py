"""`user add|list|disable|enable|role|reset-password`: dashboard users from the command line.

Each change is audit-logged with the actor `cli`; the rules (sessions end at once, the last
active admin stays) live in `collector.users`.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from school_audit.collector import users
from school_audit.collector.cli.common import CommandError, friendly, open_database
from school_audit.collector.web.roles import ROLES
from school_audit.commands.registry import Commands

ACTOR = "cli"


def register(commands: Commands) -> None:
    user = commands.group("user", "Dashboard users.")
    add = user.command("add", "Add a dashboard user (the password is asked for, never shown).")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=ROLES)
    _password_stdin(add)
    add.set_defaults(handler=friendly(run_user_add))

    listing = user.command("list", "List dashboard users, their roles and whether they are active.")
    listing.set_defaults(handler=friendly(run_user_list))

    for name, active, words in (
        ("disable", False, "Disable a user: their sessions end at once and they cannot log in."),
        ("enable", True, "Enable a disabled user again."),
    ):
        command = user.command(name, words)
        command.add_argument("username")
        command.set_defaults(handler=friendly(run_user_active), active=active)

    role = user.command("role", "Give a user another role (their sessions end at once).")
    role.add_argument("username")
    role.add_argument("role", choices=ROLES)
    role.set_defaults(handler=friendly(run_user_role))

    reset = user.command(
        "reset-password", "Set a new password for a user (asked for; their sessions end)."
    )
    reset.add_argument("username")
    _password_stdin(reset)
    reset.set_defaults(handler=friendly(run_user_reset_password))


def _password_stdin(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-stdin", action="store_true", help="read the password from stdin"
    )


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise CommandError("the two passwords differ")
    return first


def _refused(error: users.UserError) -> CommandError:
    return CommandError(str(error))


def run_user_add(args: argparse.Namespace) -> int:
    password = _read_password(args)
    try:
        users.add_user(open_database(args), args.username, args.role, password, ACTOR)
    except users.UserError as error:
        raise _refused(error) from None
    print(f"Added {args.username} ({args.role}).")
    return 0


def run_user_list(args: argparse.Namespace) -> int:
    print("username\trole\tactive\tlast_login_at")
    for user in users.list_users(open_database(args)):
        last = user.last_login_at.isoformat() if user.last_login_at else "-"
        print(f"{user.username}\t{user.role}\t{'yes' if user.active else 'no'}\t{last}")
    return 0


def run_user_active(args: argparse.Namespace) -> int:
    try:
        changed = users.set_active(open_database(args), args.username, args.active, ACTOR)
    except users.UserError as error:
        raise _refused(error) from None
    state = "enabled" if args.active else "disabled"
    print(f"{args.username} {'is now' if changed else 'was already'} {state}.")
    return 0


def run_user_role(args: argparse.Namespace) -> int:
    try:
        changed = users.set_role(open_database(args), args.username, args.role, ACTOR)
    except users.UserError as error:
        raise _refused(error) from None
    print(f"{args.username} {'is now' if changed else 'was already'} {args.role}.")
    return 0


def run_user_reset_password(args: argparse.Namespace) -> int:
    database = open_database(args)
    try:
        users.require_user(database, args.username)
        password = _read_password(args)
        users.reset_password(database, args.username, password, ACTOR)
    except users.UserError as error:
        raise _refused(error) from None
    print(f"New password set for {args.username}; their sessions have ended.")
    return 0

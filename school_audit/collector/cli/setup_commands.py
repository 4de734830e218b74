"""Setting up and running the collector: init, serve, verify-store, plus the admin commands
for establishments, enrolment codes, devices, templates and users (see admin_commands)."""

from __future__ import annotations

import argparse
import os

from school_audit.collector.cli import admin_commands
from school_audit.collector.cli.common import (
    HEADER_TIMEOUT,
    CommandError,
    friendly,
    open_database,
    safe_url,
    settings_from,
)
from school_audit.collector.integrity import verify_store
from school_audit.collector.keys import CollectorKeyError, ensure_key_file, load_key_file
from school_audit.collector.settings import ENV_PREFIX
from school_audit.commands.registry import Commands


def register(commands: Commands) -> None:
    init = commands.command("init", "Create the database (or upgrade it) and the signing key.")
    init.set_defaults(handler=friendly(run_init))

    serve = commands.command("serve", "Run the collector's web server (API and dashboard).")
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    serve.add_argument("--header-timeout", type=float, default=HEADER_TIMEOUT, metavar="SECONDS",
                       help="close a connection whose request headers take longer than this "
                            f"(default {HEADER_TIMEOUT:g})")  # fmt: skip
    serve.set_defaults(handler=friendly(run_serve))

    check = commands.command("verify-store", "Re-hash every stored return and check its signature.")
    check.set_defaults(handler=friendly(run_verify_store))

    admin_commands.register(commands)


def run_init(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    settings.home.mkdir(parents=True, exist_ok=True)
    open_database(args).dispose()
    try:
        key, created = ensure_key_file(settings.resolved_key_file)
    except CollectorKeyError as error:
        raise CommandError(str(error)) from None
    print(f"Database ready: {safe_url(settings.resolved_database_url)}")
    verb = "Created" if created else "Kept the existing"
    print(f"{verb} signing key: {settings.resolved_key_file} (key id {key.key_id})")
    print(f"Collector public key: {key.public_key_b64}")
    if created:
        print("Back up the key file apart from the database; devices trust receipts it signs.")
    return 0


def run_serve(args: argparse.Namespace) -> int:
    from school_audit.collector.cli.serving import serve  # uvicorn only when serving

    settings = settings_from(args)
    if args.workers < 1 or not 0 < args.port < 65536:
        raise CommandError("--workers must be at least 1 and --port between 1 and 65535")
    if not 0 < args.header_timeout <= 3600:
        raise CommandError("--header-timeout must be more than 0 and at most 3600 seconds")
    open_database(args).dispose()  # migrate once here, not in every worker at the same time
    try:
        load_key_file(settings.resolved_key_file)
    except CollectorKeyError as error:
        raise CommandError(str(error)) from None
    # Workers build their own app from the environment: hand them the choices made here.
    os.environ[ENV_PREFIX + "DATABASE_URL"] = settings.resolved_database_url
    os.environ[ENV_PREFIX + "HOME"] = str(settings.home)
    serve(args.host, args.port, args.workers, args.header_timeout)
    return 0


def run_verify_store(args: argparse.Namespace) -> int:
    database = open_database(args)
    report = verify_store(database)
    for problem in report.problems:
        print(f"MISMATCH {problem}")
    print(f"Checked {report.checked} stored returns: {len(report.problems)} problem(s).")
    return 0 if report.ok else 3

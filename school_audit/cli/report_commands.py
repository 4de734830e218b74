"""`school-audit report governors AUDIT_ID`: the governors' PDF of an audit."""

from __future__ import annotations

import argparse
import sys
import uuid
from pathlib import Path

from school_audit.commands.registry import Commands


def register(commands: Commands) -> None:
    group = commands.group("report", "PDF reports")
    governors = group.command(
        "governors", "the governors' PDF of an audit, with its verification code once signed"
    )
    governors.add_argument("audit_id", metavar="AUDIT_ID")
    governors.add_argument(
        "-o", "--output", type=Path, help="where to write the PDF (default: the exports folder)"
    )
    governors.set_defaults(handler=governors_report)


def governors_report(args: argparse.Namespace) -> int:
    from school_audit.services.audit_service import AuditNotFound
    from school_audit.services.client import ClientServices
    from school_audit.store import StoreError

    try:
        audit_id = uuid.UUID(args.audit_id)
    except ValueError:
        print(
            f"{args.audit_id!r} is not an audit id. See `school-audit audit list`.", file=sys.stderr
        )
        return 2
    try:
        services = ClientServices.open_default()
        try:
            path = services.governors_report(audit_id, args.output)
        finally:
            services.close()
    except AuditNotFound:
        print(f"There is no audit {audit_id}. See `school-audit audit list`.", file=sys.stderr)
        return 1
    except StoreError as error:
        print(f"{error.message} {error.what_to_do}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"Could not write the PDF: {error.strerror or error}.", file=sys.stderr)
        return 2
    print(f"Wrote {path}")
    return 0

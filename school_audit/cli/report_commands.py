"""`school-audit report governors AUDIT_ID`: the governors' PDF of an audit."""

from __future__ import annotations

import argparse
import sys
import uuid
from pathlib import Path

from school_audit.cli.registry import Commands


def register(commands: Commands) -> None:
    group = commands.group("report", "PDF reports")
    governors = group.command("governors", "the governors' PDF of an audit, with its verification code once signed")
    governors.add_argument("audit_id", metavar="AUDIT_ID")
    governors.add_argument("-o", "--output", type=Path, help="where to write the PDF (default: the exports folder)")
    governors.set_defaults(handler=governors_report)


def governors_report(args: argparse.Namespace) -> int:
    from school_audit.services.audit_service import AuditNotFound, AuditService
    from school_audit.services.report_service import export_governors_report
    from school_audit.store import Store, StoreError

    try:
        audit_id = uuid.UUID(args.audit_id)
    except ValueError:
        print(f"{args.audit_id!r} is not an audit id. See `school-audit audit list`.", file=sys.stderr)
        return 2
    try:
        store = Store.open_default()
        try:
            path = export_governors_report(AuditService(store), audit_id, args.output)
        finally:
            store.close()
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

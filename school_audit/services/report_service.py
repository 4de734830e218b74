"""Exporting the governors' PDF of an audit (draft or signed), for the app and the command line."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

from school_audit import paths
from school_audit.services.audit_service import AuditService


def default_report_path(cycle: str, urn: str) -> Path:
    return paths.exports_dir() / f"safeguarding-audit-{cycle}-{urn}.pdf"


def export_governors_report(
    service: AuditService,
    audit_id: uuid.UUID,
    path: Path | None = None,
    *,
    today: Callable[[], date] = date.today,
) -> Path:
    """Write the PDF and return where it went. Signed audits carry their verification code."""
    from school_audit.reports.governors_report import SubmissionInfo, build_governors_report

    audit = service.load(audit_id)
    template = service.template_of(audit)
    submission = None
    items = [i for i in service.store.outbox_items() if i.audit_id == str(audit_id) and i.revision == audit.revision]
    if items:
        item = items[-1]
        status = service.store.review_of(item.submission_id)
        submission = SubmissionInfo(
            submission_id=item.submission_id,
            envelope_sha256=hashlib.sha256(item.envelope).hexdigest(),
            status=status.status if status else item.state,
            collector_url=service.store.get_setting("collector_url"),
        )
    target = path or default_report_path(audit.cycle, audit.profile.urn)
    target.parent.mkdir(parents=True, exist_ok=True)
    return build_governors_report(audit, template, target, today=today(), submission=submission)

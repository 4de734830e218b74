"""The collector's portable archive: every return it holds for one establishment (or the whole
LA), with the device keys, receipts and every collector key ever used (`school_audit.archive`).

Quarantined and superseded returns are included too: the archive is the record of what arrived,
and each is checkable on its own. The LA's review state is copied into the index, unsigned.
"""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from school_audit.archive import ArchivedReturn, write_archive
from school_audit.collector.acceptance import acceptance_from_rows
from school_audit.collector.db.tables import Device, LocalPackRow, Receipt, Submission, TemplateRow
from school_audit.domain.audit import REVIEW_TO_AUDIT_STATE, AuditState
from school_audit.domain.envelope_audit import audit_from_envelope
from school_audit.domain.local_pack import load_local_pack
from school_audit.domain.local_pack_merge import merge_pack
from school_audit.domain.template import Template
from school_audit.domain.template_loading import load_template
from school_audit.reports.governors_report import SubmissionInfo, build_governors_report
from school_audit.signing.keys import SigningKey


class NothingToArchive(Exception):
    """No return matches (the message says which)."""


def export_archive(
    session: Session,
    path: Path,
    *,
    collector_keys: list[dict[str, Any]],
    signing_key: SigningKey | None = None,
    urn: str | None = None,
    la_name: str | None = None,
    with_pdfs: bool = True,
    public_url: str | None = None,
    now: datetime | None = None,
) -> int:
    """Write the archive of `urn`'s returns (or every return, when `urn` is None) to `path`.
    With `signing_key` (the collector's current key), each accepted return carries its signed
    acceptance record, the same one the school's app is given. With `with_pdfs`, each return
    carries its governors' copy printed from the envelope (`domain.envelope_audit`), with the
    verification address under `public_url`."""
    query = select(Submission).order_by(Submission.received_at, Submission.submission_id)
    if urn is not None:
        query = query.where(Submission.urn == urn)
    submissions = list(session.scalars(query))
    if not submissions:
        raise NothingToArchive(
            f"the collector holds no return for URN {urn}"
            if urn
            else "the collector holds no return"
        )
    ids = [row.submission_id for row in submissions]
    receipts = {
        row.submission_id: json.loads(row.receipt)
        for row in session.scalars(select(Receipt).where(Receipt.submission_id.in_(ids)))
    }
    key_ids = sorted({row.device_key_id for row in submissions})
    device_keys = {
        row.device_key_id: row.public_key
        for row in session.scalars(select(Device).where(Device.device_key_id.in_(key_ids)))
    }
    printer = _Printer(session, public_url) if with_pdfs else None
    returns = [
        ArchivedReturn(
            submission_id=row.submission_id,
            envelope=bytes(row.envelope),
            device_signature=row.signature,
            receipt=receipts.get(row.submission_id),
            review_status=row.status,
            acceptance=acceptance_from_rows(signing_key, session, row) if signing_key else None,
            governors_report=printer.pdf(row) if printer else None,
        )
        for row in submissions
    ]
    scope: dict[str, Any] = {"urn": urn} if urn else {"la": la_name or "every establishment"}
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    return write_archive(
        path,
        made_by="collector",
        scope=scope,
        created_at=moment.isoformat().replace("+00:00", "Z"),
        returns=returns,
        device_keys=device_keys,
        collector_keys=collector_keys,
    )


class _Printer:
    """The governors' copy of each return, printed from its envelope on the template it names
    (with the local pack merged when it names one), as bytes; None where the template is gone."""

    def __init__(self, session: Session, public_url: str | None) -> None:
        self.session = session
        self.public_url = public_url or None
        self.templates: dict[tuple[str, str, str | None], Template | None] = {}

    def pdf(self, row: Submission) -> bytes | None:
        envelope = json.loads(bytes(row.envelope))
        template = self._template(envelope["template"])
        if template is None:
            return None
        audit = audit_from_envelope(envelope, REVIEW_TO_AUDIT_STATE.get(row.status, AuditState.SENT))
        info = SubmissionInfo(
            submission_id=row.submission_id, envelope_sha256=row.envelope_sha256,
            status=row.status, collector_url=self.public_url,
        )  # fmt: skip
        with tempfile.TemporaryDirectory(prefix="archive-pdf-") as folder:
            path = Path(folder) / "governors-report.pdf"
            build_governors_report(audit, template, path, today=row.received_at.date(), submission=info)
            return path.read_bytes()

    def _template(self, ref: dict[str, Any]) -> Template | None:
        pack = ref.get("local_pack") or {}
        key = (ref["id"], ref["version"], pack.get("version"))
        if key not in self.templates:
            row = self.session.get(TemplateRow, (ref["id"], ref["version"]))
            template = load_template(row.json) if row is not None else None
            if template is not None and pack:
                stored = self.session.get(LocalPackRow, (pack["id"], pack["version"]))
                if stored is not None:
                    template = merge_pack(template, load_local_pack(bytes(stored.json)))
            self.templates[key] = template
        return self.templates[key]

"""The collector's portable archive: every return it holds for one establishment (or the whole
LA), with the device keys, receipts and every collector key ever used (`school_audit.archive`).

Quarantined and superseded returns are included too: the archive is the record of what arrived,
and each is checkable on its own. The LA's review state is copied into the index, unsigned.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from school_audit.archive import ArchivedReturn, write_archive
from school_audit.collector.acceptance import acceptance_from_rows
from school_audit.collector.db.tables import Device, Receipt, Submission
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
    now: datetime | None = None,
) -> int:
    """Write the archive of `urn`'s returns (or every return, when `urn` is None) to `path`.
    With `signing_key` (the collector's current key), each accepted return carries its signed
    acceptance record, the same one the school's app is given."""
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
    returns = [
        ArchivedReturn(
            submission_id=row.submission_id,
            envelope=bytes(row.envelope),
            device_signature=row.signature,
            receipt=receipts.get(row.submission_id),
            review_status=row.status,
            acceptance=acceptance_from_rows(signing_key, session, row) if signing_key else None,
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

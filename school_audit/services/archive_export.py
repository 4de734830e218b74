"""The school's own portable archive: every return this computer signed, with its receipt, the
governors' copy of the current revision, every public key this computer has signed with (one per
enrolment) and the collector keys it trusts: the one pinned at enrolment and those it accepted
from the collector's key history (`school_audit.archive`; checked with
`school-audit verify-archive`). Old returns and receipts still verify after either kind of key
changes."""

from __future__ import annotations

import hashlib
import logging
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from school_audit.archive import ArchivedReturn, write_archive
from school_audit.credentials import DEVICE_KEY, KeyringUnavailable
from school_audit.signing import SignatureInvalid, SigningKey
from school_audit.sync.collector_keys import archive_entries, device_public_keys

if TYPE_CHECKING:
    from school_audit.services.client import ClientServices

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ArchiveOutcome:
    returns: int
    warnings: list[str]


class NothingToArchive(LookupError):
    """No signed return on this computer."""


def export_school_archive(
    services: ClientServices, path: Path, *, now: datetime | None = None, with_pdfs: bool = True
) -> ArchiveOutcome:
    store = services.store
    items = store.outbox_items()
    if not items:
        raise NothingToArchive("There is no signed return on this computer to archive.")
    warnings: list[str] = []
    device_keys = _device_keys(services, warnings)
    collector_keys = _collector_keys(store, warnings)
    current = {str(a): services.audits.load(a).revision for a in store.audit_ids()}
    returns = []
    with tempfile.TemporaryDirectory(prefix="archive-") as folder:
        for item in items:
            review = store.review_of(item.submission_id)
            pdf = None
            if with_pdfs and current.get(item.audit_id) == item.revision:
                pdf = _governors_pdf(services, item.audit_id, Path(folder), warnings)
            returns.append(ArchivedReturn(
                submission_id=item.submission_id, envelope=item.envelope,
                device_signature=item.signature, receipt=item.receipt, governors_report=pdf,
                review_status=review.status if review else item.state,
                acceptance=review.review.get("acceptance") if review and review.review else None,
            ))  # fmt: skip
    urn = (store.get_setting("enrolled_establishment") or "").strip()
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    count = write_archive(
        path, made_by="school", scope={"establishment": urn and _urn_of(urn)},
        created_at=moment.isoformat().replace("+00:00", "Z"), returns=returns,
        device_keys=device_keys, collector_keys=collector_keys,
    )  # fmt: skip
    return ArchiveOutcome(count, warnings)


def _device_keys(services: ClientServices, warnings: list[str]) -> dict[str, str]:
    """Every device public key this store remembers, and this device's current one, derived
    from its private key in the OS password store (the same key, or one enrolled before the
    keys were remembered)."""
    keys = device_public_keys(services.store)
    try:
        secret = services.submission.secrets.get(DEVICE_KEY)
    except KeyringUnavailable as error:
        included = "only the device keys on record included" if keys else "no device key included"
        warnings.append(f"the password store could not be read ({error}): {included}")
        return keys
    if not secret:
        if not keys:
            warnings.append("this computer holds no device key: device signatures cannot be checked")
        return keys
    try:
        key = SigningKey.from_secret(secret)
    except (SignatureInvalid, ValueError):
        warnings.append("the device key in the password store is damaged: it is not included")
        return keys
    return {**keys, key.key_id: key.public_key_b64}


def _collector_keys(store: Any, warnings: list[str]) -> list[dict[str, Any]]:
    """The collector key pinned at enrolment, with the history that chains to it, if the device
    followed a rotation (the collector's own archive carries its whole history)."""
    public_key = store.get_setting("collector_public_key")
    if not public_key:
        warnings.append("this computer is not enrolled: no collector key, receipts unchecked")
        return []
    return archive_entries(store, public_key, store.get_setting("enrolled_at") or "")


def _governors_pdf(
    services: ClientServices, audit_id: str, folder: Path, warnings: list[str]
) -> bytes | None:
    target = folder / f"{hashlib.sha256(audit_id.encode()).hexdigest()[:12]}.pdf"
    try:
        return services.governors_report(uuid.UUID(audit_id), target).read_bytes()
    except Exception as error:  # a report that cannot be drawn must not lose the archive
        log.warning("governors' PDF not made for %s", audit_id, exc_info=True)
        warnings.append(f"the governors' copy of audit {audit_id} could not be made: {error}")
        return None


def _urn_of(establishment_json: str) -> str:
    import json

    try:
        return str(json.loads(establishment_json).get("urn", ""))
    except (ValueError, AttributeError):
        return ""

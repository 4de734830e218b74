"""Sealing a draft for signing, and each signatory's state while the seal holds.

A sealed draft refuses every change (`AuditSealedError`, see `audit_records`) until `unseal`,
which voids every signature collected under the seal in the same transaction. A voided row that
still has a request open at the collector is kept (state `voided`) until the app has cancelled
that request; `forget_signature` then removes it.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from school_audit.domain.audit import AuditState
from school_audit.store import rows
from school_audit.store.database import Database
from school_audit.store.errors import AuditNotFound, AuditReadOnlyError, WrongAuditState
from school_audit.store.tables import audits, seals, signatures


@dataclass(frozen=True)
class StoredSeal:
    audit_id: str
    revision: int
    content_sha256: str
    submission_id: str
    sealed_at: datetime


@dataclass(frozen=True)
class SignatureRecord:
    """One signatory of a sealed audit. `attestation` is the envelope form (JSON object)."""

    role: str
    state: str  # requested | signed | declined | voided
    name: str
    content_sha256: str
    email: str | None = None
    request_id: str | None = None
    requested_at: datetime | None = None
    signed_at: datetime | None = None
    comment: str | None = None
    attestation: dict[str, Any] | None = None
    id: int | None = None


class SealRecords(Database):
    def seal_audit(
        self, audit_id: uuid.UUID | str, content_sha256: str, submission_id: uuid.UUID | str,
        sealed_at: datetime,
    ) -> StoredSeal:  # fmt: skip
        """Freeze a draft at `content_sha256`. WrongAuditState if it is already sealed."""
        key = str(audit_id)
        with self.write() as connection:
            revision = _draft_revision(connection, key)
            if connection.execute(select(seals.c.audit_id).where(seals.c.audit_id == key)).first():
                raise WrongAuditState("this audit is already sealed")
            connection.execute(
                insert(seals).values(
                    audit_id=key, revision=revision, content_sha256=content_sha256,
                    submission_id=str(submission_id), sealed_at=rows.utc_text(sealed_at),
                )
            )  # fmt: skip
        return StoredSeal(key, revision, content_sha256, str(submission_id), sealed_at)

    def sealed_audit_ids(self) -> list[str]:
        """Every audit sealed for signing (and not finalised or unsealed since)."""
        with self.read() as connection:
            return [row[0] for row in connection.execute(select(seals.c.audit_id).order_by(seals.c.audit_id))]

    def seal_of(self, audit_id: uuid.UUID | str) -> StoredSeal | None:
        with self.read() as connection:
            row = connection.execute(select(seals).where(seals.c.audit_id == str(audit_id)))
            found = row.mappings().first()
        if found is None:
            return None
        return StoredSeal(
            found["audit_id"], int(found["revision"]), found["content_sha256"],
            found["submission_id"], rows.parse_utc(found["sealed_at"]) or datetime.min,
        )  # fmt: skip

    def unseal(self, audit_id: uuid.UUID | str) -> list[SignatureRecord]:
        """Lift the seal so the draft can change again; every signature collected under it is
        void. Returns the voided rows (the people to tell, and requests to cancel)."""
        key = str(audit_id)
        with self.write() as connection:
            _draft_revision(connection, key)
            voided = _signatures(connection, key, active=True)
            connection.execute(delete(seals).where(seals.c.audit_id == key))
            _void(connection, key, [record.id for record in voided])
        return voided

    def signatures_of(
        self, audit_id: uuid.UUID | str, *, include_voided: bool = False
    ) -> list[SignatureRecord]:
        """The audit's signatories (oldest first); voided ones only when asked for."""
        with self.read() as connection:
            return _signatures(connection, str(audit_id), active=not include_voided)

    def save_signature(self, audit_id: uuid.UUID | str, record: SignatureRecord) -> SignatureRecord:
        """Record a signatory's state for a role of the sealed audit, in place of the role's
        current row (which is voided, and kept while a request behind it may be open)."""
        key = str(audit_id)
        now = rows.utc_text()
        with self.write() as connection:
            found = connection.execute(select(seals).where(seals.c.audit_id == key)).first()
            if found is None or found.content_sha256 != record.content_sha256:
                raise WrongAuditState("the audit is not sealed at this content any more")
            if record.id is not None:
                connection.execute(
                    update(signatures).where(signatures.c.id == record.id)
                    .values(_row(key, record, now))
                )  # fmt: skip
                return record
            current = [
                r.id for r in _signatures(connection, key, active=True) if r.role == record.role
            ]
            _void(connection, key, current)
            new_id = connection.execute(
                insert(signatures).values(_row(key, record, now)).returning(signatures.c.id)
            ).scalar_one()
            return _with_id(record, int(new_id))

    def forget_signature(self, signature_id: int) -> None:
        """Remove a voided row once nothing at the collector depends on it."""
        with self.write() as connection:
            connection.execute(
                delete(signatures).where(signatures.c.id == signature_id, signatures.c.state == "voided")
            )  # fmt: skip


def finish_seal(connection: Connection, audit_id: uuid.UUID | str) -> None:
    """The audit is being finalised: its seal and live signature rows are done with (voided rows
    stay until their requests are cancelled)."""
    key = str(audit_id)
    connection.execute(delete(seals).where(seals.c.audit_id == key))
    connection.execute(
        delete(signatures).where(signatures.c.audit_id == key, signatures.c.state != "voided")
    )


def _draft_revision(connection: Connection, key: str) -> int:
    row = connection.execute(
        select(audits.c.state, audits.c.revision).where(audits.c.audit_id == key)
    ).first()
    if row is None:
        raise AuditNotFound(key)
    if row.state != AuditState.DRAFT.value:
        raise AuditReadOnlyError()
    return int(row.revision)


def _signatures(connection: Connection, key: str, *, active: bool) -> list[SignatureRecord]:
    query = select(signatures).where(signatures.c.audit_id == key).order_by(signatures.c.id)
    if active:
        query = query.where(signatures.c.state != "voided")
    return [_record(row) for row in connection.execute(query).mappings()]


def _void(connection: Connection, key: str, ids: list[int | None]) -> None:
    wanted = [value for value in ids if value is not None]
    if not wanted:
        return
    connection.execute(
        update(signatures)
        .where(signatures.c.audit_id == key, signatures.c.id.in_(wanted))
        .values(state="voided", updated_at=rows.utc_text())
    )
    # A voided row with no request open anywhere has nothing left to do.
    connection.execute(
        delete(signatures).where(
            signatures.c.audit_id == key, signatures.c.id.in_(wanted),
            signatures.c.request_id.is_(None),
        )
    )  # fmt: skip


def _row(key: str, record: SignatureRecord, now: str) -> dict[str, Any]:
    def when(moment: datetime | None) -> str | None:
        return rows.utc_text(moment) if moment else None

    return {
        "audit_id": key, "content_sha256": record.content_sha256, "role": record.role,
        "state": record.state, "name": record.name, "email": record.email,
        "request_id": record.request_id, "requested_at": when(record.requested_at),
        "signed_at": when(record.signed_at), "comment": record.comment,
        "attestation_json": rows.dumps(record.attestation) if record.attestation else None,
        "updated_at": now,
    }  # fmt: skip


def _record(row: Any) -> SignatureRecord:
    attestation = row["attestation_json"]
    return SignatureRecord(
        role=row["role"], state=row["state"], name=row["name"],
        content_sha256=row["content_sha256"], email=row["email"], request_id=row["request_id"],
        requested_at=rows.parse_utc(row["requested_at"]),
        signed_at=rows.parse_utc(row["signed_at"]), comment=row["comment"],
        attestation=json.loads(attestation) if attestation else None, id=int(row["id"]),
    )  # fmt: skip


def _with_id(record: SignatureRecord, new_id: int) -> SignatureRecord:
    from dataclasses import replace

    return replace(record, id=new_id)

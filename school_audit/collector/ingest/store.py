"""Writing a verified return: the envelope row, its answers as rows, the receipt.

Which return counts (supersession, duplicates) is decided in `current`."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Row, Table, bindparam, select
from sqlalchemy.orm import Session

from school_audit.collector.db.tables import (
    ActionRow,
    Answer,
    Base,
    LocalAnswer,
    Receipt,
    SignOffRow,
    Submission,
)
from school_audit.collector.devices import DeviceIdentity
from school_audit.collector.ingest.rows import insert_values
from school_audit.collector.ingest.verify import SignedReturn
from school_audit.domain.envelope import Envelope, rfc3339
from school_audit.domain.text_cleaning import clean_text
from school_audit.signing import SigningKey, sign_receipt


def _table(model: type[Base]) -> Table:
    """The plain table: Core statements on it skip the ORM's bulk-insert machinery."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def safe_utc(moment: datetime) -> datetime:
    """UTC for storage whatever the envelope said (no offset, or one that overflows year 1 or
    9999); such returns are quarantined by the rules, and the signed bytes keep the original."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        return moment.replace(tzinfo=UTC)


def insert_submission(
    session: Session,
    signed: SignedReturn,
    device: DeviceIdentity,
    status: str,
    reason: str | None,
    received_at: datetime,
) -> dict[str, Any]:
    """Insert the return and its rows (Core statements: the ORM's unit of work costs more than
    the database here); the submission row's values come back for the receipt."""
    envelope = signed.envelope
    submission: dict[str, Any] = {
        "submission_id": str(envelope.submission_id),
        "audit_id": str(envelope.audit_id),
        "revision": envelope.revision,
        "supersedes": str(envelope.supersedes) if envelope.supersedes else None,
        "urn": envelope.establishment.urn,
        "cycle": envelope.cycle,
        # Grouping follows the LA's register, which the LA keeps right, not what the device said.
        "setting_type": device.setting_type,
        "phase": device.phase,
        "district": device.district,
        "template_id": envelope.template.id,
        "template_version": envelope.template.version,
        "template_sha256": envelope.template.sha256,
        "envelope": signed.canonical,
        "envelope_sha256": signed.sha256,
        "signature": signed.signature,
        "device_key_id": envelope.device_key_id,
        "status": status,
        "quarantine_reason": reason,
        "received_at": received_at,
        "signed_at": safe_utc(envelope.signed_at),
    }
    connection = session.connection()
    insert_values(connection, _table(Submission), submission, (), [()])
    _insert_children(connection, submission, envelope)
    return submission


ANSWER_KEYS = ("standard_id", "rating", "evidence", "na_reason", "dates")
ACTION_KEYS = (
    "action_id",
    "standard_id",
    "description",
    "owner_role",
    "target_date",
    "status",
    "support_requested",
)
SIGN_OFF_KEYS = ("role", "name", "statement", "signed_at")
LOCAL_KEYS = ("question_id", "value")


def _insert_children(
    connection: Connection, submission: dict[str, Any], envelope: Envelope
) -> None:
    """Rows as plain tuples; what all rows of a table share is given (and converted) once."""
    # Only a return stored as the current one counts; `current.take_over` records it as such.
    sid, current = submission["submission_id"], submission["status"] == "received"
    common = {"submission_id": sid, "urn": submission["urn"], "cycle": submission["cycle"]}
    grouping = {
        **common,
        "phase": submission["phase"],
        "district": submission["district"],
        "setting_type": submission["setting_type"],
        "current": current,
    }
    answers = [
        (
            r.standard_id,
            r.rating.value,
            _shown(r.evidence),
            _shown(r.na_reason),
            _dates_json(r.dates),
        )
        for r in envelope.responses
    ]
    actions = [
        (
            str(a.action_id),
            a.standard_id,
            _shown(a.description),
            _shown(a.owner_role),
            a.target_date,
            a.status.value,
            bool(a.support_requested),
        )
        for a in envelope.actions
    ]
    sign_offs = [
        (s.role.value, _shown(s.name), _shown(s.statement), safe_utc(s.signed_at))
        for s in envelope.sign_off
    ]
    local = [(q.question_id, json.dumps(q.value)) for q in envelope.local_answers or []]
    insert_values(connection, _table(Answer), grouping, ANSWER_KEYS, answers)
    insert_values(connection, _table(ActionRow), common, ACTION_KEYS, actions)
    insert_values(connection, _table(SignOffRow), {"submission_id": sid}, SIGN_OFF_KEYS, sign_offs)
    insert_values(connection, _table(LocalAnswer), common, LOCAL_KEYS, local)


def _shown(text: str | None) -> str | None:
    # The rows are display copies: control characters would break the pages' exports and PDFs.
    # The signed envelope is stored exactly as signed.
    return clean_text(text) if text else text


def _dates_json(dates: dict[str, date] | None) -> str | None:
    return json.dumps({k: v.isoformat() for k, v in dates.items()}) if dates else None


# Built once: every return runs them (building a statement costs more than running it).
_POINTED = select(Submission.audit_id, Submission.urn, Submission.revision).where(
    Submission.submission_id == bindparam("sid")
)
_EXISTING = select(Submission.envelope, Submission.urn).where(
    Submission.submission_id == bindparam("sid")
)


def pointer_problem(session: Session, envelope: Envelope) -> str | None:
    """A problem text when `supersedes` names a return that is not an earlier revision of this
    audit at this establishment. It never changes the return it names: supersession is decided
    within one establishment and audit (see `current`). An id not seen yet is no problem: the
    earlier revision may simply arrive after this one."""
    if envelope.supersedes is None:
        return None
    older = session.connection().execute(_POINTED, {"sid": str(envelope.supersedes)}).first()
    if older is None:
        return None
    if older.audit_id != str(envelope.audit_id) or older.urn != envelope.establishment.urn:
        return f"supersedes_unknown: no earlier return {envelope.supersedes} of this audit"
    if older.revision >= envelope.revision:
        return (
            f"revision_order: revision {envelope.revision} cannot replace revision {older.revision}"
        )
    return None


def existing(session: Session, submission_id: str) -> Row[bytes, str] | None:
    """The stored bytes and URN of a return with this id, if there is one."""
    return session.connection().execute(_EXISTING, {"sid": submission_id}).first()


def make_receipt(session: Session, submission: dict[str, Any], key: SigningKey) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "submission_id": submission["submission_id"],
        "received_at": rfc3339(submission["received_at"]),
        "envelope_sha256": submission["envelope_sha256"],
        "status": submission["status"],
        "collector_key_id": key.key_id,
    }
    if submission["quarantine_reason"]:
        fields["quarantine_reason"] = submission["quarantine_reason"]
    receipt = sign_receipt(fields, key)
    row = {"submission_id": submission["submission_id"], "receipt": json.dumps(receipt)}
    insert_values(session.connection(), _table(Receipt), row, (), [()])
    return receipt


def stored_receipt(session: Session, submission_id: str) -> dict[str, Any] | None:
    text = session.scalar(select(Receipt.receipt).where(Receipt.submission_id == submission_id))
    return json.loads(text) if text else None

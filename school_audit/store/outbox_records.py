"""Signed returns waiting to be sent (the outbox) and what the LA said about them.

Each method is one transaction, so the outbox table is always the truth about what was sent: an
item leaves the `queued`/`failed` states only through `mark_sent`, called after a verified receipt.
Ids may be passed as `uuid.UUID` or text; items carry them as text (as in the envelope and receipt).
Times are stored as RFC 3339 UTC text; pass timezone-aware datetimes (naive ones count as UTC).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, insert, or_, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from school_audit.domain.audit import REVIEW_TO_AUDIT_STATE, AuditState, SignOff
from school_audit.store import rows
from school_audit.store.audit_records import _draft_afresh
from school_audit.store.database import Database
from school_audit.store.errors import AuditNotFound, WrongAuditState
from school_audit.store.seal_records import finish_seal
from school_audit.store.tables import audits, outbox, review_status, sign_offs


@dataclass(frozen=True)
class OutboxItem:
    submission_id: str  # UUID text, as in the envelope and the receipt
    audit_id: str
    revision: int
    envelope: bytes  # the exact canonical bytes that were signed: send these, never re-serialise
    signature: str
    created_at: datetime
    state: str  # queued | sending | sent | failed
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None
    receipt: dict[str, Any] | None
    sent_at: datetime | None


@dataclass(frozen=True)
class ReviewStatus:
    submission_id: str
    status: str
    review: dict[str, Any]
    checked_at: datetime


class OutboxRecords(Database):
    def finalise(
        self,
        audit_id: uuid.UUID | str,
        sign_offs: list[SignOff],
        submission_id: uuid.UUID | str,
        envelope_bytes: bytes,
        signature: str,
    ) -> None:
        """Sign off a draft in one transaction: sign-offs written, state SIGNED, outbox row queued.

        Either all three happen or none. Raises AuditReadOnlyError if the audit is not a draft.
        A sealed draft may be finalised (that is what the seal is for): its seal and collected
        signatures go, now that the signed envelope holds them.
        """
        now = rows.utc_text()
        with self.write() as connection:
            _draft_afresh(connection, audit_id, sealed_ok=True)
            finish_seal(connection, audit_id)
            revision = _revision(connection, audit_id)
            _insert_sign_offs(connection, audit_id, revision, sign_offs)
            _set_state(connection, audit_id, AuditState.SIGNED, now)
            _insert_outbox_row(
                connection, audit_id, revision, submission_id, envelope_bytes, signature, now
            )

    def outbox_items(self, states: Iterable[str] | None = None) -> list[OutboxItem]:
        """Outbox rows (all, or those in `states`), oldest first."""
        query = select(outbox).order_by(outbox.c.created_at)
        if states is not None:
            query = query.where(outbox.c.state.in_(list(states)))
        return self._items(query)

    def due_outbox_items(self, now: datetime) -> list[OutboxItem]:
        """Items to send now: queued ones, failed ones whose retry time has come, and any left
        `sending` by a crash (sending again is safe: the submission_id is the idempotency key).
        A failed item with no retry time was refused for good and waits for `retry_now`."""
        retry_due = and_(outbox.c.state == "failed", outbox.c.next_attempt_at <= rows.utc_text(now))
        query = (
            select(outbox)
            .where(or_(outbox.c.state.in_(["queued", "sending"]), retry_due))
            .order_by(outbox.c.created_at)
        )
        return self._items(query)

    def outbox_item(self, submission_id: uuid.UUID | str) -> OutboxItem | None:
        found = self._items(select(outbox).where(outbox.c.submission_id == str(submission_id)))
        return found[0] if found else None

    def outbox_state_of(self, audit_id: uuid.UUID | str) -> str | None:
        """The outbox state of the audit's current revision (None for a draft)."""
        query = (
            select(outbox.c.state)
            .join(
                audits,
                and_(
                    audits.c.audit_id == outbox.c.audit_id, audits.c.revision == outbox.c.revision
                ),
            )
            .where(outbox.c.audit_id == str(audit_id))
        )
        with self.read() as connection:
            value = connection.execute(query).scalar()
        return None if value is None else str(value)

    def mark_sending(self, submission_id: uuid.UUID | str) -> None:
        """An attempt starts: state `sending`, attempts + 1."""
        with self.write() as connection:
            _update_item(connection, submission_id, state="sending", attempts=outbox.c.attempts + 1)

    def mark_sent(
        self, submission_id: uuid.UUID | str, receipt_json: str | Mapping[str, Any]
    ) -> None:
        """A verified receipt arrived: keep it, state `sent`, and the audit becomes SENT."""
        receipt = receipt_json if isinstance(receipt_json, str) else rows.dumps(dict(receipt_json))
        now = rows.utc_text()
        with self.write() as connection:
            item = _update_item(
                connection,
                submission_id,
                state="sent",
                receipt_json=receipt,
                sent_at=now,
                last_error=None,
                next_attempt_at=None,
            )
            _follow_audit(connection, item, AuditState.SENT, now, only_from=(AuditState.SIGNED,))

    def record_failure(
        self,
        submission_id: uuid.UUID | str,
        error_text: str,
        next_attempt_at: datetime | None,
        *,
        receipt_json: str | None = None,
    ) -> None:
        """An attempt failed: state `failed`, the reason, and when to try again.

        `next_attempt_at=None` means refused for good: not retried until someone calls `retry_now`.
        `receipt_json`: a receipt that arrived for exactly these bytes but could not be verified
        (signed by a collector key this device cannot trust): kept, unverified, beside the
        reason, until a verified one replaces it (`mark_sent`).
        """
        when = rows.utc_text(next_attempt_at) if next_attempt_at else None
        kept = {} if receipt_json is None else {"receipt_json": receipt_json}
        with self.write() as connection:
            _update_item(
                connection,
                submission_id,
                state="failed",
                last_error=error_text[:2000],
                next_attempt_at=when,
                **kept,
            )

    def retry_now(self, submission_id: uuid.UUID | str) -> None:
        """Put a failed item back in the queue (the person has fixed what was wrong)."""
        with self.write() as connection:
            _update_item(connection, submission_id, state="queued", next_attempt_at=None)

    def resign_unsent(
        self, submission_id: uuid.UUID | str, envelope_bytes: bytes, signature: str
    ) -> None:
        """Replace the signed bytes of an item the collector never acknowledged (after the
        device enrolled again with a new key) and queue it afresh. A sent item is never changed."""
        with self.write() as connection:
            if _item_row(connection, submission_id)["state"] == "sent":
                raise WrongAuditState("a sent return cannot be signed again")
            _update_item(
                connection, submission_id, envelope=bytes(envelope_bytes), signature=signature,
                state="queued", next_attempt_at=None, last_error=None, receipt_json=None,
            )  # fmt: skip

    def set_review(
        self, submission_id: uuid.UUID | str, status: str, review: Mapping[str, Any] | None = None
    ) -> None:
        """Record the collector's review status; accepted / returned / superseded update the audit
        (only if the submission is the audit's current revision)."""
        now = rows.utc_text()
        row = {
            "submission_id": str(submission_id),
            "status": status,
            "review_json": rows.dumps(dict(review or {})),
            "checked_at": now,
        }
        upsert = sqlite_insert(review_status).values(row)
        upsert = upsert.on_conflict_do_update(
            index_elements=[review_status.c.submission_id], set_=row
        )
        with self.write() as connection:
            item = _item_row(connection, submission_id)
            connection.execute(upsert)
            if status in REVIEW_TO_AUDIT_STATE:
                _follow_audit(connection, item, REVIEW_TO_AUDIT_STATE[status], now)

    def review_of(self, submission_id: uuid.UUID | str) -> ReviewStatus | None:
        query = select(review_status).where(review_status.c.submission_id == str(submission_id))
        with self.read() as connection:
            row = connection.execute(query).mappings().first()
        if row is None:
            return None
        return ReviewStatus(
            submission_id=row["submission_id"],
            status=row["status"],
            review=json.loads(row["review_json"]),
            checked_at=datetime.fromisoformat(row["checked_at"]),
        )

    def reopen_for_revision(
        self, audit_id: uuid.UUID | str, superseded_submission_id: uuid.UUID | str
    ) -> int:
        """A RETURNED audit becomes a DRAFT again as revision + 1, superseding the returned
        submission. Answers and actions are kept. Returns the new revision number."""
        now = rows.utc_text()
        with self.write() as connection:
            state, revision = _state_and_revision(connection, audit_id)
            if state is not AuditState.RETURNED:
                raise WrongAuditState(
                    f"only a returned audit can be reopened (this one is {state})"
                )
            connection.execute(
                update(audits)
                .where(audits.c.audit_id == str(audit_id))
                .values(
                    state=AuditState.DRAFT.value,
                    revision=revision + 1,
                    supersedes=str(superseded_submission_id),
                    updated_at=now,
                )
            )
            return revision + 1

    def _items(self, query: Any) -> list[OutboxItem]:
        with self.read() as connection:
            return [_item_from_row(row) for row in connection.execute(query).mappings()]


def _revision(connection: Connection, audit_id: uuid.UUID | str) -> int:
    return _state_and_revision(connection, audit_id)[1]


def _state_and_revision(
    connection: Connection, audit_id: uuid.UUID | str
) -> tuple[AuditState, int]:
    query = select(audits.c.state, audits.c.revision).where(audits.c.audit_id == str(audit_id))
    row = connection.execute(query).first()
    if row is None:
        raise AuditNotFound(str(audit_id))
    return AuditState(row.state), int(row.revision)


def _insert_sign_offs(
    connection: Connection, audit_id: uuid.UUID | str, revision: int, people: list[SignOff]
) -> None:
    if people:
        connection.execute(
            insert(sign_offs),
            [rows.sign_off_row(audit_id, revision, i, person) for i, person in enumerate(people)],
        )


def _set_state(
    connection: Connection, audit_id: uuid.UUID | str, state: AuditState, now: str
) -> None:
    connection.execute(
        update(audits)
        .where(audits.c.audit_id == str(audit_id))
        .values(state=state.value, updated_at=now)
    )


def _insert_outbox_row(
    connection: Connection,
    audit_id: uuid.UUID | str,
    revision: int,
    submission_id: uuid.UUID | str,
    envelope_bytes: bytes,
    signature: str,
    now: str,
) -> None:
    connection.execute(
        insert(outbox).values(
            submission_id=str(submission_id),
            audit_id=str(audit_id),
            revision=revision,
            envelope=bytes(envelope_bytes),
            signature=signature,
            created_at=now,
            state="queued",
            attempts=0,
        )
    )


def _item_row(connection: Connection, submission_id: uuid.UUID | str) -> Mapping[Any, Any]:
    query = select(outbox).where(outbox.c.submission_id == str(submission_id))
    row = connection.execute(query).mappings().first()
    if row is None:
        raise KeyError(f"no outbox item {submission_id}")
    return row


def _update_item(
    connection: Connection, submission_id: uuid.UUID | str, **values: Any
) -> Mapping[Any, Any]:
    item = _item_row(connection, submission_id)
    connection.execute(
        update(outbox).where(outbox.c.submission_id == str(submission_id)).values(**values)
    )
    return item


def _follow_audit(
    connection: Connection,
    item: Mapping[Any, Any],
    state: AuditState,
    now: str,
    only_from: tuple[AuditState, ...] | None = None,
) -> None:
    audit_id = item["audit_id"]
    current, revision = _state_and_revision(connection, audit_id)
    if revision != item["revision"] or current is AuditState.DRAFT:
        return  # an older revision's news does not change the newer draft
    if only_from is None or current in only_from:
        _set_state(connection, audit_id, state, now)


def _item_from_row(row: Mapping[Any, Any]) -> OutboxItem:
    return OutboxItem(
        submission_id=row["submission_id"],
        audit_id=row["audit_id"],
        revision=row["revision"],
        envelope=bytes(row["envelope"]),
        signature=row["signature"],
        created_at=datetime.fromisoformat(row["created_at"]),
        state=row["state"],
        attempts=row["attempts"],
        last_error=row["last_error"],
        next_attempt_at=rows.parse_utc(row["next_attempt_at"]),
        receipt=json.loads(row["receipt_json"]) if row["receipt_json"] else None,
        sent_at=rows.parse_utc(row["sent_at"]),
    )

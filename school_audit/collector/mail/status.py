"""What the LA sees of the queue: counts, and each failed message with the address to fix."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from school_audit.collector.db.tables import AuditLogEntry, OutgoingMail, ReminderSent
from school_audit.collector.db.types import utc_now


@dataclass(frozen=True)
class FailedMail:
    id: int
    urn: str | None
    role: str | None
    address: str
    kind: str
    error: str
    at: datetime


@dataclass
class MailSummary:
    queued: int = 0
    sent: int = 0
    failed: list[FailedMail] = field(default_factory=list)


def mail_summary(session: Session, failed_limit: int = 200) -> MailSummary:
    counts = dict(
        session.execute(
            select(OutgoingMail.status, func.count()).group_by(OutgoingMail.status)
        ).all()
    )
    rows = session.scalars(
        select(OutgoingMail)
        .where(OutgoingMail.status == "failed")
        .order_by(OutgoingMail.id.desc())
        .limit(failed_limit)
    )
    failed = [
        FailedMail(r.id, r.urn, r.role, r.to_address, r.kind, r.last_error or "", r.created_at)
        for r in rows
    ]
    return MailSummary(counts.get("queued", 0), counts.get("sent", 0), failed)


def recent_reminders(
    session: Session, cycle: str, urn: str | None = None, limit: int = 200
) -> list[ReminderSent]:
    """Who was reminded when (newest first): the overdue list's companion."""
    query = select(ReminderSent).where(ReminderSent.cycle == cycle)
    if urn:
        query = query.where(ReminderSent.urn == urn)
    return list(
        session.scalars(
            query.order_by(ReminderSent.sent_at.desc(), ReminderSent.id.desc()).limit(limit)
        )
    )


def requeue(session: Session, ids: list[int], actor: str) -> list[int]:
    """Put failed messages back in the queue (the same Message-ID and bytes); audit-logged."""
    rows = session.scalars(
        select(OutgoingMail).where(OutgoingMail.id.in_(ids), OutgoingMail.status == "failed")
    ).all()
    for row in rows:
        row.status, row.attempts, row.unfinished_sends = "queued", 0, 0
        row.next_attempt_at, row.lease_until = utc_now(), None
        session.add(AuditLogEntry(actor=actor[:100], action="mail.retry", target=row.urn or "",
                                  detail=f"#{row.id} to {row.to_address}"))  # fmt: skip
    return [row.id for row in rows]


def last_reminders(session: Session, cycle: str) -> dict[str, ReminderSent]:
    """Each setting's latest reminder of the cycle (urn -> row): the overdue list's column."""
    latest: dict[str, ReminderSent] = {}
    for row in session.scalars(
        select(ReminderSent)
        .where(ReminderSent.cycle == cycle)
        .order_by(ReminderSent.sent_at, ReminderSent.id)
    ):
        latest[row.urn] = row
    return latest

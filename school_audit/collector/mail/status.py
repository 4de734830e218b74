"""What the LA sees of the queue: counts, and each failed message with the address to fix."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from school_audit.collector.db.tables import OutgoingMail


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

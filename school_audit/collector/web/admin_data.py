"""What the admin page lists: dashboard users and the latest audit-log lines."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from school_audit.collector.db.tables import AuditLogEntry, User

AUDIT_ROWS = 200


def users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.role, User.username)))


def audit_log(session: Session, action: str = "") -> list[AuditLogEntry]:
    query = select(AuditLogEntry).order_by(AuditLogEntry.id.desc()).limit(AUDIT_ROWS)
    if action:
        query = query.where(AuditLogEntry.action == action)
    return list(session.scalars(query))


def audit_actions(session: Session) -> list[str]:
    return list(
        session.scalars(select(AuditLogEntry.action).distinct().order_by(AuditLogEntry.action))
    )

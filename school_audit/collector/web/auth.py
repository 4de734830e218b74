"""Dashboard log-in: users, server-side sessions, the log-in rate limit and the audit log.

The session cookie holds a random token; the database keeps only its SHA-256, the user name, the
session's CSRF token and its expiry, so logging out (or an admin disabling a user) ends it at once.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from school_audit.collector.db.engine import Database
from school_audit.collector.db.tables import AuditLogEntry, LoginAttempt, User, WebSession
from school_audit.collector.web import csrf, passwords, roles

log = logging.getLogger(__name__)

SESSION_COOKIE = "sa_session"
IDLE_TIMEOUT = timedelta(hours=1)
ABSOLUTE_TIMEOUT = timedelta(hours=10)
TOUCH_EVERY = timedelta(minutes=1)
FAILURES_PER_USERNAME = 5
ATTEMPTS_KEPT = timedelta(days=1)


@dataclass(frozen=True)
class WebUser:
    username: str
    role: str

    @property
    def display_name(self) -> str:
        return self.username


@dataclass(frozen=True)
class SignedIn:
    user: WebUser
    csrf_token: str


def _now() -> datetime:
    return datetime.now(UTC)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(database: Database, username: str, role: str, password: str) -> None:
    if role not in roles.ROLES:
        raise ValueError(f"unknown role {role!r}; choose one of {', '.join(roles.ROLES)}")
    with database.write() as session:
        session.add(
            User(username=username, role=role, password_hash=passwords.hash_password(password))
        )


def record(session: Session, actor: str, action: str, target: str = "", detail: str = "") -> None:
    """One audit-log line (log-ins, reviews, exports). Never pass a secret or answer text."""
    session.add(AuditLogEntry(actor=actor[:100], action=action, target=target[:200], detail=detail))


def login_blocked(
    database: Database, username: str, client: str, per_client: int, window_seconds: int
) -> bool:
    """True when too many failed tries came lately for this user name or from this address."""
    since = _now() - timedelta(seconds=window_seconds)
    failed = (LoginAttempt.succeeded.is_(False)) & (LoginAttempt.at >= since)
    with database.read() as session:
        by_name = session.scalar(
            select(func.count()).where(failed, LoginAttempt.username == username)
        )
        by_client = session.scalar(
            select(func.count()).where(failed, LoginAttempt.client == client)
        )
    return (by_name or 0) >= FAILURES_PER_USERNAME or (by_client or 0) >= per_client


def authenticate(database: Database, username: str, password: str, client: str) -> WebUser | None:
    """Check a password and record the try; the user when it is right and the account active."""
    with database.read() as session:
        user = session.get(User, username)
    ok = passwords.password_matches(user.password_hash if user else None, password)
    ok = ok and user is not None and user.active and user.role in roles.ROLES
    with database.write() as session:
        # Tries older than a day no longer count towards any limit: keep the table small.
        session.execute(delete(LoginAttempt).where(LoginAttempt.at < _now() - ATTEMPTS_KEPT))
        session.add(LoginAttempt(username=username[:100], client=client, succeeded=ok))
        record(session, username, "login" if ok else "login_failed", detail=f"from {client}")
        if ok and user is not None:
            stored = session.get(User, username)
            if stored is not None:
                stored.last_login_at = _now()
                if passwords.needs_rehash(stored.password_hash):
                    stored.password_hash = passwords.hash_password(password)
    return WebUser(user.username, user.role) if ok and user is not None else None


def start_session(database: Database, user: WebUser) -> str:
    """A fresh session (never reuse a token from before the log-in); returns the cookie value."""
    token = secrets.token_urlsafe(32)
    now = _now()
    with database.write() as session:
        session.execute(delete(WebSession).where(WebSession.expires_at < now))
        session.add(
            WebSession(
                token_hash=_token_hash(token),
                username=user.username,
                csrf_token=csrf.new_token(),
                created_at=now,
                last_seen_at=now,
                expires_at=now + ABSOLUTE_TIMEOUT,
            )
        )
    return token


def load_session(database: Database, token: str | None) -> SignedIn | None:
    """The signed-in user for a cookie value, or None when it is unknown, idle or expired."""
    if not token or len(token) > 200:
        return None
    now = _now()
    with database.read() as session:
        row = session.get(WebSession, _token_hash(token))
        user = session.get(User, row.username) if row else None
    if row is None or user is None or not user.active or user.role not in roles.ROLES:
        return None
    if row.expires_at <= now or now - row.last_seen_at > IDLE_TIMEOUT:
        end_session(database, token)
        return None
    if now - row.last_seen_at > TOUCH_EVERY:
        with database.write() as session:
            stored = session.get(WebSession, row.token_hash)
            if stored is not None:
                stored.last_seen_at = now
    return SignedIn(WebUser(user.username, user.role), row.csrf_token)


def end_session(database: Database, token: str | None) -> None:
    if not token:
        return
    with database.write() as session:
        session.execute(delete(WebSession).where(WebSession.token_hash == _token_hash(token)))

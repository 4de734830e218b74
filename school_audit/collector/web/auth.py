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
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from school_audit.collector import users
from school_audit.collector.db.engine import Database
from school_audit.collector.db.tables import AuditLogEntry, LoginAttempt, User, WebSession
from school_audit.collector.web import csrf, passwords, roles

log = logging.getLogger(__name__)

SESSION_COOKIE = "sa_session"
IDLE_TIMEOUT = timedelta(hours=1)
ABSOLUTE_TIMEOUT = timedelta(hours=10)
TOUCH_EVERY = timedelta(minutes=1)
# A wrong guess counts against the pair (account, address), the address and the account; see
# `login_blocked`. docs/dashboard.md explains the limits to the LA.
FAILURES_PER_ACCOUNT_AND_ADDRESS = 5
ACCOUNT_SLOW_LANE = timedelta(seconds=30)
FAILED_TRIES_KEPT = timedelta(days=1)
# An address that signed in to an account lately is the officer's own: an attack on the
# account from elsewhere does not keep them out.
KNOWN_ADDRESS_KEPT = timedelta(days=30)
# What is stored (and shown on /admin) for a name that is no user: often a password typed into
# the wrong box, which must not be kept.
UNKNOWN_USER = "(unknown user)"


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
    """A new user (the password policy applies); see `collector.users` for the other changes."""
    users.add_user(database, username, role, password, actor="setup")


def record(session: Session, actor: str, action: str, target: str = "", detail: str = "") -> None:
    """One audit-log line (log-ins, reviews, exports). Never pass a secret or answer text."""
    session.add(AuditLogEntry(actor=actor[:100], action=action, target=target[:200], detail=detail))


@dataclass(frozen=True)
class LoginLimits:
    per_address: int
    per_account: int
    window: timedelta


def login_blocked(database: Database, username: str, client: str, limits: LoginLimits) -> bool:
    """True when this try must wait: too many failures lately for this account from this
    address, or from this address, or (unless this address signed in to the account lately) on
    this account from everywhere, with no try let through in the last half-minute.

    No stranger can keep an officer out: their failures count against their own address, and
    the account-wide ceiling neither stops the officer's usual address nor stays shut for good.
    """
    now = _now()
    failed = LoginAttempt.succeeded.is_(False) & (LoginAttempt.at >= now - limits.window)
    with database.read() as session:
        account = _stored_name(session, username)

        def failures(*where: Any) -> int:
            return session.scalar(select(func.count()).where(failed, *where)) or 0

        if failures(LoginAttempt.username == account, LoginAttempt.client == client) >= (
            FAILURES_PER_ACCOUNT_AND_ADDRESS
        ):
            return True
        if failures(LoginAttempt.client == client) >= limits.per_address:
            return True
        if account == UNKNOWN_USER or failures(LoginAttempt.username == account) < (
            limits.per_account
        ):
            return False
        if _signed_in_lately(session, account, client, now):
            return False
        last = session.scalar(
            select(func.max(LoginAttempt.at)).where(failed, LoginAttempt.username == account)
        )
    return last is not None and now - _aware(last) < ACCOUNT_SLOW_LANE


def _signed_in_lately(session: Session, account: str, client: str, now: datetime) -> bool:
    return (
        session.scalar(
            select(func.count()).where(
                LoginAttempt.succeeded.is_(True),
                LoginAttempt.username == account,
                LoginAttempt.client == client,
                LoginAttempt.at >= now - KNOWN_ADDRESS_KEPT,
            )
        )
        or 0
    ) > 0


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _stored_name(session: Session, username: str) -> str:
    """The name to count and log a try under: the user's, or UNKNOWN_USER for anything else."""
    found = session.get(User, username) if username else None
    return found.username if found is not None else UNKNOWN_USER


def authenticate(database: Database, username: str, password: str, client: str) -> WebUser | None:
    """Check a password and record the try; the user when it is right and the account active."""
    with database.read() as session:
        user = session.get(User, username)
    ok = passwords.password_matches(user.password_hash if user else None, password)
    ok = ok and user is not None and user.active and user.role in roles.ROLES
    name = user.username if user is not None else UNKNOWN_USER
    now = _now()
    with database.write() as session:
        # Keep the table small: failures older than a day no longer count towards any limit;
        # successes are kept longer, to know an officer's usual address.
        session.execute(
            delete(LoginAttempt).where(
                (LoginAttempt.at < now - KNOWN_ADDRESS_KEPT)
                | (LoginAttempt.succeeded.is_(False) & (LoginAttempt.at < now - FAILED_TRIES_KEPT))
            )
        )
        session.add(LoginAttempt(username=name, client=client, succeeded=ok, at=now))
        record(session, name, "login" if ok else "login_failed", detail=f"from {client}")
        if ok and user is not None:
            stored = session.get(User, username)
            if stored is not None:
                stored.last_login_at = now
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

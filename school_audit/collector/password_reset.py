"""Password reset by a one-time link sent by email, where the collector's mail is set up.

An admin asks for the link on the Manage users page. The token is 32 random bytes (URL-safe);
the database keeps only its SHA-256, so a copy of the database opens no account. A link works
once, for `LINK_MINUTES`; a newer link for the same user replaces any earlier one, and setting a
password (by the link or by an admin) ends every link still open. At most `LINKS_PER_HOUR` links
are sent for one user in an hour. The token is in the queued mail only until it is sent
(mail/queue.py drops it), never in the audit log, and the access log shows `/reset/…`.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from school_audit.collector import users
from school_audit.collector.db.engine import Database
from school_audit.collector.db.tables import LoginAttempt, PasswordResetToken, User
from school_audit.collector.devices import secret_hash
from school_audit.collector.mail.config import MailNotConfigured, SmtpConfig
from school_audit.collector.mail.contacts import Recipient
from school_audit.collector.mail.queue import enqueue
from school_audit.collector.settings import CollectorSettings
from school_audit.domain.dates import moment_text

LINK_MINUTES = 60
LINKS_PER_HOUR = 3
PATH = "/reset/"


def mail_ready(settings: CollectorSettings) -> bool:
    """Whether a link can be emailed at all: the relay and the sender are set."""
    try:
        SmtpConfig.from_settings(settings)
    except MailNotConfigured:
        return False
    return True


class ResetRefused(users.UserError):
    """Why no link was sent, or why a link cannot set a password, in words."""


def send_link(
    session: Session, username: str, base_url: str, actor: str, now: datetime
) -> datetime:
    """Queue the email with a new link for `username`; returns when the link expires."""
    user = session.get(User, username)
    if user is None or not user.active:
        raise ResetRefused(f"no active user {username!r}")
    if not user.email:
        raise ResetRefused(f"{username!r} has no email address: add one first")
    recent = session.scalar(
        select(func.count())
        .select_from(PasswordResetToken)
        .where(
            PasswordResetToken.username == username,
            PasswordResetToken.created_at > now - timedelta(hours=1),
        )
    )
    if (recent or 0) >= LINKS_PER_HOUR:
        raise ResetRefused(
            f"{LINKS_PER_HOUR} links were sent to {username!r} in the last hour: ask them to use "
            "the latest, or wait an hour"
        )
    _close_open_links(session, username, "replaced", now)
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(minutes=LINK_MINUTES)
    session.add(PasswordResetToken(
        username=username, token_hash=secret_hash(token), status="open", created_by=actor[:100],
        created_at=now, expires_at=expires,
    ))  # fmt: skip
    facts = {
        "username": username,
        "reset_link": f"{base_url.rstrip('/')}{PATH}{token}",
        "expires_at": moment_text(expires) + " UTC",
        "minutes": LINK_MINUTES,
    }
    enqueue(session, "password_reset", Recipient("dashboard", user.email, username), facts,
            now=now)  # fmt: skip
    users.log(session, actor, "password_reset_link_sent", username,
              f"expires {moment_text(expires)} UTC")  # fmt: skip
    return expires


def open_link(session: Session, token: str, now: datetime) -> PasswordResetToken | None:
    """The open, unexpired link of an active user that `token` is, or None."""
    if not token or len(token) > 100:
        return None
    row = session.scalars(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == secret_hash(token))
    ).first()
    if row is None or row.status != "open" or row.expires_at <= now:
        return None
    user = session.get(User, row.username)
    return row if user is not None and user.active else None


def set_password(database: Database, token: str, password: str, now: datetime) -> str:
    """Set the password the link's user chose (the policy applies); the link is then used up, the
    user's sessions and failed log-ins end. Returns the user name."""
    with database.write() as session:
        row = open_link(session, token, now)
        if row is None:
            raise ResetRefused("this link is not valid: it may be used, replaced or expired")
        # The first of two posts of one link wins: the second finds it no longer open.
        claimed = session.execute(
            update(PasswordResetToken)
            .where(PasswordResetToken.id == row.id, PasswordResetToken.status == "open")
            .values(status="used", finished_at=now)
        )
        if getattr(claimed, "rowcount", 1) != 1:
            raise ResetRefused("this link is not valid: it may be used, replaced or expired")
        user = session.get(User, row.username)
        assert user is not None  # open_link checked it
        user.password_hash = users.new_hash(password, user.username)
        users.end_sessions(session, user.username)
        session.execute(delete(LoginAttempt).where(LoginAttempt.username == user.username))
        _close_open_links(session, user.username, "cancelled", now)
        users.log(session, user.username, "password_reset_link_used", user.username)
        return user.username


def cancel_links(session: Session, username: str, now: datetime) -> None:
    """An admin set the password another way: no link sent before may change it again."""
    _close_open_links(session, username, "cancelled", now)


def _close_open_links(session: Session, username: str, status: str, now: datetime) -> None:
    session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.username == username, PasswordResetToken.status == "open")
        .values(status=status, finished_at=now)
    )

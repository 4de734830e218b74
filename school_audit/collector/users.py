"""Dashboard users: add, disable, enable, change role, set an email address, reset a password
(by an admin here, or by the user with an emailed link: collector/password_reset.py).

Every change is one transaction with its audit-log line. Disabling a user, changing their role or
resetting their password ends their sessions at once (the next request asks them to log in). The
last active admin can be neither disabled nor given another role, so the LA never locks itself
out of its own users, register and templates.
"""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from school_audit.collector.db.engine import Database
from school_audit.collector.db.tables import (
    AuditLogEntry,
    LoginAttempt,
    PasswordResetToken,
    User,
    WebSession,
)
from school_audit.collector.db.types import utc_now
from school_audit.collector.mail.config import is_address
from school_audit.collector.web import passwords, roles

ADMIN = roles.ADMIN


class UserError(Exception):
    """A change that was refused; the message says why and what to do."""


class RefusedPassword(UserError, passwords.WeakPassword):
    """The password policy refused the password (caught as either kind)."""


def list_users(database: Database) -> list[User]:
    with database.read() as session:
        return list(session.scalars(select(User).order_by(User.role, User.username)))


def add_user(
    database: Database, username: str, role: str, password: str, actor: str, email: str = ""
) -> None:
    username = username.strip()
    if not username or len(username) > 100:
        raise UserError("a user name needs 1 to 100 characters")
    _check_role(role)
    email = _checked_email(email)
    password_hash = new_hash(password, username)
    try:
        with database.write() as session:
            session.add(User(username=username, role=role, password_hash=password_hash,
                             email=email or None))  # fmt: skip
            log(session, actor, "user_added", username, f"role {role}")
    except IntegrityError:
        raise UserError(f"a user {username!r} already exists") from None


def set_active(database: Database, username: str, active: bool, actor: str) -> bool:
    """Disable or enable a user; False when it already was so (nothing changed)."""
    with database.write() as session:
        user = _get(session, username)
        if user.active == active:
            return False
        if not active:
            _keep_an_admin(session, user, "disable")
            end_sessions(session, username)
        user.active = active
        log(session, actor, "user_enabled" if active else "user_disabled", username)
    return True


def set_role(database: Database, username: str, role: str, actor: str) -> bool:
    """Give a user another role; False when they already had it."""
    _check_role(role)
    with database.write() as session:
        user = _get(session, username)
        if user.role == role:
            return False
        if role != ADMIN:
            _keep_an_admin(session, user, "give another role to")
        before, user.role = user.role, role
        end_sessions(session, username)
        log(session, actor, "user_role_changed", username, f"{before} to {role}")
    return True


def set_email(database: Database, username: str, email: str, actor: str) -> bool:
    """The address a password reset link goes to (empty: none); False when unchanged."""
    email = _checked_email(email)
    with database.write() as session:
        user = _get(session, username)
        if (user.email or "") == email:
            return False
        user.email = email or None
        # An address is personal data: the log says that it changed, not what it is.
        log(session, actor, "user_email_changed", username, "set" if email else "removed")
    return True


def _checked_email(email: str) -> str:
    email = email.strip()
    if email and (len(email) > 320 or not is_address(email)):
        raise UserError(f"{email[:80]!r} is not an email address")
    return email


def require_user(database: Database, username: str) -> None:
    """Raise UserError when there is no such user (before asking for a password, say)."""
    with database.read() as session:
        _get(session, username)


def reset_password(database: Database, username: str, password: str, actor: str) -> None:
    """A new password (checked like a new user's); the user's sessions and failed tries end."""
    password_hash = new_hash(password, username)
    with database.write() as session:
        user = _get(session, username)
        user.password_hash = password_hash
        end_sessions(session, username)
        session.execute(delete(LoginAttempt).where(LoginAttempt.username == username))
        # A reset link sent before can no longer change the password set now.
        session.execute(
            update(PasswordResetToken)
            .where(PasswordResetToken.username == username, PasswordResetToken.status == "open")
            .values(status="cancelled", finished_at=utc_now())
        )
        log(session, actor, "user_password_reset", username)


def new_hash(password: str, username: str) -> str:
    """The Argon2id hash of a password the policy accepts (RefusedPassword says why not)."""
    try:
        return passwords.hash_new_password(password, username)
    except passwords.WeakPassword as error:
        raise RefusedPassword(str(error)) from None


def _check_role(role: str) -> None:
    if role not in roles.ROLES:
        raise UserError(f"unknown role {role!r}; choose one of {', '.join(roles.ROLES)}")


def _get(session: Session, username: str) -> User:
    user = session.get(User, username)
    if user is None:
        raise UserError(f"no user {username!r} (see `user list`)")
    return user


def _keep_an_admin(session: Session, user: User, what: str) -> None:
    if user.role != ADMIN or not user.active:
        return
    # Lock every active admin's row, in one order (PostgreSQL; SQLite has one writer anyway): of
    # two changes at once, the second waits for the first and then sees its outcome, so they
    # cannot each leave the other as the last admin and remove them too.
    admins = session.scalars(
        select(User.username)
        .where(User.role == ADMIN, User.active.is_(True))
        .order_by(User.username)
        .with_for_update()
    ).all()
    if not [name for name in admins if name != user.username]:
        raise UserError(
            f"{user.username!r} is the last active administrator: add or enable another administrator "
            f"first, then {what} this one"
        )


def end_sessions(session: Session, username: str) -> int:
    result = session.execute(delete(WebSession).where(WebSession.username == username))
    return int(getattr(result, "rowcount", 0) or 0)


def log(session: Session, actor: str, action: str, target: str, detail: str = "") -> None:
    session.add(AuditLogEntry(actor=actor[:100], action=action, target=target[:200], detail=detail))

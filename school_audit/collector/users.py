"""Dashboard users: add, disable, enable, change role, reset a password.

Every change is one transaction with its audit-log line. Disabling a user, changing their role or
resetting their password ends their sessions at once (the next request asks them to log in). The
last active admin can be neither disabled nor given another role, so the LA never locks itself
out of its own users, register and templates.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from school_audit.collector.db.engine import Database
from school_audit.collector.db.tables import AuditLogEntry, LoginAttempt, User, WebSession
from school_audit.collector.web import passwords, roles

ADMIN = roles.ADMIN


class UserError(Exception):
    """A change that was refused; the message says why and what to do."""


class RefusedPassword(UserError, passwords.WeakPassword):
    """The password policy refused the password (caught as either kind)."""


def list_users(database: Database) -> list[User]:
    with database.read() as session:
        return list(session.scalars(select(User).order_by(User.role, User.username)))


def add_user(database: Database, username: str, role: str, password: str, actor: str) -> None:
    username = username.strip()
    if not username or len(username) > 100:
        raise UserError("a user name needs 1 to 100 characters")
    _check_role(role)
    password_hash = _new_hash(password, username)
    try:
        with database.write() as session:
            session.add(User(username=username, role=role, password_hash=password_hash))
            _log(session, actor, "user_added", username, f"role {role}")
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
            _end_sessions(session, username)
        user.active = active
        _log(session, actor, "user_enabled" if active else "user_disabled", username)
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
        _end_sessions(session, username)
        _log(session, actor, "user_role_changed", username, f"{before} to {role}")
    return True


def require_user(database: Database, username: str) -> None:
    """Raise UserError when there is no such user (before asking for a password, say)."""
    with database.read() as session:
        _get(session, username)


def reset_password(database: Database, username: str, password: str, actor: str) -> None:
    """A new password (checked like a new user's); the user's sessions and failed tries end."""
    password_hash = _new_hash(password, username)
    with database.write() as session:
        user = _get(session, username)
        user.password_hash = password_hash
        _end_sessions(session, username)
        session.execute(delete(LoginAttempt).where(LoginAttempt.username == username))
        _log(session, actor, "user_password_reset", username)


def _new_hash(password: str, username: str) -> str:
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


def _end_sessions(session: Session, username: str) -> int:
    result = session.execute(delete(WebSession).where(WebSession.username == username))
    return int(getattr(result, "rowcount", 0) or 0)


def _log(session: Session, actor: str, action: str, target: str, detail: str = "") -> None:
    session.add(AuditLogEntry(actor=actor[:100], action=action, target=target[:200], detail=detail))

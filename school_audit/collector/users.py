"""Dashboard users: add, disable or enable, change role, set a new password.

One module that both the admin pages and the admin command line call, so the rules live once:
the last active administrator can be neither disabled nor demoted (or nobody could manage users
any more), every change is written to the audit log, and a disabled user's sessions end at once.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from school_audit.collector.db.tables import AuditLogEntry, User, WebSession
from school_audit.collector.web import roles
from school_audit.collector.web.passwords import WeakPassword, hash_password

MAX_USERNAME = 100


class UserError(ValueError):
    """The change was refused; the message says why in plain words."""


def add_user(session: Session, username: str, role: str, password: str, actor: str) -> User:
    username = username.strip()
    if not username or len(username) > MAX_USERNAME or any(c.isspace() for c in username):
        raise UserError(f"a user name is 1 to {MAX_USERNAME} characters without spaces")
    _check_role(role)
    if session.get(User, username) is not None:
        raise UserError(f"a user {username!r} already exists")
    user = User(username=username, role=role, password_hash=_hash(password), active=True)
    session.add(user)
    _audit(session, actor, "user_added", username, f"role {role}")
    session.flush()
    return user


def set_active(session: Session, username: str, active: bool, actor: str) -> None:
    user = _user(session, username)
    if user.active == active:
        return
    if not active:
        _keep_an_admin(session, user, "disabled")
        session.execute(delete(WebSession).where(WebSession.username == username))
    user.active = active
    _audit(session, actor, "user_enabled" if active else "user_disabled", username)


def set_role(session: Session, username: str, role: str, actor: str) -> None:
    _check_role(role)
    user = _user(session, username)
    if user.role == role:
        return
    if role != roles.ADMIN:
        _keep_an_admin(session, user, "demoted")
    previous, user.role = user.role, role
    # Sessions carry no role (it is read with each request), so the change applies at once.
    _audit(session, actor, "user_role_changed", username, f"{previous} -> {role}")


def reset_password(session: Session, username: str, password: str, actor: str) -> None:
    """A new password, chosen by the admin and passed on to the user; their sessions end."""
    user = _user(session, username)
    user.password_hash = _hash(password)
    session.execute(delete(WebSession).where(WebSession.username == username))
    _audit(session, actor, "user_password_reset", username)


def _user(session: Session, username: str) -> User:
    user = session.get(User, username)
    if user is None:
        raise UserError(f"there is no user {username!r}")
    return user


def _check_role(role: str) -> None:
    if role not in roles.ROLES:
        raise UserError(f"unknown role {role!r}; choose one of: {', '.join(roles.ROLES)}")


def _keep_an_admin(session: Session, user: User, change: str) -> None:
    if user.role != roles.ADMIN or not user.active:
        return
    others = session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.role == roles.ADMIN, User.active.is_(True), User.username != user.username)
    )
    if not others:
        raise UserError(
            f"{user.username} is the last active administrator and cannot be {change}: "
            "make another user an administrator first"
        )


def _hash(password: str) -> str:
    try:
        return hash_password(password)
    except WeakPassword as error:
        raise UserError(str(error)) from None


def _audit(session: Session, actor: str, action: str, target: str, detail: str = "") -> None:
    session.add(AuditLogEntry(actor=actor, action=action, target=target, detail=detail))

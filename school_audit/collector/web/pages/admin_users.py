"""Admin: add users, disable or enable them, change their role, set a new password."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from school_audit.collector import password_reset, users
from school_audit.collector.db.types import utc_now
from school_audit.collector.web import admin_data, deps, roles
from school_audit.collector.web.guard import WebRoute
from school_audit.collector.web.pages.admin_common import SECTIONS, Admin, flash
from school_audit.collector.web.rendering import render
from school_audit.i18n import tr

router = APIRouter(route_class=WebRoute)
Field = Annotated[str, Form()]
DONE = {
    "added": "User added.",
    "enabled": "User enabled.",
    "disabled": "User disabled: their sessions have ended.",
    "role": "Role changed.",
    "password": "Password changed: pass it to the user by a safe route; their sessions have ended.",
    "email": "Email address saved.",
    "link": "A link to set a new password is on its way to the user's email address. It works "
    "once, for an hour; a newer link replaces it.",
}


@router.get("/admin/users")
def users_page(request: Request, user: Admin) -> Response:
    return _render(request, flash(request, DONE))


def _render(request: Request, extra: dict[str, Any], code: int = 200) -> Response:
    with deps.database(request).read() as session:
        context = {
            "title": tr("Manage users"),
            "admin_sections": SECTIONS,
            "users": admin_data.users(session),
            "roles": roles.ROLES,
            "role_labels": roles.ROLE_LABELS,
            "form": {},
            "mail_ready": password_reset.mail_ready(deps.settings(request)),
            "link_minutes": password_reset.LINK_MINUTES,
        }
    context.update(extra)
    return render(request, "admin_users.html", context, status=code)


def _change(
    request: Request, done: str, change: Any, form: dict[str, str] | None = None
) -> Response:
    try:
        change(deps.database(request))  # each change is its own transaction (collector.users)
    except users.UserError as problem:
        return _render(request, {"error": tr("Nothing was changed: {why}.", why=str(problem)),
                                 "form": form or {}}, code=422)  # fmt: skip
    return RedirectResponse(f"/admin/users?done={done}", status_code=303)


@router.post("/admin/users")
def add_user(
    request: Request,
    user: Admin,
    username: Field = "",
    role: Field = "",
    password: Field = "",
    email: Field = "",
) -> Response:
    return _change(
        request, "added",
        lambda s: users.add_user(s, username, role, password, user.username, email),
        {"username": username, "role": role, "email": email},
    )  # fmt: skip


@router.post("/admin/users/{username}/email")
def set_email(request: Request, user: Admin, username: str, email: Field = "") -> Response:
    return _change(request, "email", lambda s: users.set_email(s, username, email, user.username))


@router.post("/admin/users/{username}/reset-link")
def send_reset_link(request: Request, user: Admin, username: str) -> Response:
    """Email the user a one-time link to choose a password (where the collector sends mail)."""
    if not password_reset.mail_ready(deps.settings(request)):
        return _render(request, {"error": tr(
            "Nothing was sent: the collector's mail is not set up. Set a password below and pass "
            "it to the user by a safe route.")}, code=422)  # fmt: skip
    base_url = str(request.base_url)

    def send(database: Any) -> None:
        with database.write() as session:
            password_reset.send_link(session, username, base_url, user.username, utc_now())

    return _change(request, "link", send)


@router.post("/admin/users/{username}/active")
def set_active(request: Request, user: Admin, username: str, active: Field = "") -> Response:
    wanted = active == "yes"
    return _change(request, "enabled" if wanted else "disabled",
                   lambda s: users.set_active(s, username, wanted, user.username))  # fmt: skip


@router.post("/admin/users/{username}/role")
def set_role(request: Request, user: Admin, username: str, role: Field = "") -> Response:
    return _change(request, "role", lambda s: users.set_role(s, username, role, user.username))


@router.post("/admin/users/{username}/password")
def reset_password(request: Request, user: Admin, username: str, password: Field = "") -> Response:
    return _change(request, "password",
                   lambda s: users.reset_password(s, username, password, user.username))  # fmt: skip

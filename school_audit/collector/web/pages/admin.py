"""Admin: who can log in, with which role, and the audit log (admins only).

Changes are made on the admin pages next to it (admin_*.py) or with the admin command line.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from school_audit.collector.web import admin_data, deps, roles, wording
from school_audit.collector.web.auth import WebUser
from school_audit.collector.web.guard import WebRoute, page
from school_audit.collector.web.pages.admin_common import SECTIONS
from school_audit.collector.web.rendering import render
from school_audit.i18n import tr

router = APIRouter(route_class=WebRoute)


@router.get("/admin")
def admin_page(
    request: Request, user: Annotated[WebUser, Depends(page("admin"))], action: str = ""
) -> Response:
    with deps.database(request).read() as session:
        actions = admin_data.audit_actions(session)
        action = action if action in actions else ""
        entries = admin_data.audit_log(session, action)
        context = {
            "title": tr("Users and audit log"),
            "users": admin_data.users(session),
            "entries": entries,
            "target_names": wording.target_names(session, entries),  # names, not ids
            "actions": actions,
            "action": action,
            "role_labels": roles.ROLE_LABELS,
            "limit": admin_data.AUDIT_ROWS,
            "admin_sections": SECTIONS,
        }
    return render(request, "admin.html", context)

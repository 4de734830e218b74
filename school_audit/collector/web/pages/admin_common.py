"""What the admin pages share: the admin-only dependency and the "done" notice after a change.

Every admin form is a POST that the route class checks for its CSRF token before the page runs;
each change is written to the audit log by the service function it calls. Routes are plain `def`
so their database work runs in the thread pool, never on the event loop.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends
from starlette.requests import Request

from school_audit.collector.web.auth import WebUser
from school_audit.collector.web.guard import page

Admin = Annotated[WebUser, Depends(page("admin"))]
# Each admin page links to the others; the audit log stays on /admin.
SECTIONS = (
    ("/admin", "Users and audit log"),
    ("/admin/users", "Manage users"),
    ("/admin/enrolment", "Enrolment codes"),
    ("/admin/cycles", "Cycles and exemptions"),
    ("/admin/templates", "Templates and local packs"),
    ("/admin/register", "Register upload"),
)


def flash(request: Request, messages: dict[str, str]) -> dict[str, Any]:
    """The success notice named by the query string (`?done=KEY`), if any: fixed wording only,
    so a link cannot make the page say something it did not do."""
    key = request.query_params.get("done", "")
    if key not in messages:
        return {}
    return {"flash": messages[key], "flash_kind": "success"}

"""Jinja2 rendering with autoescaping, and the error pages every route falls back to."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from school_audit.collector.web import roles, wording
from school_audit.collector.web.filters import DIMENSIONS, group_label
from school_audit.i18n import tr

TEMPLATES = Path(__file__).parent / "templates"

RATING_LABELS = {
    "met": "Met",
    "partially_met": "Partially met",
    "not_met": "Not met",
    "not_applicable": "Not applicable",
}
SIGN_OFF_ROLES = {
    "dsl": "DSL",
    "head_teacher": "Head teacher",
    "chair_of_governors": "Chair of governors",
    "safeguarding_governor": "Safeguarding governor",
    "proprietor": "Proprietor",
    "manager": "Manager",
    "registered_person": "Registered person",
    "childminder": "Childminder",
}
STATUS_LABELS = {
    "received": "Received, awaiting review",
    "accepted": "Accepted",
    "returned": "Returned for changes",
    "quarantined": "Quarantined",
    "superseded": "Superseded",
}


def _day(value: Any) -> str:
    """A date written the one way every page writes it: 21 Nov 2026 (no leading zero)."""
    if isinstance(value, str) and len(value) == 10:  # an ISO day, as returns carry them
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, date):  # a datetime is a date too
        return f"{value.day} {value:%b %Y}"
    return "" if value is None else str(value)


def _when(value: Any) -> str:
    """A moment: the date as `_day` writes it, then the time (21 Nov 2026, 14:05)."""
    if isinstance(value, datetime):
        return f"{_day(value)}, {value:%H:%M}"
    return _day(value)


def _from_json(text: str) -> Any:
    try:
        return json.loads(text or "{}")
    except ValueError:
        return {}


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html", "svg"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.globals.update(
    tr=tr,
    rating_labels=RATING_LABELS,
    sign_off_roles=SIGN_OFF_ROLES,
    status_labels=STATUS_LABELS,
    group_label=group_label,
    dimension_choices=DIMENSIONS,
)
environment.filters.update(
    event_words=wording.event_words,
    field_words=wording.field_words,
    quarantine_words=wording.quarantine_words,
    when=_when,
    day=_day,
    percent=_percent,
    fromjson=_from_json,
)


def render(
    request: Request, template: str, context: dict[str, Any], *, status: int = 200
) -> HTMLResponse:
    """Render a page with the layout's common values (user, navigation, CSRF token)."""
    user = getattr(request.state, "user", None)
    values = {
        "request": request,
        "user": user,
        "nav": roles.navigation_for(user.role) if user else [],
        "role_label": roles.ROLE_LABELS.get(user.role, user.role) if user else "",
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "current_path": request.url.path,
        "may_search": bool(user) and roles.may_open(user.role, "settings"),
    }
    values.update(context)
    html = environment.get_template(template).render(values)
    return HTMLResponse(html, status_code=status)


def error_page(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    return render(request, "error.html", {"title": title, "message": message}, status=status)

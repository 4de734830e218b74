"""Jinja2 rendering with autoescaping, and the error pages every route falls back to."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from school_audit.collector.web import roles, wording
from school_audit.collector.web.filters import DIMENSIONS, group_label
from school_audit.domain.dates import day_text, moment_text
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
    detail_words=wording.detail_words,
    field_words=wording.field_words,
    quarantine_words=wording.quarantine_words,
    when=moment_text,
    day=day_text,
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

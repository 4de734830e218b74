"""Risk triage: the settings to contact first, each with its reasons (LA staff only)."""

from __future__ import annotations

from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from school_audit.collector.aggregate.risk import risk_triage
from school_audit.collector.web import deps, filters
from school_audit.collector.web.auth import WebUser
from school_audit.collector.web.guard import WebRoute, page
from school_audit.collector.web.rendering import render
from school_audit.i18n import tr

router = APIRouter(route_class=WebRoute)

# Most urgent first; the labels are what the officer reads beside each setting.
FLAG_LABELS = {
    "statutory_not_met": "Statutory standard not met",
    "dsl_training_expired": "DSL training expired",
    "dsl_training_missing": "DSL training date missing",
    "dsl_training_expiring": "DSL training expiring within six months",
    "no_filtering_review": "No filtering and monitoring review",
    "missing_return": "Return missing",
    "late_return": "Return late",
}
URGENT = {"statutory_not_met", "dsl_training_expired", "missing_return", "no_filtering_review"}


@router.get("/triage")
def triage_page(
    request: Request,
    user: Annotated[WebUser, Depends(page("triage"))],
    cycle: str = "",
    flag: str = "",
) -> Response:
    with deps.database(request).read() as session:
        choice = filters.choose(session, cycle)
        entries = risk_triage(session, choice.cycle) if choice.cycle else []
    counts = Counter(kind for entry in entries for kind in entry.kinds)
    flag = flag if flag in FLAG_LABELS else ""
    shown = [e for e in entries if not flag or flag in e.kinds]
    context = {
        "title": tr("Risk triage"),
        "choice": choice,
        "entries": shown,
        "total": len(entries),
        "counts": counts,
        "flag": flag,
        "flag_labels": FLAG_LABELS,
        "urgent": URGENT,
        "hide_setting": True,
        "action": "/triage",
    }
    return render(request, "triage.html", context)

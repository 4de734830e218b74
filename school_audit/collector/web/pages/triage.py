"""Risk triage: the settings to contact first, each with its reasons (LA staff only).

Each item can be marked contacted with a note and a follow-up date (`review/triage_notes.py`); the
list hides the items in hand unless the officer asks to see them.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from school_audit.collector.aggregate.risk import risk_triage
from school_audit.collector.review import triage_notes
from school_audit.collector.review.triage_flags import FLAG_LABELS, URGENT
from school_audit.collector.web import deps, filters
from school_audit.collector.web.auth import WebUser
from school_audit.collector.web.guard import WebRoute, page
from school_audit.collector.web.rendering import render
from school_audit.i18n import tr

router = APIRouter(route_class=WebRoute)
__all__ = ["FLAG_LABELS", "URGENT", "router"]


@router.get("/triage")
def triage_page(
    request: Request,
    user: Annotated[WebUser, Depends(page("triage"))],
    cycle: str = "",
    flag: str = "",
    in_hand: str = "",
) -> Response:
    return _render(request, cycle, flag, bool(in_hand))


def _render(
    request: Request,
    cycle: str,
    flag: str,
    show_in_hand: bool,
    *,
    error: str = "",
    error_urn: str = "",
    status: int = 200,
) -> Response:
    today = date.today()
    with deps.database(request).read() as session:
        choice = filters.choose(session, cycle)
        entries = risk_triage(session, choice.cycle) if choice.cycle else []
        notes = triage_notes.latest_notes(session, choice.cycle) if choice.cycle else {}
    counts = Counter(kind for entry in entries for kind in entry.kinds)
    flag = flag if flag in FLAG_LABELS else ""
    flagged = [e for e in entries if not flag or flag in e.kinds]
    handled = [e for e in flagged if triage_notes.in_hand(notes.get(e.urn), today)]
    shown = flagged if show_in_hand else [e for e in flagged if e not in handled]
    context = {
        "title": tr("Risk triage"),
        "choice": choice,
        "entries": shown,
        "total": len(entries),
        "in_hand_count": len(handled),
        "show_in_hand": show_in_hand,
        "notes": notes,
        "today": today,
        "counts": counts,
        "flag": flag,
        "flag_labels": FLAG_LABELS,
        "urgent": URGENT,
        "hide_setting": True,
        "action": "/triage",
        "error": error,
        "error_urn": error_urn,
        "flash": tr("Marked contacted. The note is on the setting's page.")
        if request.query_params.get("noted")
        else "",
        "flash_kind": "success",
    }
    return render(request, "triage.html", context, status=status)


@router.post("/triage/notes")
async def add_triage_note(
    request: Request, user: Annotated[WebUser, Depends(page("triage"))]
) -> Response:
    form = await request.form()
    values = {key: str(value) for key, value in form.items() if key != "csrf_token"}
    return await run_in_threadpool(_add_note, request, user, values)


def _add_note(request: Request, user: WebUser, values: dict[str, str]) -> Response:
    with deps.database(request).read() as session:
        cycle = filters.choose(session, values.get("cycle", "")).cycle
    back = {"cycle": cycle, "flag": values.get("flag", "")}
    try:
        if not cycle:
            raise triage_notes.NoteRefused("No audit cycle is open, so there is nothing to note.")
        form = triage_notes.read_form(values, date.today())
        with deps.database(request).write() as session:
            triage_notes.add_note(session, cycle, form, user.username)
    except triage_notes.NoteRefused as problem:
        return _render(
            request,
            cycle,
            back["flag"],
            False,
            error=tr(str(problem)),
            error_urn=values.get("urn", ""),
            status=422,
        )
    query = urlencode({k: v for k, v in {**back, "noted": "1"}.items() if v})
    return RedirectResponse(f"/triage?{query}", status_code=303)

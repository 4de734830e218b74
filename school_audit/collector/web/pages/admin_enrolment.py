"""Admin: issue an enrolment code (shown once, as a letter to print for the school), list the
codes by state (never the code: only its hash was kept) and revoke an unused one."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from school_audit.collector.db.tables import AuditLogEntry, Establishment
from school_audit.collector.enrolment import (
    UnknownEstablishment,
    issue_code,
    list_codes,
    revoke_code,
)
from school_audit.collector.web import deps
from school_audit.collector.web.guard import WebRoute
from school_audit.collector.web.pages.admin_common import SECTIONS, Admin, flash
from school_audit.collector.web.rendering import render
from school_audit.i18n import tr

router = APIRouter(route_class=WebRoute)
Field = Annotated[str, Form()]
MAX_DAYS = 365
DONE = {"revoked": "Code revoked: it can no longer enrol a device."}


@router.get("/admin/enrolment")
def enrolment_page(request: Request, user: Admin) -> Response:
    return _render(request, flash(request, DONE))


def _render(request: Request, extra: dict[str, Any], code: int = 200) -> Response:
    with deps.database(request).read() as session:
        context = {
            "title": tr("Enrolment codes"),
            "admin_sections": SECTIONS,
            "codes": list_codes(session),
            "default_days": deps.settings(request).enrolment_days,
            "form": {},
        }
    context.update(extra)
    return render(request, "admin_enrolment.html", context, status=code)


@router.post("/admin/enrolment")
def issue(request: Request, user: Admin, urn: Field = "", days: Field = "") -> Response:
    urn = urn.strip()
    form = {"urn": urn, "days": days}
    if not (days.strip().isascii() and days.strip().isdigit()) or not 1 <= int(days) <= MAX_DAYS:
        return _refuse(request, tr("the days a code stays valid are a whole number from 1 to {n}",
                                   n=MAX_DAYS), form)  # fmt: skip
    try:
        with deps.database(request).write() as session:
            code = issue_code(session, urn, int(days), issued_by=user.username)
            session.add(AuditLogEntry(actor=user.username, action="enrolment_code_issued",
                                      target=urn, detail=f"valid {int(days)} days"))  # fmt: skip
            school = session.get(Establishment, urn)
            assert school is not None  # issue_code has just checked it
            name = school.name
    except UnknownEstablishment:
        return _refuse(request, tr("no establishment has URN {urn}: import the register or add it",
                                   urn=urn or "–"), form)  # fmt: skip
    context = {
        "title": tr("Enrolment letter for {name}", name=name),
        "code": code,
        "urn": urn,
        "name": name,
        "days": int(days),
        # The configured public address when there is one (the address the admin's browser used
        # may be an internal one, or whatever Host it sent).
        "collector_address": deps.settings(request).public_url or str(request.base_url).rstrip("/"),
        "la_name": deps.settings(request).la_name,
    }
    # The code is in this one response only (it is not stored, and pages are never cached).
    return render(request, "admin_enrolment_letter.html", context)


def _refuse(request: Request, why: str, form: dict[str, str]) -> Response:
    error = tr("No code was issued: {why}.", why=why)
    return _render(request, {"error": error, "form": form}, code=422)


@router.post("/admin/enrolment/{code_id}/revoke")
def revoke(request: Request, user: Admin, code_id: int) -> Response:
    with deps.database(request).write() as session:
        urn = revoke_code(session, code_id)
        if urn is not None:
            session.add(AuditLogEntry(actor=user.username, action="enrolment_code_revoked",
                                      target=urn, detail=f"code #{code_id}"))  # fmt: skip
    if urn is None:
        error = tr("Nothing was changed: that code is not an unused one (it may have been used, "
                   "revoked or have expired).")  # fmt: skip
        return _render(request, {"error": error}, code=422)
    return RedirectResponse("/admin/enrolment?done=revoked", status_code=303)
